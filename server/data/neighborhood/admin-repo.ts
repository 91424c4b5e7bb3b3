import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get';
import { DeleteTransaction } from 'dynamodb-toolbox/entity/actions/transactDelete';
import { PutTransaction } from 'dynamodb-toolbox/entity/actions/transactPut';
import { UpdateTransaction } from 'dynamodb-toolbox/entity/actions/transactUpdate';
import { $remove } from 'dynamodb-toolbox/entity/actions/update';
import { ApiError } from '../../errors.js';
import { runWithFaultHandling } from '../faults/fault-handling.js';
import { getQuotaGuard, noQuota } from '../quota/quota-guard.js';
import type { RepoDeps } from '../repo-deps.js';
import { type NbhdRecord, type StoredNeighborhood, toNbhdRecord } from '../shapes.js';
import { buildNamedTransaction } from '../table/named-transaction.js';
import { createNeighborhoodDeleter } from './delete.js';
import { normalizeName } from './keys.js';

export interface UpdateNeighborhoodInput {
  id: string;
  userId: string;
  name?: string;
  /** null removes the description; undefined leaves it. */
  description?: string | null;
}

/** An update whose read is overtaken by another update is retried from a fresh read this many times. */
const updateAttempts = 3;

const notFound = (id: string) => new ApiError('not-found', `Neighborhood ${id} not found.`);
const notCreator = () => new ApiError('forbidden', 'Only the creator of a neighborhood may change or delete it.');

/** Changes that only a neighborhood's creator may make: update (rename swaps name claims) and delete. */
export function createNeighborhoodAdminRepo(deps: RepoDeps) {
  const { entities, now, retryPolicy } = deps;
  const run = <T>(operation: () => Promise<T>) => runWithFaultHandling(operation, retryPolicy);
  const quotaGuard = getQuotaGuard(deps);

  async function readOwned(id: string, userId: string): Promise<StoredNeighborhood> {
    const { Item } = await run(() =>
      entities.neighborhoods.build(GetItemCommand).key({ id }).options({ consistent: true }).send(),
    );
    if (!Item || Item.deleting_at) throw notFound(id);
    if (Item.created_by !== userId) throw notCreator();
    return Item;
  }

  /**
   * Update: the neighborhood guarded by the name we read, and for a rename the old claim out and the new claim in,
   * with the updates quota, in one transaction. A description-only change used to be one conditional UpdateItem
   * answering its new image; a transaction returns no values, so it reads first like a rename (2 calls, not 1).
   */
  async function update(input: UpdateNeighborhoodInput): Promise<NbhdRecord> {
    for (let attempt = 1; ; attempt += 1) {
      const current = await readOwned(input.id, input.userId);
      const renames = input.name !== undefined && normalizeName(current.name) !== normalizeName(input.name);
      const quota = quotaGuard?.charge(input.userId, [{ name: 'update' }]) ?? noQuota;
      const updatedAt = now().toISOString();
      const transaction = buildNamedTransaction<string>({
        neighborhood: entities.neighborhoods
          .build(UpdateTransaction)
          .item({
            id: input.id,
            ...(input.name !== undefined ? { name: input.name } : {}),
            ...(input.description === null ? { description: $remove() } : {}),
            ...(typeof input.description === 'string' ? { description: input.description } : {}),
            updated_at: updatedAt,
          })
          .options({
            condition: {
              and: [
                { attr: 'name', eq: current.name },
                { attr: 'created_by', eq: input.userId },
                { attr: 'deleting_at', exists: false },
              ],
            },
          }),
        oldNameClaim: renames
          ? entities.nameClaims
              .build(DeleteTransaction)
              .key({ name: current.name })
              .options({ condition: { attr: 'nbhd_id', eq: input.id } })
          : undefined,
        newNameClaim: renames
          ? entities.nameClaims
              .build(PutTransaction)
              .item({ name: input.name as string, nbhd_id: input.id })
              .options({ condition: { attr: 'nbhd_id', exists: false } })
          : undefined,
        ...quota.items,
      });
      try {
        await run(transaction.send);
      } catch (error) {
        const failed = transaction.findFailedConditions(error);
        const refusal = quota.explainRefusal(failed);
        if (refusal) throw refusal;
        if (failed.has('newNameClaim')) {
          throw new ApiError('name-taken', `A neighborhood named "${input.name}" already exists.`);
        }
        // Overtaken by another rename (or a delete, which the next read reports as 404).
        if (failed.has('neighborhood') && attempt < updateAttempts) continue;
        throw error;
      }
      const description = input.description === undefined ? current.description : (input.description ?? undefined);
      return toNbhdRecord({ ...current, name: input.name ?? current.name, description, updated_at: updatedAt });
    }
  }

  return {
    /** One consistent read plus one transaction (with the updates quota). */
    updateNeighborhood: update,

    /** See delete.ts. */
    deleteNeighborhood: createNeighborhoodDeleter(deps),
  };
}

export type NeighborhoodAdminRepo = ReturnType<typeof createNeighborhoodAdminRepo>;
