import { createHash } from 'node:crypto';
import { toKeyDigest } from '../table/key-digest.js';

/**
 * The neighborhood's key formats, pure (no toolbox) so benches that send raw DocumentClient calls build the
 * same keys: the metadata item `NBHD#{id}` / `METADATA`, its GSI1 list shard, and the name claim.
 */

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

const partitionPrefix = 'NBHD#';

/** Sort key of the metadata item; also its LSI1 sort key, above every `MEMBER#…`, so it comes first descending. */
export const metadataSortKey = 'METADATA';

/** LSI1 sort key of the metadata item. */
export const metadataMemberOrder = metadataSortKey;

/** The partition that holds a neighborhood's metadata and all its memberships. */
export function toNeighborhoodPartition(id: string): string {
  return `${partitionPrefix}${id}`;
}

/** The neighborhood id inside a partition key written by toNeighborhoodPartition. */
export function fromNeighborhoodPartition(partition: string): string {
  return partition.slice(partitionPrefix.length);
}

/** Primary key of a neighborhood's metadata item. */
export function toNeighborhoodKey(id: string): { PK: string; SK: string } {
  return { PK: toNeighborhoodPartition(id), SK: metadataSortKey };
}

/** True for a raw item (a query page's) that is a neighborhood's metadata item. */
export function isNeighborhoodItem<T extends { SK?: unknown }>(item: T | undefined): item is T {
  return item?.SK === metadataSortKey;
}

/**
 * The form names are compared in: NFKC folds compatibility characters (full-width letters…),
 * lower-casing makes "Park" and "park" the same name. The migration uses this same function.
 */
export function normalizeName(name: string): string {
  return name.normalize('NFKC').toLowerCase();
}

/**
 * Primary key of the uniqueness item that reserves a name: a digest of the normalized form, since 100
 * characters can normalize to 3,300 bytes (U+FDFA) and a legacy name of any length must still import.
 */
export function toNameClaimKey(name: string): { PK: string; SK: string } {
  return { PK: `NAME#${toKeyDigest(normalizeName(name))}`, SK: 'NAME' };
}
