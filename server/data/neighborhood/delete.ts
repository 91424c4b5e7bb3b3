import { DeleteTransaction } from 'dynamodb-toolbox/entity/actions/transactDelete';
import { UpdateTransaction } from 'dynamodb-toolbox/entity/actions/transactUpdate';
import { $add, $remove, UpdateItemCommand } from 'dynamodb-toolbox/entity/actions/update';
import { QueryCommand } from 'dynamodb-toolbox/table/actions/query';
import { ApiError } from '../../errors.js';
import { getConditionFailedItem, isConditionFailed } from '../faults/dynamodb-errors.js';
import { runWithFaultHandling } from '../faults/fault-handling.js';
import { membershipSortKeyPrefix } from '../membership/keys.js';
import type { RepoDeps } from '../repo-deps.js';
import { buildNamedTransaction } from '../table/named-transaction.js';
import { toNeighborhoodPartition } from './keys.js';

/** 100 items per transaction: the last one also deletes the neighborhood and its name claim. */
const batchSize = 98;
/** Rounds that made no progress (a concurrent leave changed the batch) before we give up with a 503. */
const maxStalledRounds = 5;

/**
 * Deleting a neighborhood: mark it deleting and take it off the list (joins check the mark, so no new member
 * lands), then remove
 * memberships in transactions that lower member_count by as many as they delete; the last transaction also
 * removes the neighborhood (only if its count is then 0) and its name claim. At every commit member_count
 * equals the membership items left. A neighborhood of ≤ 98 members takes 3 calls: update, query, transaction.
 */
export function createNeighborhoodDeleter({ entities, now, retryPolicy }: RepoDeps) {
  const run = <T>(operation: () => Promise<T>) => runWithFaultHandling(operation, retryPolicy);

  async function markDeleting(id: string, userId: string): Promise<string> {
    try {
      const { Attributes } = await run(() =>
        entities.neighborhoods
          .build(UpdateItemCommand)
          // Leaving GSI1 here, outside a transaction, costs that one global key 1 WCU instead of the 2 the
          // final transactional delete would.
          .item({ id, deleting_at: now().toISOString(), entity_type: $remove() })
          .options({
            condition: { attr: 'created_by', eq: userId },
            returnValues: 'ALL_NEW',
            returnValuesOnConditionFalse: 'ALL_OLD',
          })
          .send(),
      );
      if (!Attributes) throw new ApiError('not-found', `Neighborhood ${id} not found.`);
      return Attributes.name;
    } catch (error) {
      if (isConditionFailed(error)) {
        throw getConditionFailedItem(error)
          ? new ApiError('forbidden', 'Only the creator of a neighborhood may change or delete it.')
          : new ApiError('not-found', `Neighborhood ${id} not found.`);
      }
      throw error;
    }
  }

  return async function deleteNeighborhood(id: string, userId: string): Promise<void> {
    const name = await markDeleting(id, userId);
    for (let stalled = 0; stalled < maxStalledRounds; ) {
      const page = await run(() =>
        entities.table
          .build(QueryCommand)
          .entities(entities.memberships)
          .query({ partition: toNeighborhoodPartition(id), range: { beginsWith: membershipSortKeyPrefix } })
          .options({ limit: batchSize, consistent: true })
          .send(),
      );
      const members = page.Items ?? [];
      const isLast = !page.LastEvaluatedKey;
      const deletes = members.map((member) =>
        entities.memberships
          .build(DeleteTransaction)
          .key({ nbhd_id: id, user_id: member.user_id })
          .options({ condition: { attr: 'id', exists: true } }),
      );
      // The last batch also removes the neighborhood (if its count then reaches 0) and its name claim.
      const transaction = buildNamedTransaction({
        memberships: deletes,
        neighborhood: isLast
          ? entities.neighborhoods
              .build(DeleteTransaction)
              .key({ id })
              .options({ condition: { attr: 'member_count', eq: members.length } })
          : entities.neighborhoods.build(UpdateTransaction).item({ id, member_count: $add(-members.length) }),
        nameClaim: isLast
          ? entities.nameClaims
              .build(DeleteTransaction)
              .key({ name })
              .options({ condition: { attr: 'nbhd_id', eq: id } })
          : undefined,
      });
      try {
        await run(transaction.send);
        if (isLast) return;
      } catch (error) {
        // A member left between our query and this transaction, which therefore did nothing: read again.
        const failed = transaction.findFailedConditions(error);
        if (!failed.has('memberships') && !failed.has('neighborhood')) throw error;
        stalled += 1;
      }
    }
    throw new ApiError('service-unavailable', 'The neighborhood is changing too fast to delete; retry shortly.', {
      retryAfter: 1,
    });
  };
}
