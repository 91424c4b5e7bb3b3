import { Entity } from 'dynamodb-toolbox/entity';
import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get';
import { item } from 'dynamodb-toolbox/schema/item';
import { number } from 'dynamodb-toolbox/schema/number';
import { string } from 'dynamodb-toolbox/schema/string';
import { runWithFaultHandling } from '../faults/fault-handling.js';
import type { RepoDeps } from '../repo-deps.js';
import type { AppTable } from '../table/table.js';

/**
 * The largest legacy neighborhood id: the legacy table's `id SERIAL` is a PostgreSQL `integer`. A larger
 * number cannot be an old id, so it is answered as unknown without a read.
 */
export const maxLegacyId = 2_147_483_647;

/** Primary key of the item that maps a legacy integer neighborhood id to its UUID. */
export function toLegacyIdKey(legacyId: number): { PK: string; SK: string } {
  return { PK: `LEGACY#NBHD#${legacyId}`, SK: 'LEGACY' };
}

export const legacyIdSchema = item({
  legacy_id: number().key(),
  /** The neighborhood's UUID (the migration's UUIDv5 of the legacy id). */
  nbhd_id: string(),
});

/**
 * `LEGACY#NBHD#{n}` / `LEGACY`: written by the migration's import and sync from the id map, read when an old
 * link or a legacy client sends an integer id. It outlives the neighborhood on purpose: an old link then
 * redirects to the UUID, whose 404 says the neighborhood is gone.
 */
export function createLegacyIdEntity(table: AppTable) {
  return new Entity({
    name: 'LEGACY_ID',
    table,
    schema: legacyIdSchema,
    computeKey: ({ legacy_id }) => toLegacyIdKey(legacy_id),
    timestamps: false,
  });
}

export type LegacyIdEntity = ReturnType<typeof createLegacyIdEntity>;

/** Resolves legacy integer ids, one GetItem each. */
export function createLegacyIdRepo({ entities, retryPolicy }: Pick<RepoDeps, 'entities' | 'retryPolicy'>) {
  return {
    /** The UUID of the neighborhood that had this legacy id, or undefined when there was none. */
    async findNeighborhoodId(legacyId: number): Promise<string | undefined> {
      if (!Number.isSafeInteger(legacyId) || legacyId < 1 || legacyId > maxLegacyId) return undefined;
      const { Item } = await runWithFaultHandling(
        () => entities.legacyIds.build(GetItemCommand).key({ legacy_id: legacyId }).send(),
        retryPolicy,
      );
      return Item?.nbhd_id;
    },
  };
}

export type LegacyIdRepo = ReturnType<typeof createLegacyIdRepo>;
