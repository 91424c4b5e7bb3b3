import { SignJWT } from 'jose';
import { toLoadTestDid } from '../shared/fixture-data.js';

export { toLoadTestDid };

export interface PoolUser {
  did: string;
  token: string;
}

/**
 * Mints one HS256 bearer token (claims sub, iat, exp — the legacy format the server accepts) for `did`,
 * signed with the target's SECRET_KEY. A negative `ttlMinutes` gives a token that has already expired.
 */
export async function mintUserToken(secret: string, did: string, ttlMinutes: number): Promise<string> {
  if (!secret) throw new Error('SECRET_KEY is empty');
  const now = Math.floor(Date.now() / 1000);
  const expiresAt = now + Math.round(ttlMinutes * 60);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(did)
    .setIssuedAt(Math.min(now, expiresAt - 60))
    .setExpirationTime(expiresAt)
    .sign(new TextEncoder().encode(secret));
}

/** Mints tokens for the pool `did:plc:loadtest-0 … <count-1>`, valid for `ttlMinutes`. */
export async function mintUserPool(secret: string, count: number, ttlMinutes: number): Promise<PoolUser[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, index) => {
      const did = toLoadTestDid(index);
      return { did, token: await mintUserToken(secret, did, ttlMinutes) };
    }),
  );
}
