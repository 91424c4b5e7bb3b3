import { ApiError } from '../../errors.js';
import { getCancellationReasons } from '../faults/dynamodb-errors.js';
import { runWithFaultHandling } from '../faults/fault-handling.js';
import { isMembershipItem } from '../membership/keys.js';
import { createMembershipTransactionItems } from '../membership/transaction-items.js';
import { getQuotaGuard, noQuota } from '../quota/quota-guard.js';
import type { RepoDeps } from '../repo-deps.js';
import { buildNamedTransaction } from '../table/named-transaction.js';
import { createDeleteCommands, deleteBatchSize } from './delete-commands.js';
import { isNeighborhoodItem, toNeighborhoodPartition } from './keys.js';

/** Rounds that made no progress (a concurrent leave changed the batch) before we give up with a 503. */
const maxStalledRounds = 5;

const notFound = (id: string) => new ApiError('not-found', `Neighborhood ${id} not found.`);

/**
 * Deleting a neighborhood: mark it deleting and take it off the list (joins check the mark, so no new member
 * lands), in one transaction with the deletes quota, so a refused delete changes nothing; then remove memberships
 * in transactions that lower member_count by as many as they delete; the last transaction also removes the
 * neighborhood (only if its count is then 0) and its name claim (named by the metadata item, which the last page
 * of the partition holds). At every commit member_count equals the membership items left. A neighborhood of ≤ 97
 * members takes 3 calls: transaction, query, transaction.
 */
export function createNeighborhoodDeleter(deps: RepoDeps) {
  const { entities, now, retryPolicy } = deps;
  const run = <T>(operation: () => Promise<T>) => runWithFaultHandling(operation, retryPolicy);
  const commands = createDeleteCommands(entities);
  const { deleteMembership } = createMembershipTransactionItems(entities);
  const documentClient = entities.table.getDocumentClient();
  const quotaGuard = getQuotaGuard(deps);

  async function markDeleting(id: string, userId: string): Promise<void> {
    const quota = quotaGuard?.charge(userId, [{ name: 'delete' }]) ?? noQuota;
    const transaction = buildNamedTransaction<string>(
      { neighborhood: commands.markDeleting({ id, userId, now: now().toISOString() }), ...quota.items },
      documentClient,
    );
    try {
      await run(transaction.send);
    } catch (error) {
      const failed = transaction.findFailedConditions(error);
      const refusal = quota.explainRefusal(failed);
      if (refusal) throw refusal;
      if (failed.has('neighborhood')) {
        // The mark is the first item; its old image (ALL_OLD) exists when someone else created it.
        const old = getCancellationReasons(error)?.[0]?.Item;
        throw old
          ? new ApiError('forbidden', 'Only the creator of a neighborhood may change or delete it.')
          : notFound(id);
      }
      throw error;
    }
  }

  return async function deleteNeighborhood(id: string, userId: string): Promise<void> {
    await markDeleting(id, userId);
    for (let stalled = 0; stalled < maxStalledRounds; ) {
      const page = await run(() => commands.queryMembers(toNeighborhoodPartition(id), { limit: deleteBatchSize }));
      const items = page.Items ?? [];
      const isLast = !page.LastEvaluatedKey;
      const metadata = items.find((item) => isNeighborhoodItem(item));
      // Deleted meanwhile by a concurrent delete of the same creator: nothing is left to do.
      if (isLast && !metadata) return;
      const members = items.filter((item) => isMembershipItem(item));
      const deletes = members.map((member) => deleteMembership({ nbhdId: id, userId: String(member.user_id) }));
      // The last batch also removes the neighborhood (if its count then reaches 0) and its name claim.
      const transaction = buildNamedTransaction(
        {
          memberships: deletes,
          neighborhood: isLast
            ? commands.deleteNeighborhood({ id, memberCount: members.length })
            : commands.countDeleted({ id, delta: -members.length }),
          nameClaim:
            metadata && isLast ? commands.deleteNameClaim({ name: String(metadata.name), nbhdId: id }) : undefined,
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
