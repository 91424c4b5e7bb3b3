import { describe, expect, it } from 'vitest';
import { mintUserPool, mintUserToken } from '../../loadtest/runner/user-pool.js';
import { createSessionTokens } from '../../server/auth/session-tokens.js';

const server = createSessionTokens({ secretKey: 'pool-secret', expireMinutes: 60 });

describe('load-test user pool', () => {
  it('mints tokens the server accepts for did:plc:loadtest-<n>', async () => {
    const users = await mintUserPool('pool-secret', 3, 5);
    expect(users.map((user) => user.did)).toEqual(['did:plc:loadtest-0', 'did:plc:loadtest-1', 'did:plc:loadtest-2']);
    for (const user of users) expect(await server.verify(user.token)).toBe(user.did);
  });

  it('mints a token that expired ttl minutes ago when ttl is negative, which the server refuses as expired', async () => {
    const token = await mintUserToken('pool-secret', 'did:plc:loadtest-0', -60);
    await expect(server.verify(token)).rejects.toThrow(/expired/);
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { exp: number };
    expect(claims.exp).toBeLessThan(Date.now() / 1000 - 59 * 60);
  });

  it('refuses to mint without a secret', async () => {
    await expect(mintUserPool('', 1, 5)).rejects.toThrow(/SECRET_KEY is empty/);
  });
});
