import { type IndexDefinition, tableIndexes, tableKeys } from './definition.js';
import { keyLimits } from './key-digest.js';

/** DynamoDB's largest item, attribute names and values included. */
export const maxItemBytes = 400 * 1024;

const utf8Bytes = (text: string) => Buffer.byteLength(text, 'utf8');

/** Bytes of a number by DynamoDB's rule: one byte per two significant digits, plus one. */
function measureNumberBytes(value: number | bigint): number {
  const digits = String(value)
    .replace(/^-/, '')
    .replace(/e[+-]?\d+$/i, '')
    .replace('.', '')
    .replace(/^0+/, '')
    .replace(/0+$/, '');
  return Math.ceil(Math.max(digits.length, 1) / 2) + 1;
}

/** Bytes of one attribute value by DynamoDB's documented rules (item size and capacity use these). */
export function measureValueBytes(value: unknown): number {
  if (typeof value === 'string') return utf8Bytes(value);
  if (typeof value === 'number' || typeof value === 'bigint') return measureNumberBytes(value);
  if (typeof value === 'boolean' || value === null || value === undefined) return 1;
  if (value instanceof Uint8Array) return value.byteLength;
  if (value instanceof Set) return [...value].reduce((sum: number, member) => sum + measureValueBytes(member), 0);
  // Lists and maps: 3 bytes, plus 1 per element, plus the elements (and, for maps, their names).
  if (Array.isArray(value)) return 3 + value.reduce((sum: number, member) => sum + 1 + measureValueBytes(member), 0);
  if (typeof value === 'object') {
    return (
      3 +
      Object.entries(value).reduce((sum, [name, member]) => sum + 1 + utf8Bytes(name) + measureValueBytes(member), 0)
    );
  }
  return 0;
}

/** An item's size as DynamoDB counts it: every attribute's name and value bytes. */
export function measureItemBytes(item: Record<string, unknown>): number {
  return Object.entries(item).reduce(
    (sum, [name, value]) => (value === undefined ? sum : sum + utf8Bytes(name) + measureValueBytes(value)),
    0,
  );
}

/**
 * What DynamoDB would refuse in this item (DocumentClient form): a table or index key over its byte limit,
 * or an item over 400 KB. Empty when the write would be accepted. The import refuses such rows and the
 * migration plan reports them, both through this one function.
 */
export function findItemLimitViolations(item: Record<string, unknown>): string[] {
  const violations: string[] = [];
  const check = (attribute: string, limit: number, what: string) => {
    const value = item[attribute];
    if (typeof value === 'string' && utf8Bytes(value) > limit) {
      violations.push(`${what} ${attribute} is ${utf8Bytes(value)} bytes (limit ${limit})`);
    }
  };
  check(tableKeys.partitionKey.name, keyLimits.partitionKeyBytes, 'partition key');
  check(tableKeys.sortKey.name, keyLimits.sortKeyBytes, 'sort key');
  for (const [name, index] of Object.entries(tableIndexes as Record<string, IndexDefinition>)) {
    if (index.partitionKey) check(index.partitionKey.name, keyLimits.partitionKeyBytes, `${name} partition key`);
    check(index.sortKey.name, keyLimits.sortKeyBytes, `${name} sort key`);
  }
  const size = measureItemBytes(item);
  if (size > maxItemBytes) violations.push(`item is ${size} bytes (limit ${maxItemBytes})`);
  return violations;
}
