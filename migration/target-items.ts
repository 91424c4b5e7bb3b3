import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { BatchDeleteRequest } from 'dynamodb-toolbox/entity/actions/batchDelete';
import { BatchPutRequest } from 'dynamodb-toolbox/entity/actions/batchPut';
import { createEntities } from '../server/data/table/entities.js';
import { findItemLimitViolations } from '../server/data/table/item-limits.js';
import { toMembershipUuid, toNeighborhoodUuid } from './ids.js';
import type { LegacyMembership, LegacyNeighborhood } from './legacy-rows.js';
import { cleanDescription } from './name-rules.js';
import type { MigrationPlan } from './plan.js';

/** How many items toNeighborhoodItems makes per legacy neighborhood (they go in one batch together). */
export const itemsPerNeighborhood = 3;

/** One request of a BatchWriteItem call, in DocumentClient form. */
export type WriteRequest =
  | { PutRequest: { Item: Record<string, unknown> } }
  | { DeleteRequest: { Key: Record<string, unknown> } };

export type StoredItem = Record<string, unknown>;

/**
 * Turns legacy rows into table items through the data layer's toolbox entities (server/data/), so key
 * formats, the entity tag and attribute names are defined in one place and the migration cannot drift
 * from what the API reads.
 */
export function createTargetItems(documentClient: DynamoDBDocumentClient, tableName: string) {
  const { table, neighborhoods, memberships, nameClaims, legacyIds, idempotency } = createEntities({
    documentClient,
    tableName,
  });
  const itemOf = (request: ReturnType<BatchPutRequest['params']>) => (request.PutRequest?.Item ?? {}) as StoredItem;
  const entityNames = {
    neighborhood: neighborhoods.entityName,
    membership: memberships.entityName,
    nameClaim: nameClaims.entityName,
    legacyId: legacyIds.entityName,
    idempotency: idempotency.entityName,
  };
  return {
    entityNames,
    /** The attribute holding the entity name on every item (toolbox's `_et`): how scans tell items apart. */
    entityAttribute: table.entityAttributeSavedAs,
    /**
     * The neighborhood item, its name claim (with the plan's final name and exact member count) and the item
     * mapping its legacy id to its UUID, for old links.
     */
    toNeighborhoodItems(row: LegacyNeighborhood, plan: Pick<MigrationPlan, 'nameOf' | 'memberCountOf'>): StoredItem[] {
      const id = row.uuid ?? toNeighborhoodUuid(row.id);
      const name = plan.nameOf(row.id) ?? row.name;
      const nbhd = neighborhoods.build(BatchPutRequest).item({
        id,
        name,
        description: row.description === null ? undefined : cleanDescription(row.description).value,
        created_by: row.created_by,
        created_at: row.created_at,
        updated_at: row.updated_at ?? undefined,
        member_count: plan.memberCountOf(row.id),
      });
      const claim = nameClaims.build(BatchPutRequest).item({ name, nbhd_id: id });
      const legacyId = legacyIds.build(BatchPutRequest).item({ legacy_id: row.id, nbhd_id: id });
      return [itemOf(nbhd.params()), itemOf(claim.params()), itemOf(legacyId.params())];
    },
    /**
     * Why DynamoDB would refuse this row's items (key or item size limits); empty when it imports. The plan
     * reports these rows and the import refuses them, both through this function.
     */
    findLimitViolations(items: StoredItem[]): string[] {
      return items.flatMap((item) => findItemLimitViolations(item));
    },
    toMembershipItem(row: LegacyMembership): StoredItem {
      const request = memberships.build(BatchPutRequest).item({
        nbhd_id: row.neighborhood_uuid ?? toNeighborhoodUuid(row.neighborhood_id),
        user_id: row.user_id,
        id: row.uuid ?? toMembershipUuid(row.id),
        joined_at: row.joined_at,
      });
      return itemOf(request.params());
    },
    /** The key of the claim item a neighborhood of this name must have. */
    toNameClaimKey(name: string): StoredItem {
      const request = nameClaims.build(BatchDeleteRequest).key({ name });
      return (request.params().DeleteRequest?.Key ?? {}) as StoredItem;
    },
  };
}

export type TargetItems = ReturnType<typeof createTargetItems>;

/** A legacy row whose items DynamoDB would refuse; the plan reports it before any import (kind item-limit). */
export class ItemLimitError extends Error {
  constructor(entity: string, legacyId: number, violations: string[]) {
    super(`legacy ${entity} ${legacyId} cannot be imported: ${violations.join('; ')}`);
    this.name = 'ItemLimitError';
  }
}

/** The items, or an ItemLimitError when DynamoDB would refuse any of them. */
export function assertWithinLimits(
  target: TargetItems,
  entity: string,
  legacyId: number,
  items: StoredItem[],
): StoredItem[] {
  const violations = target.findLimitViolations(items);
  if (violations.length > 0) throw new ItemLimitError(entity, legacyId, violations);
  return items;
}

/** Primary key attributes of an item, as a string usable in a Map. */
export function toKeyString(item: StoredItem): string {
  return `${String(item.PK)}\u0000${String(item.SK)}`;
}

export function toPut(item: StoredItem): WriteRequest {
  return { PutRequest: { Item: item } };
}

export function toDelete(item: StoredItem): WriteRequest {
  return { DeleteRequest: { Key: { PK: item.PK, SK: item.SK } } };
}
