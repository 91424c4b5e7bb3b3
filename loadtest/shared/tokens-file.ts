/** One load-test user: a DID from the pool `did:plc:loadtest-<n>` and a bearer token for it. */
export interface PoolUser {
  did: string;
  token: string;
}

/**
 * Parses the tokens file written by `npm run loadtest:tokens` (loadtest/mint-tokens.ts):
 * `{ "users": [{ "did": …, "token": … }, …] }`. The k6 scripts never see SECRET_KEY itself.
 */
export function parseUserPool(text: string, needed: number): PoolUser[] {
  const parsed = JSON.parse(text) as { users?: unknown };
  const users = Array.isArray(parsed.users) ? parsed.users : [];
  const valid = users.filter(
    (user): user is PoolUser =>
      typeof user === 'object' && user !== null && typeof user.did === 'string' && typeof user.token === 'string',
  );
  if (valid.length < needed) {
    throw new Error(`the tokens file has ${valid.length} users, the scenario file needs ${needed}: mint more`);
  }
  return valid;
}
