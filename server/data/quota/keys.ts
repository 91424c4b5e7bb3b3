import { toKeyDigest } from '../table/key-digest.js';

/**
 * The quota counter's key formats, pure (no toolbox), so the migration, verify and the CPU floor recognise and
 * build them too: `QUOTA#{digest(did)}` / `{limit}#{windowStart}`. One partition per user, so no counter is a key
 * every user writes; a limit scoped to a neighborhood names it inside the limit (`membership-nbhd@{nbhd id}`).
 */

const quotaPrefix = 'QUOTA#';

/** Primary key of one user's counter for one limit (with its scope) and one fixed window (epoch seconds). */
export function toQuotaKey(did: string, limit: string, windowStart: number): { PK: string; SK: string } {
  return { PK: `${quotaPrefix}${toKeyDigest(did)}`, SK: `${limit}#${windowStart}` };
}

/** The limit's name as kept in the key: the limit, and after `@` what it is counted per (a neighborhood). */
export function toScopedLimit(limit: string, scope?: string): string {
  return scope === undefined ? limit : `${limit}@${scope}`;
}

/** True for a raw item that is a quota counter (the service's own bookkeeping: never migrated or replicated). */
export function isQuotaItem(item: { PK?: unknown } | undefined): boolean {
  return typeof item?.PK === 'string' && item.PK.startsWith(quotaPrefix);
}
