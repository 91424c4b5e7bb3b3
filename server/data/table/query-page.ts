import type { QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { PageKey } from './cursor.js';
import { type IndexDefinition, tableIndexes, tableKeys } from './definition.js';

export type IndexName = keyof typeof tableIndexes;

type StoredItem = NonNullable<QueryCommandOutput['Items']>[number];

/** The attributes of a LastEvaluatedKey on `index`: the table's key, then the index's own key attributes. */
export function toIndexKeyNames(index: IndexName): string[] {
  const definition: IndexDefinition = tableIndexes[index];
  const names: string[] = [tableKeys.partitionKey.name, tableKeys.sortKey.name];
  if (definition.partitionKey) names.push(definition.partitionKey.name);
  names.push(definition.sortKey.name);
  return [...new Set(names)];
}

/** Where a query on `index` continues after `item`: the same key DynamoDB's own LastEvaluatedKey would hold. */
export function toIndexPageKey(index: IndexName, item: StoredItem): PageKey {
  return Object.fromEntries(toIndexKeyNames(index).map((name) => [name, String(item[name])]));
}

/**
 * One page of a query sent with `Limit: size + 1`. DynamoDB returns a LastEvaluatedKey whenever it stops at
 * the limit, even when nothing follows, so only the extra item proves there is more: it is dropped and the
 * page continues after the last item kept. Without it the page is the last one, unless DynamoDB stopped short
 * of the limit (1 MB read, or a filter): then its own key is the only safe place to go on.
 *
 * @example
 * const { items, lastKey } = takeQueryPage(await query({ limit: limit + 1 }), limit, 'LSI1');
 */
export function takeQueryPage(
  output: Pick<QueryCommandOutput, 'Items' | 'LastEvaluatedKey'>,
  size: number,
  index: IndexName,
): { items: StoredItem[]; lastKey: PageKey | undefined } {
  const read = output.Items ?? [];
  if (read.length > size) {
    const items = read.slice(0, size);
    const last = items[items.length - 1];
    return { items, lastKey: last ? toIndexPageKey(index, last) : undefined };
  }
  // Fewer than the limit and a key anyway: DynamoDB stopped short of the limit (1 MB read, or a filter).
  return { items: read, lastKey: output.LastEvaluatedKey as PageKey | undefined };
}
