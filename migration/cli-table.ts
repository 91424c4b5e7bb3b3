import {
  DescribeTableCommand,
  type DescribeTableCommandOutput,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { ensureTable } from '../server/data/table/admin.js';
import { toCreateTableInput, ttlAttribute } from '../server/data/table/definition.js';

/** The table the command needs is not there: one line that says how to create it. */
export class MissingTableError extends Error {
  constructor(tableName: string, where: string, fixFlags: string) {
    super(
      `Table "${tableName}" does not exist at ${where}. Create it from the code's definition: ` +
        `npm run migrate -- table create${fixFlags}`,
    );
  }
}

export interface TableDescription {
  table: string;
  where: string;
  status: string;
  billing: string;
  /** DynamoDB's estimate, refreshed about every 6 hours on the service. */
  itemCount: number;
  sizeBytes: number;
  keys: string;
  indexes: Array<{ name: string; type: 'global' | 'local'; keys: string; status: string }>;
  ttlAttribute: string | null;
  /** The stream's view type (NEW_AND_OLD_IMAGES), or null when the table has no stream. */
  stream: string | null;
  /** How the table differs from server/data/table/definition.ts; empty when it matches. */
  differences: string[];
}

type KeySchema = Array<{ AttributeName?: string | undefined; KeyType?: string | undefined }> | undefined;
const formatKeys = (schema: KeySchema) =>
  (schema ?? []).map((k) => `${k.AttributeName} (${k.KeyType === 'HASH' ? 'partition' : 'sort'})`).join(', ');

/** Describes the table and compares its keys, indexes, TTL and stream with the code's definition. */
export async function describeTable(client: DynamoDBClient, tableName: string, where: string) {
  let described: DescribeTableCommandOutput;
  try {
    described = await client.send(new DescribeTableCommand({ TableName: tableName }));
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
  const table = described.Table ?? {};
  const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  const ttlEnabled = ttl.TimeToLiveDescription?.TimeToLiveStatus === 'ENABLED';
  const indexes: TableDescription['indexes'] = [
    ...(table.GlobalSecondaryIndexes ?? []).map((i) => ({
      name: i.IndexName ?? '',
      type: 'global' as const,
      keys: formatKeys(i.KeySchema),
      status: i.IndexStatus ?? '',
    })),
    ...(table.LocalSecondaryIndexes ?? []).map((i) => ({
      name: i.IndexName ?? '',
      type: 'local' as const,
      keys: formatKeys(i.KeySchema),
      status: 'ACTIVE',
    })),
  ];
  const wanted = toCreateTableInput(tableName);
  const differences: string[] = [];
  if (formatKeys(table.KeySchema) !== formatKeys(wanted.KeySchema))
    differences.push(`keys are ${formatKeys(table.KeySchema)}, the code wants ${formatKeys(wanted.KeySchema)}`);
  const wantedIndexes = [
    ...(wanted.GlobalSecondaryIndexes ?? []).map((i) => ({ name: i.IndexName, type: 'global', keys: i.KeySchema })),
    ...(wanted.LocalSecondaryIndexes ?? []).map((i) => ({ name: i.IndexName, type: 'local', keys: i.KeySchema })),
  ];
  for (const want of wantedIndexes) {
    const found = indexes.find((i) => i.name === want.name && i.type === want.type);
    if (!found) differences.push(`${want.type} index ${want.name} is missing`);
    else if (found.keys !== formatKeys(want.keys))
      differences.push(`index ${want.name} has ${found.keys}, the code wants ${formatKeys(want.keys)}`);
  }
  for (const index of indexes) {
    if (!wantedIndexes.some((w) => w.name === index.name)) differences.push(`index ${index.name} is not in the code`);
  }
  if (!ttlEnabled || ttl.TimeToLiveDescription?.AttributeName !== ttlAttribute)
    differences.push(`TTL should be enabled on ${ttlAttribute}`);
  const stream = table.StreamSpecification?.StreamEnabled ? (table.StreamSpecification.StreamViewType ?? null) : null;
  const wantedStream = wanted.StreamSpecification?.StreamViewType;
  // UpdateTable can turn the stream on in place (no replacement); `table create` never changes an existing table.
  if (stream !== wantedStream)
    differences.push(
      `the stream should be ${wantedStream} (it is ${stream ?? 'off'}): ` +
        `aws dynamodb update-table --table-name ${tableName} --stream-specification ` +
        `StreamEnabled=true,StreamViewType=${wantedStream}, or npm run migrate -- replicate setup` +
        (stream ? ' (a stream of another view type must be disabled first)' : ''),
    );
  const description: TableDescription = {
    table: tableName,
    where,
    status: table.TableStatus ?? 'UNKNOWN',
    billing: table.BillingModeSummary?.BillingMode ?? 'PROVISIONED',
    itemCount: table.ItemCount ?? 0,
    sizeBytes: table.TableSizeBytes ?? 0,
    keys: formatKeys(table.KeySchema),
    indexes,
    ttlAttribute: ttlEnabled ? (ttl.TimeToLiveDescription?.AttributeName ?? null) : null,
    stream,
    differences,
  };
  return description;
}

export function formatTableDescription(d: TableDescription): string {
  const line = (label: string, value: unknown) => `  ${label.padEnd(14)} ${String(value)}`;
  return [
    `table ${d.table} at ${d.where}`,
    line('status', d.status),
    line('billing', d.billing),
    line('items', `${d.itemCount} (${d.sizeBytes} bytes; DynamoDB's estimate)`),
    line('keys', d.keys),
    ...d.indexes.map((i) => line(`${i.type} index`, `${i.name}: ${i.keys} ${i.status}`)),
    line('TTL', d.ttlAttribute ?? 'disabled'),
    line('stream', d.stream ?? 'off'),
    d.differences.length === 0
      ? '  matches the code (server/data/table/definition.ts)'
      : `  differs from the code (server/data/table/definition.ts):\n${d.differences.map((x) => `    - ${x}`).join('\n')}`,
  ].join('\n');
}

export interface TableCommandContext {
  client: DynamoDBClient;
  tableName: string;
  /** "http://127.0.0.1:8000" or "AWS eu-west-1": said in every answer, so nobody creates a table in the wrong place. */
  where: string;
  fixFlags: string;
}

/** `table create` (idempotent: an existing table is described, not replaced) and `table describe`. */
export async function runTableCommand(
  action: string | undefined,
  context: TableCommandContext,
): Promise<{ created?: boolean; description: TableDescription }> {
  const { client, tableName, where } = context;
  let created: boolean | undefined;
  if (action === 'create') created = await ensureTable(client, tableName);
  else if (action !== 'describe') throw new Error(`unknown table action "${action ?? ''}": use create or describe`);
  const description = await describeTable(client, tableName, where);
  if (!description) throw new MissingTableError(tableName, where, context.fixFlags);
  return { ...(created === undefined ? {} : { created }), description };
}

/** Fails fast, before a long plan, when the table a command writes or reads is not there. */
export async function assertTableExists(context: TableCommandContext): Promise<void> {
  try {
    await context.client.send(new DescribeTableCommand({ TableName: context.tableName }));
  } catch (error) {
    if (error instanceof ResourceNotFoundException)
      throw new MissingTableError(context.tableName, context.where, context.fixFlags);
    throw error;
  }
}
