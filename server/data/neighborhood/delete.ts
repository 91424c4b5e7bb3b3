import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ApiError } from '../../errors.js';
import { getConditionFailedItem, isConditionFailed } from '../faults/dynamodb-errors.js';
import { runWithFaultHandling } from '../faults/fault-handling.js';
import { createMembershipTransactionItems } from '../membership/transaction-items.js';
import type { RepoDeps } from '../repo-deps.js';
import { buildNamedTransaction } from '../table/named-transaction.js';
import { createDeleteCommands, deleteBatchSize } from './delete-commands.js';
import { toNeighborhoodPartition } from './keys.js';

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
  const commands = createDeleteCommands(entities);
  const { deleteMembership } = createMembershipTransactionItems(entities);
  const documentClient = entities.table.getDocumentClient();

  async function markDeleting(id: string, userId: string): Promise<string> {
    try {
      const input = commands.markDeleting({ id, userId, now: now().toISOString() });
      const { Attributes } = await run(() => documentClient.send(new UpdateCommand(input)));
      if (!Attributes) throw new ApiError('not-found', `Neighborhood ${id} not found.`);
      return String(Attributes.name);
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
      const page = await run(() => commands.queryMembers(toNeighborhoodPartition(id), { limit: deleteBatchSize }));
      const members = page.Items ?? [];
      const isLast = !page.LastEvaluatedKey;
      const deletes = members.map((member) => deleteMembership({ nbhdId: id, userId: String(member.user_id) }));
      // The last batch also removes the neighborhood (if its count then reaches 0) and its name claim.
      const transaction = buildNamedTransaction(
        {
          memberships: deletes,
          neighborhood: isLast
            ? commands.deleteNeighborhood({ id, memberCount: members.length })
            : commands.countDeleted({ id, delta: -members.length }),
          nameClaim: isLast ? commands.deleteNameClaim({ name, nbhdId: id }) : undefined,
        },
        documentClient,
      );
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
