import { DeleteTransaction } from 'dynamodb-toolbox/entity/actions/transactDelete';
import { PutTransaction } from 'dynamodb-toolbox/entity/actions/transactPut';
import { UpdateTransaction } from 'dynamodb-toolbox/entity/actions/transactUpdate';
import { $add } from 'dynamodb-toolbox/entity/actions/update';
import type { RepoDeps } from '../repo-deps.js';
import { createCommandTemplate } from '../table/command-template.js';
import { toSentItem } from '../table/named-transaction.js';
import { toMemberOrder, toMembershipKey, toUserMembershipsKey } from './keys.js';

type Entities = RepoDeps['entities'];

/**
 * The transaction items of joins and leaves (and a creator's membership), as the toolbox builds them, through
 * command templates (table/command-template.ts): built by the toolbox once, filled in per call.
 */
export function createMembershipTransactionItems(entities: Entities) {
  // The keys the entity computes, from the same builders (keys.ts owns their formats).
  const sortKey = ({ nbhdId, userId }: { nbhdId: string; userId: string }) => toMembershipKey(nbhdId, userId).SK;
  return {
    /** A new membership, unless the user already has one there. */
    putMembership: createCommandTemplate({
      name: 'put membership',
      shape: { nbhdId: 'string', userId: 'string', id: 'string', joinedAt: 'string' },
      derive: {
        sortKey,
        memberOrder: ({ joinedAt, userId }) => toMemberOrder(joinedAt, userId),
        userKey: ({ userId }) => toUserMembershipsKey(userId),
      },
      build: (v) =>
        toSentItem(
          entities.memberships
            .build(PutTransaction)
            .item({ nbhd_id: v.nbhdId, user_id: v.userId, id: v.id, joined_at: v.joinedAt })
            .options({ condition: { attr: 'id', exists: false } })
            .params(),
        ),
    }),
    /** Removes a membership, which must exist. */
    deleteMembership: createCommandTemplate({
      name: 'delete membership',
      shape: { nbhdId: 'string', userId: 'string' },
      derive: { sortKey },
      build: (v) =>
        toSentItem(
          entities.memberships
            .build(DeleteTransaction)
            .key({ nbhd_id: v.nbhdId, user_id: v.userId })
            .options({ condition: { attr: 'id', exists: true } })
            .params(),
        ),
    }),
    /** member_count + 1 on a neighborhood that exists and is not being deleted. */
    countJoin: createCommandTemplate({
      name: 'count a join',
      shape: { nbhdId: 'string' },
      build: (v) =>
        toSentItem(
          entities.neighborhoods
            .build(UpdateTransaction)
            .item({ id: v.nbhdId, member_count: $add(1) })
            .options({
              condition: {
                and: [
                  { attr: 'id', exists: true },
                  { attr: 'deleting_at', exists: false },
                ],
              },
            })
            .params(),
        ),
    }),
    /** member_count − 1 on a neighborhood that exists. */
    countLeave: createCommandTemplate({
      name: 'count a leave',
      shape: { nbhdId: 'string' },
      build: (v) =>
        toSentItem(
          entities.neighborhoods
            .build(UpdateTransaction)
            .item({ id: v.nbhdId, member_count: $add(-1) })
            .options({ condition: { attr: 'id', exists: true } })
            .params(),
        ),
    }),
  };
}

export type MembershipTransactionItems = ReturnType<typeof createMembershipTransactionItems>;
