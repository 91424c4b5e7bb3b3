import { SignJWT } from 'jose';

export interface PoolUser {
  did: string;
  token: string;
}

/** The load-test DID pool: distinct users that exist only as token subjects. */
export function toLoadTestDid(index: number): string {
  return `did:plc:loadtest-${index}`;
}

/**
 * Mints HS256 bearer tokens (claims sub, iat, exp — the legacy format the server accepts) for
 * `did:plc:loadtest-0 … <count-1>`, signed with the target's SECRET_KEY.
 */
export async function mintUserPool(secret: string, count: number, ttlMinutes: number): Promise<PoolUser[]> {
  if (!secret) throw new Error('SECRET_KEY is empty');
  const key = new TextEncoder().encode(secret);
  const now = Math.floor(Date.now() / 1000);
  return Promise.all(
    Array.from({ length: count }, async (_, index) => {
      const did = toLoadTestDid(index);
      const token = await new SignJWT({})
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(did)
        .setIssuedAt(now)
        .setExpirationTime(now + ttlMinutes * 60)
        .sign(key);
      return { did, token };
    }),
  );
}
