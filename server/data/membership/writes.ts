import { ApiError } from '../../errors.js';
import { runWithFaultHandling } from '../faults/fault-handling.js';
import type { RepoDeps } from '../repo-deps.js';
import { buildNamedTransaction } from '../table/named-transaction.js';
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

  return {
    /** Membership + member_count + 1 in one transaction; the neighborhood must exist and not be deleting. */
    async joinNeighborhood(nbhdId: string, userId: string): Promise<void> {
      const transaction = buildNamedTransaction(
        {
          membership: items.putMembership({ nbhdId, userId, id: generateId(), joinedAt: now().toISOString() }),
          neighborhood: items.countJoin({ nbhdId }),
        },
        documentClient,
      );
      try {
        await run(transaction.send);
      } catch (error) {
        throw transaction.explainFailure(error, {
          neighborhood: () => notFound(nbhdId),
          membership: () => new ApiError('already-member', 'You are already a member of this neighborhood.'),
        });
      }
    },

    /** Membership out + member_count − 1 in one transaction. */
    async leaveNeighborhood(nbhdId: string, userId: string): Promise<void> {
      const transaction = buildNamedTransaction(
        {
          membership: items.deleteMembership({ nbhdId, userId }),
          neighborhood: items.countLeave({ nbhdId }),
        },
        documentClient,
      );
      try {
        await run(transaction.send);
      } catch (error) {
        throw transaction.explainFailure(error, {
          neighborhood: () => notFound(nbhdId),
          membership: () => new ApiError('not-a-member', 'You are not a member of this neighborhood.'),
        });
      }
    },
  };
}
