/**
 * The per-user quotas: each a number of requests per fixed window. Defaults, and why:
 * - `create` 20 a day: a person starts a few neighborhoods, not dozens; names are unique, so this bounds squatting.
 * - `update` 60 an hour: renames and description edits are rare; a rename also swaps name claims.
 * - `delete` 20 a day: matches creates, so create + delete cycles cannot churn GSI1 past the create limit.
 * - `membership` 30 a minute: all of one user's joins and leaves; a person clicks a few times a minute at most.
 * - `membership-nbhd` 6 a minute per user and neighborhood: join/leave flapping on one neighborhood, whose
 *   partition takes ≈ 125 joins/s in all (docs/server.md, Limits), is cut to 0.1 requests/s per user.
 * - `test-login` 5 wrong passwords per 15 minutes per client address, then 429 until the window ends.
 */
export const quotaNames = ['create', 'update', 'delete', 'membership', 'membership-nbhd', 'test-login'] as const;
export type QuotaName = (typeof quotaNames)[number];

export interface QuotaLimit {
  /** Requests allowed in one window. */
  limit: number;
  /** The window's length in seconds; windows start at multiples of it since the epoch. */
  windowSeconds: number;
}

export type QuotaSettings = Readonly<Record<QuotaName, QuotaLimit>>;

export const defaultQuotas: QuotaSettings = Object.freeze({
  create: { limit: 20, windowSeconds: 86_400 },
  update: { limit: 60, windowSeconds: 3_600 },
  delete: { limit: 20, windowSeconds: 86_400 },
  membership: { limit: 30, windowSeconds: 60 },
  'membership-nbhd': { limit: 6, windowSeconds: 60 },
  'test-login': { limit: 5, windowSeconds: 900 },
});

/** The environment variable of each quota, e.g. `QUOTA_MEMBERSHIP_NBHD=6/60` (limit / window seconds). */
export const toQuotaSetting = (name: QuotaName) => `QUOTA_${name.toUpperCase().replace(/-/g, '_')}`;

/** The quotas each write counts against, in the order `RateLimit-Policy` lists them. */
export const writeQuotas = {
  createNeighborhood: ['create'],
  updateNeighborhood: ['update'],
  deleteNeighborhood: ['delete'],
  joinNeighborhood: ['membership', 'membership-nbhd'],
  leaveNeighborhood: ['membership', 'membership-nbhd'],
  testLogin: ['test-login'],
} as const satisfies Record<string, readonly QuotaName[]>;

/** `RateLimit-Policy` (draft-ietf-httpapi-ratelimit-headers): `"name";q=limit;w=window` for each quota. */
export function toRateLimitPolicy(quotas: QuotaSettings, names: readonly QuotaName[]): string {
  return names.map((name) => `"${name}";q=${quotas[name].limit};w=${quotas[name].windowSeconds}`).join(', ');
}

/** Start of the fixed window that holds `epochSeconds`. */
export function toWindowStart(epochSeconds: number, windowSeconds: number): number {
  return Math.floor(epochSeconds / windowSeconds) * windowSeconds;
}
