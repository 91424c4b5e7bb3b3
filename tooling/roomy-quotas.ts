import { type QuotaLimit, quotaNames, toQuotaSetting } from '../server/data/quota/settings.js';

/** 10⁶ requests per hour: a quota no bench or unrelated test reaches. */
export const roomyQuota: Readonly<QuotaLimit> = Object.freeze({ limit: 1_000_000, windowSeconds: 3_600 });

/**
 * `QUOTA_*` settings of `roomyQuota` for every quota: for benches and tests that measure or check something else (a
 * bench's one user creating hundreds of neighborhoods, the load mix's churning users). The counters are still
 * written in the same transactions, so calls and capacity stay the app's; only the refusals are out of the way.
 */
export const roomyQuotaEnv: Readonly<Record<string, string>> = Object.freeze(
  Object.fromEntries(
    quotaNames.map((name) => [toQuotaSetting(name), `${roomyQuota.limit}/${roomyQuota.windowSeconds}`]),
  ),
);
