import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { PutItemCommand } from 'dynamodb-toolbox/entity/actions/put';
import { beforeAll, describe, expect, it } from 'vitest';
import { createBulkWriter } from '../../migration/bulk-writer.js';
import { createNeighborhoodBatchGetter } from '../../server/data/neighborhood/batch-get.js';
import { createEntities } from '../../server/data/table/entities.js';
import { localCredentials } from '../../tooling/dynamodb-local.js';
import { createAwsError } from '../../tooling/dynamodb-probes.js';
import { createTestDocumentClient } from '../helpers/document-client.js';
import { type TestTable, useTestTable } from '../helpers/dynamodb.js';

let table: TestTable;

beforeAll(async () => {
  table = await useTestTable('unprocessed');
});

type RequestItems = Record<string, unknown[]>;

/**
 * Makes the next `times` calls of `command` send only their first request and hand the rest back as
 * unprocessed, as DynamoDB does under load (DynamoDB Local never does).
 */
function leaveUnprocessed(
  client: DynamoDBClient,
  command: 'BatchWriteItemCommand' | 'BatchGetItemCommand',
  times: number,
) {
  const name = `leaveUnprocessed${Math.random()}`;
  let left = times;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== command || left <= 0) return next(args);
      left -= 1;
      const input = args.input as { RequestItems: Record<string, unknown> };
      const [tableName, requests] = Object.entries(input.RequestItems)[0] as [string, unknown];
      if (command === 'BatchWriteItemCommand') {
        const [first, ...rest] = requests as unknown[];
        const result = await next({ ...args, input: { ...input, RequestItems: { [tableName]: [first] } } });
        (result.output as { UnprocessedItems?: RequestItems }).UnprocessedItems = { [tableName]: rest };
        return result;
      }
      const { Keys, ...options } = requests as { Keys: unknown[] };
      const [first, ...rest] = Keys;
      const result = await next({
        ...args,
        input: { ...input, RequestItems: { [tableName]: { ...options, Keys: [first] } } },
      });
      (result.output as { UnprocessedKeys?: unknown }).UnprocessedKeys = { [tableName]: { ...options, Keys: rest } };
      return result;
    },
    { step: 'initialize', name, override: true },
  );
}

const instantWaits = (waits: number[]) => ({ random: () => 1, sleep: async (ms: number) => void waits.push(ms) });

describe('bulk writer', () => {
  it('writes back what BatchWriteItem left unprocessed, waiting with the injected backoff', async () => {
    const documentClient = createTestDocumentClient(table);
    leaveUnprocessed(table.client, 'BatchWriteItemCommand', 2);
    const waits: number[] = [];
    const writer = createBulkWriter({
      documentClient,
      tableName: table.tableName,
      retryPolicy: { attempts: 5, baseDelayMs: 10, ...instantWaits(waits) },
    });
    const items = ['a', 'b', 'c', 'd'].map((id) => ({ PK: `BULK#${id}`, SK: 'X', id }));
    await writer.submit(items.map((Item) => ({ PutRequest: { Item } })));
    await writer.flush();
    expect(writer.stats).toMatchObject({ calls: 3, retries: 2, unprocessed: 5 });
    expect(waits).toEqual([10, 20]);
    for (const item of items) {
      const { Item } = await documentClient.send(
        new GetCommand({ TableName: table.tableName, Key: { PK: item.PK, SK: 'X' } }),
      );
      expect(Item).toEqual(item);
    }
  });

  it('fails the run after the policy attempts when every call is throttled', async () => {
    let calls = 0;
    // A client of its own: a DocumentClient shares its middleware stack with the client under it.
    const client = createTestDocumentClient({
      ...table,
      client: new DynamoDBClient({ endpoint: table.endpoint, region: 'local', credentials: localCredentials }),
    });
    client.middlewareStack.add(
      () => async () => {
        calls += 1;
        throw createAwsError('ProvisionedThroughputExceededException');
      },
      { step: 'initialize', name: 'alwaysThrottle' },
    );
    const writer = createBulkWriter({
      documentClient: client,
      tableName: table.tableName,
      retryPolicy: { attempts: 3, baseDelayMs: 1, ...instantWaits([]) },
    });
    await writer.submit([{ PutRequest: { Item: { PK: 'BULK#z', SK: 'X' } } }]);
    await expect(writer.flush()).rejects.toThrow(/after 3 attempts/);
    expect(calls).toBe(3);
    client.destroy();
  });
});

describe('neighborhood batch get', () => {
  it('asks again for keys left unprocessed, then answers 503 when they stay unprocessed', async () => {
    const entities = createEntities({ documentClient: createTestDocumentClient(table), tableName: table.tableName });
    const ids = ['bg1', 'bg2', 'bg3', 'bg4', 'bg5'];
    for (const id of ids) {
      await entities.neighborhoods
        .build(PutItemCommand)
        .item({ id, name: id, created_by: 'did:plc:a', created_at: '2026-01-01T00:00:00.000Z', member_count: 1 })
        .send();
    }
    const waits: number[] = [];
    const getNeighborhoods = createNeighborhoodBatchGetter({
      entities,
      retryPolicy: { attempts: 3, baseDelayMs: 10, ...instantWaits(waits) },
    });
    leaveUnprocessed(table.client, 'BatchGetItemCommand', 2);
    expect([...(await getNeighborhoods(ids.slice(0, 3))).keys()].sort()).toEqual(ids.slice(0, 3));
    expect(waits).toEqual([10, 20]);

    // Each round gets one key of five: after the policy's 3 rounds two are still unprocessed.
    leaveUnprocessed(table.client, 'BatchGetItemCommand', 3);
    await expect(getNeighborhoods(ids)).rejects.toMatchObject({ slug: 'service-unavailable', retryAfter: 1 });
  });
});
