import { ApiError } from '../../errors.js';
import { runWithFaultHandling } from '../faults/fault-handling.js';
import { createIdempotencyRepo } from '../idempotency/repo.js';
import { createMembershipTransactionItems } from '../membership/transaction-items.js';
import { getQuotaGuard, noQuota } from '../quota/quota-guard.js';
import type { RepoDeps } from '../repo-deps.js';
import type { NbhdRecord } from '../shapes.js';
import { buildNamedTransaction } from '../table/named-transaction.js';
import type { CreateNeighborhoodInput, CreateNeighborhoodResult } from './repo.js';
import { createNeighborhoodTransactionItems } from './transaction-items.js';

/**
 * Creating a neighborhood. Loaded on the first create (neighborhood/repo.ts), so a cold start serving a read never
 * parses this code or the toolbox's write actions.
 */
export function createNeighborhoodWrites(deps: RepoDeps) {
  const { entities, now, generateId, retryPolicy } = deps;
  const idempotency = createIdempotencyRepo(deps);
  const items = createNeighborhoodTransactionItems(entities);
  const membershipItems = createMembershipTransactionItems(entities);
  const quotaGuard = getQuotaGuard(deps);

  return {
    /** Neighborhood + name claim + creator membership (+ idempotency record) + the creates quota in one transaction. */
    async createNeighborhood(input: CreateNeighborhoodInput): Promise<CreateNeighborhoodResult> {
      if (input.idempotency) {
        const stored = await idempotency.findResponse<NbhdRecord>(input.userId, input.idempotency);
        if (stored) return { nbhd: stored.body, replayed: true };
      }
      const quota = quotaGuard?.charge(input.userId, [{ name: 'create' }]) ?? noQuota;
      const id = generateId();
      const createdAt = now().toISOString();
      const nbhd: NbhdRecord = {
        id,
        name: input.name,
        description: input.description ?? null,
        created_by: input.userId,
        created_at: createdAt,
        updated_at: null,
        member_count: 1,
      };
      const transaction = buildNamedTransaction(
        {
          neighborhood: items.putNeighborhood({
            id,
            name: input.name,
            description: input.description ?? undefined,
            createdBy: input.userId,
            createdAt,
          }),
          nameClaim: items.putNameClaim({ name: input.name, nbhdId: id }),
          creatorMembership: membershipItems.putMembership({
            nbhdId: id,
            userId: input.userId,
            id: generateId(),
            joinedAt: createdAt,
          }),
          idempotency:
            input.idempotency &&
            idempotency.buildPutTransaction(input.userId, input.idempotency, { status: 201, body: nbhd }),
          ...quota.items,
        },
        entities.table.getDocumentClient(),
      );
      try {
        await runWithFaultHandling(transaction.send, retryPolicy);
      } catch (error) {
        const failed = transaction.findFailedConditions(error);
        const refusal = quota.explainRefusal(failed);
        if (refusal) throw refusal;
        // Checked before the name: a concurrent retry with the same key also collides on the same name.
        if (input.idempotency && failed.has('idempotency')) {
          const stored = await idempotency.findResponse<NbhdRecord>(input.userId, input.idempotency);
          if (stored) return { nbhd: stored.body, replayed: true };
        }
        if (failed.has('nameClaim')) {
          throw new ApiError('name-taken', `A neighborhood named "${input.name}" already exists.`);
        }
        throw error;
      }
      return { nbhd, replayed: false };
    },
  };
}
