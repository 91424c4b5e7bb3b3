import { ApiError } from '../../errors.js';
import { runWithFaultHandling } from '../faults/fault-handling.js';
import { getQuotaGuard, noQuota } from '../quota/quota-guard.js';
import type { RepoDeps } from '../repo-deps.js';
import { buildNamedTransaction, type WriteTransaction } from '../table/named-transaction.js';
import { notFound } from './repo.js';
import { createMembershipTransactionItems } from './transaction-items.js';

/**
 * Joins and leaves: each moves member_count in the same transaction as the membership, and counts against the
 * user's quotas (all their joins and leaves, and those of this neighborhood) in that transaction too. Loaded on
 * the first of them (membership/repo.ts), so a cold start serving a read never parses this code or the toolbox's
 * write actions.
 */
export function createMembershipWrites(deps: RepoDeps) {
  const { entities, now, generateId, retryPolicy } = deps;
  const run = <T>(operation: () => Promise<T>) => runWithFaultHandling(operation, retryPolicy);
  const items = createMembershipTransactionItems(entities);
  const documentClient = entities.table.getDocumentClient();
  const quotaGuard = getQuotaGuard(deps);

  /** The membership item, the count change and the quota counters in one transaction; a failed condition tells which. */
  async function changeMembership(
    nbhdId: string,
    userId: string,
    change: Record<'membership' | 'neighborhood', WriteTransaction>,
    membershipRefused: () => ApiError,
  ): Promise<void> {
    const quota =
      quotaGuard?.charge(userId, [{ name: 'membership' }, { name: 'membership-nbhd', scope: nbhdId }]) ?? noQuota;
    const transaction = buildNamedTransaction<string>({ ...change, ...quota.items }, documentClient);
    try {
      await run(transaction.send);
    } catch (error) {
      throw (
        quota.explainRefusal(transaction.findFailedConditions(error)) ??
        transaction.explainFailure(error, {
          neighborhood: () => notFound(nbhdId),
          membership: membershipRefused,
        })
      );
    }
  }

  return {
    /** Membership + member_count + 1 (+ quota counters) in one transaction; the neighborhood must exist and not be deleting. */
    joinNeighborhood: (nbhdId: string, userId: string): Promise<void> =>
      changeMembership(
        nbhdId,
        userId,
        {
          membership: items.putMembership({ nbhdId, userId, id: generateId(), joinedAt: now().toISOString() }),
          neighborhood: items.countJoin({ nbhdId }),
        },
        () => new ApiError('already-member', 'You are already a member of this neighborhood.'),
      ),

    /** Membership out + member_count − 1 (+ quota counters) in one transaction. */
    leaveNeighborhood: (nbhdId: string, userId: string): Promise<void> =>
      changeMembership(
        nbhdId,
        userId,
        { membership: items.deleteMembership({ nbhdId, userId }), neighborhood: items.countLeave({ nbhdId }) },
        () => new ApiError('not-a-member', 'You are not a member of this neighborhood.'),
      ),
  };
}
