import { Entity } from 'dynamodb-toolbox/entity';
import { item } from 'dynamodb-toolbox/schema/item';
import { string } from 'dynamodb-toolbox/schema/string';
import type { AppTable } from '../table/table.js';
import { toMemberOrder, toMembershipKey, toUserMembershipsKey } from './keys.js';

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
