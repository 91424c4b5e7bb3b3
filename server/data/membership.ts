import { Entity } from 'dynamodb-toolbox/entity';
import { item } from 'dynamodb-toolbox/schema/item';
import { string } from 'dynamodb-toolbox/schema/string';
import { toNeighborhoodPartition } from './neighborhood.js';
import type { AppTable } from './table.js';

const memberPrefix = 'MEMBER#';

/** Sort-key prefix of membership items inside a neighborhood's partition. */
export const membershipSortKeyPrefix = memberPrefix;

/** Primary key of one user's membership in one neighborhood. */
export function toMembershipKey(nbhdId: string, userId: string): { PK: string; SK: string } {
  return { PK: toNeighborhoodPartition(nbhdId), SK: `${memberPrefix}${userId}` };
}

export const membershipSchema = item({
  nbhd_id: string().key(),
  user_id: string().key(),
  id: string(),
  joined_at: string(),
});

/**
 * The membership entity: `NBHD#{nbhd_id}` / `MEMBER#{did}`; `user_id` + `joined_at` feed GSI3.
 *
 * @example
 * const memberships = createMembershipEntity(table);
 */
export function createMembershipEntity(table: AppTable) {
  return new Entity({
    name: 'MEMBER',
    table,
    schema: membershipSchema,
    computeKey: ({ nbhd_id, user_id }) => toMembershipKey(nbhd_id, user_id),
    timestamps: false,
  });
}

export type MembershipEntity = ReturnType<typeof createMembershipEntity>;
