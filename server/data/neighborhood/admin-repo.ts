import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get';
import { DeleteTransaction } from 'dynamodb-toolbox/entity/actions/transactDelete';
import { PutTransaction } from 'dynamodb-toolbox/entity/actions/transactPut';
import { UpdateTransaction } from 'dynamodb-toolbox/entity/actions/transactUpdate';
import { $remove, UpdateItemCommand } from 'dynamodb-toolbox/entity/actions/update';
import { ApiError } from '../../errors.js';
import { getConditionFailedItem, isConditionFailed } from '../faults/dynamodb-errors.js';
import { runWithFaultHandling } from '../faults/fault-handling.js';
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

/** A rename whose read is overtaken by another rename is retried from a fresh read this many times. */
const renameAttempts = 3;

const notFound = (id: string) => new ApiError('not-found', `Neighborhood ${id} not found.`);
const notCreator = () => new ApiError('forbidden', 'Only the creator of a neighborhood may change or delete it.');

/** Changes that only a neighborhood's creator may make: update (rename swaps name claims) and delete. */
export function createNeighborhoodAdminRepo(deps: RepoDeps) {
  const { entities, now, retryPolicy } = deps;
  const run = <T>(operation: () => Promise<T>) => runWithFaultHandling(operation, retryPolicy);

  async function readOwned(id: string, userId: string): Promise<StoredNeighborhood> {
    const { Item } = await run(() =>
      entities.neighborhoods.build(GetItemCommand).key({ id }).options({ consistent: true }).send(),
    );
    if (!Item || Item.deleting_at) throw notFound(id);
    if (Item.created_by !== userId) throw notCreator();
    return Item;
  }

  /** Description-only (or same-name) change: one conditional UpdateItem; the old image tells 403 from 404. */
  async function updateInPlace(input: UpdateNeighborhoodInput): Promise<NbhdRecord> {
    try {
      const { Attributes } = await run(() =>
        entities.neighborhoods
          .build(UpdateItemCommand)
          .item({
            id: input.id,
            ...(input.name !== undefined ? { name: input.name } : {}),
            ...(input.description === null ? { description: $remove() } : {}),
            ...(typeof input.description === 'string' ? { description: input.description } : {}),
            updated_at: now().toISOString(),
          })
          .options({
            condition: {
              and: [
                { attr: 'created_by', eq: input.userId },
                { attr: 'deleting_at', exists: false },
                ...(input.name !== undefined ? [{ attr: 'name' as const, exists: true }] : []),
              ],
            },
            returnValues: 'ALL_NEW',
            returnValuesOnConditionFalse: 'ALL_OLD',
          })
          .send(),
      );
      if (!Attributes) throw notFound(input.id);
      return toNbhdRecord(Attributes);
    } catch (error) {
      if (isConditionFailed(error)) {
        const old = getConditionFailedItem(error);
        throw old && !old.deleting_at ? notCreator() : notFound(input.id);
      }
      throw error;
    }
  }

  /** Rename: update guarded by the name we read, old claim out, new claim in: one transaction. */
  async function rename(input: UpdateNeighborhoodInput & { name: string }): Promise<NbhdRecord> {
    for (let attempt = 1; ; attempt += 1) {
      const current = await readOwned(input.id, input.userId);
      if (normalizeName(current.name) === normalizeName(input.name)) return updateInPlace(input);
      const updatedAt = now().toISOString();
      const transaction = buildNamedTransaction({
        neighborhood: entities.neighborhoods
          .build(UpdateTransaction)
          .item({
            id: input.id,
            name: input.name,
            ...(input.description === null ? { description: $remove() } : {}),
            ...(typeof input.description === 'string' ? { description: input.description } : {}),
            updated_at: updatedAt,
          })
          .options({
            condition: {
              and: [
                { attr: 'name', eq: current.name },
                { attr: 'deleting_at', exists: false },
              ],
            },
          }),
        oldNameClaim: entities.nameClaims
          .build(DeleteTransaction)
          .key({ name: current.name })
          .options({ condition: { attr: 'nbhd_id', eq: input.id } }),
        newNameClaim: entities.nameClaims
          .build(PutTransaction)
          .item({ name: input.name, nbhd_id: input.id })
          .options({ condition: { attr: 'nbhd_id', exists: false } }),
      });
      try {
        await run(transaction.send);
      } catch (error) {
        const failed = transaction.findFailedConditions(error);
        if (failed.has('newNameClaim')) {
          throw new ApiError('name-taken', `A neighborhood named "${input.name}" already exists.`);
        }
        if (failed.has('neighborhood') && attempt < renameAttempts) continue;
        throw error;
      }
      const description = input.description === undefined ? current.description : (input.description ?? undefined);
      return toNbhdRecord({ ...current, name: input.name, description, updated_at: updatedAt });
    }
  }

  return {
    /** One UpdateItem, or for a rename one consistent read plus one transaction. */
    async updateNeighborhood(input: UpdateNeighborhoodInput): Promise<NbhdRecord> {
      return input.name === undefined ? updateInPlace(input) : rename({ ...input, name: input.name });
    },

    /** See delete.ts. */
    deleteNeighborhood: createNeighborhoodDeleter(deps),
  };
}

export type NeighborhoodAdminRepo = ReturnType<typeof createNeighborhoodAdminRepo>;
