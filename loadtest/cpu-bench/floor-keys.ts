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
