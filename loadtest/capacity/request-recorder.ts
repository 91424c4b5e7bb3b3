import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  computeGetTouch,
  computeQueryTouch,
  computeWriteTouches,
  type Item,
  type TableSpec,
  type Touch,
} from './capacity-rules.js';

/** One DynamoDB request the app sent: its touches (computed) and the capacity the engine reported. */
export interface RecordedRequest {
  command: string;
  /** The API operation it served (set by the replay). */
  operation?: string;
  touches: Touch[];
  /** Total ConsumedCapacity units returned with ReturnConsumedCapacity INDEXES (absent when the engine gives none). */
  reported?: number;
  failed: boolean;
}

// biome-ignore lint/suspicious/noExplicitAny: the inputs and outputs of six different commands, read field by field.
type Input = Record<string, any>;
interface ItemRef {
  key: Item;
  transactional: boolean;
}

const keyOf = (table: TableSpec, item: Item): Item => ({
  [table.partitionKey]: item[table.partitionKey],
  [table.sortKey]: item[table.sortKey],
});

/** The items a write command changes, by key. */
function listWrittenItems(table: TableSpec, command: string, input: Input): ItemRef[] {
  if (command === 'PutItemCommand') return [{ key: keyOf(table, input.Item), transactional: false }];
  if (command === 'UpdateItemCommand' || command === 'DeleteItemCommand') {
    return [{ key: input.Key, transactional: false }];
  }
  if (command === 'TransactWriteItemsCommand') {
    return (input.TransactItems as Input[]).map((entry) => {
      const action = entry.Put ?? entry.Update ?? entry.Delete ?? entry.ConditionCheck;
      return { key: action.Item ? keyOf(table, action.Item) : action.Key, transactional: true };
    });
  }
  if (command === 'BatchWriteItemCommand') {
    return Object.values(input.RequestItems as Record<string, Input[]>).flatMap((requests) =>
      requests.map((request) => ({
        key: request.PutRequest ? keyOf(table, request.PutRequest.Item) : request.DeleteRequest.Key,
        transactional: false,
      })),
    );
  }
  return [];
}

/** The partition value a query's key condition names (`#n = :v` on the partition key of the table or index). */
export function readQueryPartition(table: TableSpec, input: Input): string {
  const index = table.indexes.find((candidate) => candidate.name === input.IndexName);
  const attribute = index?.partitionKey ?? table.partitionKey;
  const names = (input.ExpressionAttributeNames ?? {}) as Record<string, string>;
  for (const [, name, value] of String(input.KeyConditionExpression).matchAll(/(#?[\w.]+)\s*=\s*(:[\w]+)/g)) {
    if ((names[name as string] ?? name) === attribute)
      return String(input.ExpressionAttributeValues?.[value as string]);
  }
  return '(unknown)';
}

/** Total units the engine reported (ConsumedCapacity is one object, or a list for transactions and batches). */
function sumReported(consumed: unknown): number | undefined {
  const list = (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) as Input[];
  if (list.length === 0) return undefined;
  return list.reduce((sum, entry) => sum + Number(entry.CapacityUnits ?? 0), 0);
}

/**
 * Records every request sent through `client` (the app's DynamoDBClient) with the partitions it touched and
 * their units. Writes are bracketed by consistent reads of the items they change, through `peek` (a client
 * without this middleware), so index writes follow from the real before and after images. Requests must run
 * one at a time for those images to be exact: the replay is sequential.
 */
export function recordCapacity(options: {
  client: DynamoDBClient;
  peek: DynamoDBDocumentClient;
  tableName: string;
  table: TableSpec;
}) {
  const { client, peek, tableName, table } = options;
  const requests: RecordedRequest[] = [];
  let enabled = false;
  const read = async (key: Item) =>
    (await peek.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item;

  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = String(context.commandName);
      if (!enabled) return next(args);
      const input = args.input as Input;
      input.ReturnConsumedCapacity = 'INDEXES';
      const written = listWrittenItems(table, command, input);
      const before = await Promise.all(written.map((ref) => read(ref.key)));
      let output: Input | undefined;
      let failed = false;
      try {
        const result = await next(args);
        output = result.output as Input;
        return result;
      } catch (error) {
        failed = true;
        output = error as Input;
        throw error;
      } finally {
        const touches: Touch[] = [];
        if (written.length > 0) {
          const after = await Promise.all(written.map((ref) => read(ref.key)));
          written.forEach((ref, i) => {
            const change = { before: before[i], after: after[i], partition: String(ref.key[table.partitionKey]) };
            touches.push(...computeWriteTouches(table, { ...change, transactional: ref.transactional }));
          });
        } else if (command === 'QueryCommand') {
          touches.push(
            computeQueryTouch(table, {
              indexName: input.IndexName,
              partition: readQueryPartition(table, input),
              items: (output?.Items ?? []) as Item[],
              consistent: Boolean(input.ConsistentRead),
            }),
          );
        } else if (command === 'GetItemCommand') {
          const partition = String(input.Key[table.partitionKey]);
          touches.push(computeGetTouch({ partition, item: output?.Item, consistent: Boolean(input.ConsistentRead) }));
        } else if (command === 'BatchGetItemCommand') {
          const request = input.RequestItems[tableName] as Input;
          const found = (output?.Responses?.[tableName] ?? []) as Item[];
          const unprocessed = new Set(
            ((output?.UnprocessedKeys?.[tableName]?.Keys ?? []) as Item[]).map((key) =>
              JSON.stringify(keyOf(table, key)),
            ),
          );
          for (const key of request.Keys as Item[]) {
            if (unprocessed.has(JSON.stringify(keyOf(table, key)))) continue;
            const item = found.find(
              (candidate) =>
                candidate[table.partitionKey] === key[table.partitionKey] &&
                candidate[table.sortKey] === key[table.sortKey],
            );
            const partition = String(key[table.partitionKey]);
            touches.push(computeGetTouch({ partition, item, consistent: Boolean(request.ConsistentRead) }));
          }
        }
        const reported = sumReported(output?.ConsumedCapacity);
        requests.push({
          command: command.replace(/Command$/, ''),
          touches,
          ...(reported === undefined ? {} : { reported }),
          failed,
        });
      }
    },
    { step: 'initialize', name: 'nbhdCapacityRecorder', override: true },
  );
  return {
    requests,
    /** Records from now on (seeding before it is not part of the measurement). */
    start() {
      enabled = true;
    },
    stop() {
      enabled = false;
    },
  };
}

export type CapacityRecorder = ReturnType<typeof recordCapacity>;
