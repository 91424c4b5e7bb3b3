import { createSessionTokens } from '../../server/auth/session-tokens.js';
import { toLoadTestDid } from '../shared/fixture-data.js';
import type { PoolUser } from '../shared/tokens-file.js';

export type { PoolUser };
export { toLoadTestDid };

/**
 * Mints one bearer token for `did` with the server's own session tokens, signed with the target's SECRET_KEY.
 * A `ttlMinutes` ≤ 0 gives a token that expired that long ago (issued a minute before it expired).
 */
export async function mintUserToken(secret: string, did: string, ttlMinutes: number): Promise<string> {
  if (!secret) throw new Error('SECRET_KEY is empty');
  if (ttlMinutes > 0) return createSessionTokens({ secretKey: secret, expireMinutes: ttlMinutes }).issue(did);
  const issuedAt = new Date(Date.now() + (ttlMinutes - 1) * 60_000);
  return createSessionTokens({ secretKey: secret, expireMinutes: 1, now: () => issuedAt }).issue(did);
}

/** Mints tokens for the pool `did:plc:loadtest-0 … <count-1>`, valid for `ttlMinutes`. */
export async function mintUserPool(secret: string, count: number, ttlMinutes: number): Promise<PoolUser[]> {
  if (!secret) throw new Error('SECRET_KEY is empty');
  const tokens = createSessionTokens({ secretKey: secret, expireMinutes: ttlMinutes });
  return Promise.all(
    Array.from({ length: count }, async (_, index) => {
      const did = toLoadTestDid(index);
      return { did, token: await tokens.issue(did) };
    }),
  );
}
