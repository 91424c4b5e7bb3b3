import { Entity } from 'dynamodb-toolbox/entity';
import { item } from 'dynamodb-toolbox/schema/item';
import { number } from 'dynamodb-toolbox/schema/number';
import { string } from 'dynamodb-toolbox/schema/string';
import type { AppTable } from '../table/table.js';
import { toQuotaKey } from './keys.js';

export const quotaSchema = item({
  /** The user counted (readable; the key holds its digest). Not named user_id, so it never looks like a membership. */
  did: string().key(),
  /** The limit, with its scope (`membership-nbhd@{nbhd id}`). */
  limit: string().key(),
  /** Start of the fixed window, epoch seconds (a multiple of the window's length). */
  window_start: number().key(),
  /** Requests counted in the window; only ever grows, a refused request adds nothing. */
  count: number(),
  /** Epoch seconds, the table's TTL attribute: the window's end plus a margin; readers never need it. */
  expires_at: number(),
});

/**
 * The quota counter entity (`quota`): `QUOTA#{digest(did)}` / `{limit}#{windowStart}`. Its own entity, so the
 * replication's reverse applier (neighborhoods and memberships only) skips it.
 *
 * @example
 * const quotas = createQuotaEntity(table);
 */
export function createQuotaEntity(table: AppTable) {
  return new Entity({
    name: 'quota',
    table,
    schema: quotaSchema,
    computeKey: ({ did, limit, window_start }) => toQuotaKey(did, limit, window_start),
    timestamps: false,
  });
}

export type QuotaEntity = ReturnType<typeof createQuotaEntity>;
