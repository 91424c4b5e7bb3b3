/**
 * Keys and items of the floor (floor-reads.ts, floor-writes.ts), as the app's entities build them
 * (server/data/neighborhood.ts, membership.ts, name-claim.ts, idempotency.ts) but without the toolbox. Items
 * carry the toolbox's `_et` entity tag and the derived index attributes, as the app writes them.
 */
import { createHash, randomUUID } from 'node:crypto';
import { toKeyDigest } from '../../server/data/table/key-digest.js';

export type Item = Record<string, unknown>;

export const shards = ['NBHD#0', 'NBHD#1'];
export const toPartition = (id: string) => `NBHD#${id}`;
export const toShard = (id: string) => shards[(createHash('sha256').update(id).digest()[0] as number) % shards.length];
export const toMembershipKey = (nbhdId: string, did: string) => ({
  PK: toPartition(nbhdId),
  SK: `MEMBER#${toKeyDigest(did)}`,
});
export const toNameKey = (name: string) => ({
  PK: `NAME#${toKeyDigest(name.normalize('NFKC').toLowerCase())}`,
  SK: 'NAME',
});
export const toMembership = (nbhdId: string, did: string, joinedAt: string) => ({
  ...toMembershipKey(nbhdId, did),
  nbhd_id: nbhdId,
  user_id: did,
  id: randomUUID(),
  joined_at: joinedAt,
  member_order: `MEMBER#${joinedAt}#${toKeyDigest(did)}`,
  user_key: `USER#${toKeyDigest(did)}`,
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
export const toIdempotencyKey = (did: string, key: string) => ({
  PK: `IDEMPOTENCY#${toKeyDigest(`${did}\u0000${key}`)}`,
  SK: 'IDEMPOTENCY',
});
