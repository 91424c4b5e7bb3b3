/**
 * Keys and items of the floor (floor-reads.ts, floor-writes.ts), from the key builders the app's entities use
 * (server/data/{neighborhood,membership,idempotency}/keys.ts: pure, no toolbox). Items carry the toolbox's
 * `_et` entity tag and the derived index attributes, as the app writes them.
 */

import { randomUUID } from 'node:crypto';
import { toIdempotencyKey } from '../../server/data/idempotency/keys.js';
import {
  membershipSortKeyPrefix,
  toMemberOrder,
  toMembershipKey,
  toUserMembershipsKey,
} from '../../server/data/membership/keys.js';
import {
  isNeighborhoodItem,
  listShards,
  metadataMemberOrder,
  toListShard,
  toNameClaimKey,
  toNeighborhoodKey,
  toNeighborhoodPartition,
} from '../../server/data/neighborhood/keys.js';

import { toQuotaKey, toScopedLimit } from '../../server/data/quota/keys.js';
import { type QuotaName, toWindowStart } from '../../server/data/quota/settings.js';
import { roomyQuota } from '../../tooling/roomy-quotas.js';

export type Item = Record<string, unknown>;

export {
  isNeighborhoodItem,
  membershipSortKeyPrefix,
  metadataMemberOrder,
  toIdempotencyKey,
  toMembershipKey,
  toNeighborhoodKey,
  toUserMembershipsKey,
};
export const shards = listShards;
export const toPartition = toNeighborhoodPartition;
export const toShard = toListShard;
export const toNameKey = toNameClaimKey;
export const toMembership = (nbhdId: string, did: string, joinedAt: string) => ({
  ...toMembershipKey(nbhdId, did),
  nbhd_id: nbhdId,
  user_id: did,
  id: randomUUID(),
  joined_at: joinedAt,
  member_order: toMemberOrder(joinedAt, did),
  user_key: toUserMembershipsKey(did),
  _et: 'MEMBER',
});
/**
 * One quota counter's update as the toolbox writes it (server/data/quota/quota-guard.ts): count + 1 while under the
 * limit, with the roomy quotas the app child runs with (the bench's mix of churning users would reach the defaults).
 */
export function toQuotaUpdate(table: string, did: string, name: QuotaName, scope?: string) {
  const { limit, windowSeconds } = roomyQuota;
  const windowStart = toWindowStart(Math.floor(Date.now() / 1000), windowSeconds);
  const scoped = toScopedLimit(name, scope);
  return {
    Update: {
      TableName: table,
      Key: toQuotaKey(did, scoped, windowStart),
      UpdateExpression:
        'SET #s_1 = :s_1, #s_2 = :s_2, #s_3 = :s_3, #s_4 = :s_4, #s_5 = if_not_exists(#s_5, :s_5) ADD #a_1 :a_1',
      ConditionExpression: '(attribute_not_exists(#c_1)) OR (#c_1 < :c_1)',
      ExpressionAttributeNames: {
        '#c_1': 'count',
        '#s_1': 'did',
        '#s_2': 'limit',
        '#s_3': 'window_start',
        '#a_1': 'count',
        '#s_4': 'expires_at',
        '#s_5': '_et',
      },
      ExpressionAttributeValues: {
        ':c_1': limit,
        ':s_1': did,
        ':s_2': scoped,
        ':s_3': windowStart,
        ':a_1': 1,
        ':s_4': windowStart + windowSeconds,
        ':s_5': 'quota',
      },
    },
  };
}

export const entityFilter = {
  FilterExpression: '(#et = :nbhd) OR (#et = :member)',
  ExpressionAttributeNames: { '#et': '_et' },
  ExpressionAttributeValues: { ':nbhd': 'NBHD', ':member': 'MEMBER' },
};

export function toNbhd(item: Item) {
  const { id, name, description, created_by, created_at, updated_at, member_count } = item;
  return {
    id,
    name,
    description: description ?? null,
    created_by,
    created_at,
    updated_at: updated_at ?? null,
    member_count,
  };
}
