import { Entity } from 'dynamodb-toolbox/entity';
import { item } from 'dynamodb-toolbox/schema/item';
import { string } from 'dynamodb-toolbox/schema/string';
import { toNeighborhoodPartition } from '../neighborhood/entity.js';
import { toKeyDigest } from '../table/key-digest.js';
import type { AppTable } from '../table/table.js';

const memberPrefix = 'MEMBER#';

/** Sort-key prefix of membership items inside a neighborhood's partition (table and LSI1). */
export const membershipSortKeyPrefix = memberPrefix;

/** Primary key of one user's membership in one neighborhood; the DID is digested so any DID fits. */
export function toMembershipKey(nbhdId: string, userId: string): { PK: string; SK: string } {
  return { PK: toNeighborhoodPartition(nbhdId), SK: `${memberPrefix}${toKeyDigest(userId)}` };
}

/**
 * LSI1's sort key for a membership: joined_at, then the DID's digest so equal instants still have one total
 * order. ISO timestamps sort as text, and `MEMBER#…` sorts below `METADATA`, so a descending query gives the
 * neighborhood first, then members newest joined first. Fixed size: 7 + 24 + 1 + 43 bytes.
 */
export function toMemberOrder(joinedAt: string, userId: string): string {
  return `${memberPrefix}${joinedAt}#${toKeyDigest(userId)}`;
}

/** GSI3's partition key: one user's memberships, under a fixed-size digest of the DID. */
export function toUserMembershipsKey(userId: string): string {
  return `USER#${toKeyDigest(userId)}`;
}

export const membershipSchema = item({
  nbhd_id: string().key(),
  user_id: string().key(),
  id: string(),
  joined_at: string(),
});

/** Adds the index attributes derived from the membership's own fields (on every put, import included). */
const membershipItemSchema = membershipSchema.and((schema) => ({
  member_order: string().link<typeof schema>(({ joined_at, user_id }) => toMemberOrder(joined_at, user_id)),
  user_key: string().link<typeof schema>(({ user_id }) => toUserMembershipsKey(user_id)),
}));

/**
 * The membership entity: `NBHD#{nbhd_id}` / `MEMBER#{digest(did)}`. `member_order` feeds LSI1 (members newest
 * first); `user_key` + `joined_at` feed GSI3 (a user's neighborhoods).
 *
 * @example
 * const memberships = createMembershipEntity(table);
 */
export function createMembershipEntity(table: AppTable) {
  return new Entity({
    name: 'MEMBER',
    table,
    schema: membershipItemSchema,
    computeKey: ({ nbhd_id, user_id }) => toMembershipKey(nbhd_id, user_id),
    timestamps: false,
  });
}

export type MembershipEntity = ReturnType<typeof createMembershipEntity>;
