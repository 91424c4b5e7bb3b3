import { type IndexDefinition, tableIndexes, tableKeys } from '../../server/data/table/definition.js';
import { measureItemBytes } from '../../server/data/table/item-limits.js';

/**
 * DynamoDB's documented capacity rules, applied to one item or one read (on-demand mode counts the same units):
 * - write: 1 WCU per started KB of the larger of the old and new item; a transaction doubles it (prepare +
 *   commit), for its index writes too (DynamoDB Local reports them doubled as well);
 * - index write: only when the item's projected entry changes; an index key change is a delete plus a put;
 * - read: 1 RCU per started 4 KB, half for an eventually consistent read; a query sums its items first,
 *   a get or batch get rounds each item (a missing item still costs one unit).
 */
export type Item = Record<string, unknown>;

export interface IndexSpec {
  name: string;
  type: 'global' | 'local';
  partitionKey: string;
  sortKey: string;
  projection: { type: 'ALL' | 'KEYS_ONLY' | 'INCLUDE'; attributes: string[] };
}

export interface TableSpec {
  partitionKey: string;
  sortKey: string;
  indexes: IndexSpec[];
}

/** What one request did to one partition: `target` is the table or a GSI (an LSI lives in the table's partition). */
export interface Touch {
  target: string;
  /** The index that caused it, when it was an index write or read (LSI included). */
  via?: string;
  partition: string;
  rcu: number;
  wcu: number;
}

/** The spec of the app's table, from server/data/table/definition.ts. */
export function readTableSpec(): TableSpec {
  // Optional chaining: definitions without a projection (all attributes) are read too.
  const indexes = Object.entries(tableIndexes as Record<string, Partial<IndexDefinition>>).map(([name, index]) => ({
    name,
    type: index.type ?? 'global',
    partitionKey: index.partitionKey?.name ?? tableKeys.partitionKey.name,
    sortKey: index.sortKey?.name ?? tableKeys.sortKey.name,
    projection: {
      type: (index.projection?.ProjectionType ?? 'ALL') as IndexSpec['projection']['type'],
      attributes: index.projection?.NonKeyAttributes ?? [],
    },
  }));
  return { partitionKey: tableKeys.partitionKey.name, sortKey: tableKeys.sortKey.name, indexes };
}

export const toWriteUnits = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));
export const toReadUnits = (bytes: number, consistent: boolean) =>
  Math.max(1, Math.ceil(bytes / 4096)) * (consistent ? 1 : 0.5);

/** The index entry an item has (its projected attributes), or undefined when it lacks the index's keys. */
export function toIndexEntry(table: TableSpec, index: IndexSpec, item: Item | undefined): Item | undefined {
  if (!item || item[index.partitionKey] === undefined || item[index.sortKey] === undefined) return undefined;
  if (index.projection.type === 'ALL') return item;
  const names = [table.partitionKey, table.sortKey, index.partitionKey, index.sortKey];
  if (index.projection.type === 'INCLUDE') names.push(...index.projection.attributes);
  return Object.fromEntries(names.filter((name) => item[name] !== undefined).map((name) => [name, item[name]]));
}

const sameEntry = (a: Item, b: Item) =>
  JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

/**
 * The write units one item write costs, per partition, from the item before and after it (either may be
 * absent: a put of a new item, a delete). `partition` names the item for a write that found nothing.
 */
export function computeWriteTouches(
  table: TableSpec,
  change: { before?: Item; after?: Item; partition: string; transactional: boolean },
): Touch[] {
  const factor = change.transactional ? 2 : 1;
  const bytes = Math.max(
    change.before ? measureItemBytes(change.before) : 0,
    change.after ? measureItemBytes(change.after) : 0,
  );
  const touches: Touch[] = [
    { target: 'table', partition: change.partition, rcu: 0, wcu: toWriteUnits(bytes) * factor },
  ];
  for (const index of table.indexes) {
    const old = toIndexEntry(table, index, change.before);
    const next = toIndexEntry(table, index, change.after);
    const target = index.type === 'local' ? 'table' : index.name;
    const write = (entry: Item, size: number) =>
      touches.push({
        target,
        via: index.name,
        partition: String(entry[index.partitionKey]),
        rcu: 0,
        wcu: toWriteUnits(size) * factor,
      });
    if (old && next) {
      const keyChanged =
        old[index.partitionKey] !== next[index.partitionKey] || old[index.sortKey] !== next[index.sortKey];
      if (keyChanged) {
        write(old, measureItemBytes(old));
        write(next, measureItemBytes(next));
      } else if (!sameEntry(old, next)) {
        write(next, Math.max(measureItemBytes(old), measureItemBytes(next)));
      }
    } else if (old) write(old, measureItemBytes(old));
    else if (next) write(next, measureItemBytes(next));
  }
  return touches;
}

/** One query: its items' sizes summed, then rounded to 4 KB; on the table's partition for the table and LSIs. */
export function computeQueryTouch(
  table: TableSpec,
  query: { indexName?: string; partition: string; items: Item[]; consistent: boolean },
): Touch {
  const index = table.indexes.find((candidate) => candidate.name === query.indexName);
  const bytes = query.items.reduce((sum, item) => sum + measureItemBytes(item), 0);
  return {
    target: index?.type === 'global' ? index.name : 'table',
    ...(index ? { via: index.name } : {}),
    partition: query.partition,
    rcu: toReadUnits(bytes, query.consistent && index?.type !== 'global'),
    wcu: 0,
  };
}

/** One item read by GetItem or BatchGetItem (absent: it still costs a unit). */
export function computeGetTouch(read: { partition: string; item?: Item; consistent: boolean }): Touch {
  return {
    target: 'table',
    partition: read.partition,
    rcu: toReadUnits(read.item ? measureItemBytes(read.item) : 0, read.consistent),
    wcu: 0,
  };
}
