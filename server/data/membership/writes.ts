import { ApiError } from '../../errors.js';
import { runWithFaultHandling } from '../faults/fault-handling.js';
import type { RepoDeps } from '../repo-deps.js';
import { buildNamedTransaction, type WriteTransaction } from '../table/named-transaction.js';
import { notFound } from './repo.js';
import { createMembershipTransactionItems } from './transaction-items.js';

/**
 * Joins and leaves: each moves member_count in the same transaction as the membership. Loaded on the first of them
 * (membership/repo.ts), so a cold start serving a read never parses this code or the toolbox's write actions.
 */
export function createMembershipWrites(deps: RepoDeps) {
  const { entities, now, generateId, retryPolicy } = deps;
  const run = <T>(operation: () => Promise<T>) => runWithFaultHandling(operation, retryPolicy);
  const items = createMembershipTransactionItems(entities);
  const documentClient = entities.table.getDocumentClient();

  /** The membership item and the count change in one transaction; a failed condition tells which one refused. */
  async function changeMembership(
    nbhdId: string,
    change: Record<'membership' | 'neighborhood', WriteTransaction>,
    membershipRefused: () => ApiError,
  ): Promise<void> {
    const transaction = buildNamedTransaction(change, documentClient);
    try {
      await run(transaction.send);
    } catch (error) {
      throw transaction.explainFailure(error, {
        neighborhood: () => notFound(nbhdId),
        membership: membershipRefused,
      });
    }
  }

  return {
    /** Membership + member_count + 1 in one transaction; the neighborhood must exist and not be deleting. */
    joinNeighborhood: (nbhdId: string, userId: string): Promise<void> =>
      changeMembership(
        nbhdId,
        {
          membership: items.putMembership({ nbhdId, userId, id: generateId(), joinedAt: now().toISOString() }),
          neighborhood: items.countJoin({ nbhdId }),
        },
        () => new ApiError('already-member', 'You are already a member of this neighborhood.'),
      ),

    /** Membership out + member_count − 1 in one transaction. */
    leaveNeighborhood: (nbhdId: string, userId: string): Promise<void> =>
      changeMembership(
        nbhdId,
        { membership: items.deleteMembership({ nbhdId, userId }), neighborhood: items.countLeave({ nbhdId }) },
        () => new ApiError('not-a-member', 'You are not a member of this neighborhood.'),
      ),
  };
}
