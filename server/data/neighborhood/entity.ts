import { createHash } from 'node:crypto';
import { Entity } from 'dynamodb-toolbox/entity';
import { item } from 'dynamodb-toolbox/schema/item';
import { number } from 'dynamodb-toolbox/schema/number';
import { string } from 'dynamodb-toolbox/schema/string';
import type { AppTable } from '../table/table.js';

/** Only neighborhood items carry an `entity_type` (`NBHD#{shard}`), which makes GSI1 a sparse "all neighborhoods" index. */
export const neighborhoodEntityType = 'NBHD';

/**
 * GSI1's partition key is split this many ways so creates and deletes (the only writes it gets) spread over
 * as many keys; the list reads every shard and merges them newest first.
 */
export const listShardCount = 2;

/** Every GSI1 partition key value, in shard order. */
export const listShards: readonly string[] = Array.from(
  { length: listShardCount },
  (_, shard) => `${neighborhoodEntityType}#${shard}`,
);

/** The GSI1 partition a neighborhood is listed under: fixed by its id. */
export function toListShard(id: string): string {
  return listShards[(createHash('sha256').update(id).digest()[0] as number) % listShardCount] as string;
}

/** Primary key of a neighborhood's metadata item. */
export function toNeighborhoodKey(id: string): { PK: string; SK: string } {
  return { PK: toNeighborhoodPartition(id), SK: 'METADATA' };
}

/** The partition that holds a neighborhood's metadata and all its memberships. */
export function toNeighborhoodPartition(id: string): string {
  return `NBHD#${id}`;
}

/** The neighborhood id inside a partition key written by toNeighborhoodPartition. */
export function fromNeighborhoodPartition(partition: string): string {
  return partition.slice('NBHD#'.length);
}

/** LSI1 sort key of the metadata item: above every `MEMBER#…`, so a descending query returns it first. */
export const metadataMemberOrder = 'METADATA';

export const neighborhoodSchema = item({
  id: string().key(),
  name: string(),
  description: string().optional(),
  created_by: string(),
  created_at: string(),
  updated_at: string().optional(),
  member_count: number(),
  /** Set while a delete is draining memberships, so joins can no longer land. */
  deleting_at: string().optional(),
  member_order: string().const(metadataMemberOrder),
});

const neighborhoodItemSchema = neighborhoodSchema.and((schema) => ({
  /** GSI1's partition key; removed when a delete starts, so the list drops the neighborhood at once. */
  entity_type: string()
    .optional()
    .link<typeof schema>(({ id }) => toListShard(id)),
}));

/**
 * The neighborhood entity: `NBHD#{id}` / `METADATA`. `entity_type` + `created_at` feed GSI1 (keys only: joins
 * change member_count, which must not write to that index's one partition); `member_order` puts it in LSI1.
 *
 * @example
 * const neighborhoods = createNeighborhoodEntity(table);
 * await neighborhoods.build(GetItemCommand).key({ id }).send();
 */
export function createNeighborhoodEntity(table: AppTable) {
  return new Entity({
    name: 'NBHD',
    table,
    schema: neighborhoodItemSchema,
    computeKey: ({ id }) => toNeighborhoodKey(id),
    timestamps: false,
  });
}

export type NeighborhoodEntity = ReturnType<typeof createNeighborhoodEntity>;
