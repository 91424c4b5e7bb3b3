/**
 * `npm run loadtest:engine`: how many calls per second DynamoDB Local itself serves on this machine, without
 * the API in front: GetItem, a GSI1 Query (listNeighborhoods' read), and the two-item TransactWriteItems a
 * join makes, each alone at concurrency 1 and 8, then reads and transactions together. The ceiling of the
 * local runner's mix is set by these figures (docs/loadtest.md).
 */
import { randomUUID } from 'node:crypto';
import {
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { toMembershipKey } from '../server/data/membership/keys.js';
import { toNeighborhoodKey } from '../server/data/neighborhood/keys.js';
import { ensureTable } from '../server/data/table/admin.js';
import { findProcessByArgs, startCpuMeter } from '../tooling/cpu-meter.js';
import { localCredentials, startDynamoDbLocal } from '../tooling/dynamodb-local.js';
import { summarizeTrend } from './runner/samples.js';

const seconds = Number(process.env.PROBE_SECONDS ?? 4);
const engine = await startDynamoDbLocal();
const client = new DynamoDBClient({ endpoint: engine.endpoint, region: 'local', credentials: localCredentials });
const TableName = `probe-${randomUUID()}`;
await ensureTable(client, TableName);
/** A table key in the low-level client's attribute-value form. */
const toAttributeKey = ({ PK, SK }: { PK: string; SK: string }) => ({ PK: { S: PK }, SK: { S: SK } });
const nbhdKey = (i: number) => toAttributeKey(toNeighborhoodKey(String(i % 50)));
for (let i = 0; i < 50; i++) {
  const Item = {
    ...nbhdKey(i),
    entity_type: { S: 'NBHD' },
    created_at: { S: new Date(Date.now() + i).toISOString() },
    member_count: { N: '0' },
  };
  await client.send(new PutItemCommand({ TableName, Item }));
}
let next = 0;
const operations = {
  GetItem: (i: number) => client.send(new GetItemCommand({ TableName, Key: nbhdKey(i) })),
  'Query GSI1': () =>
    client.send(
      new QueryCommand({
        TableName,
        IndexName: 'GSI1',
        KeyConditionExpression: 'entity_type = :t',
        ExpressionAttributeValues: { ':t': { S: 'NBHD' } },
        Limit: 20,
        ScanIndexForward: false,
      }),
    ),
  TransactWriteItems: () => {
    const k = next++;
    const member = {
      ...toAttributeKey(toMembershipKey(String(k % 50), `did:plc:probe-${k}`)),
      user_id: { S: `did:plc:probe-${k}` },
      joined_at: { S: new Date().toISOString() },
    };
    const count = {
      TableName,
      Key: nbhdKey(k),
      UpdateExpression: 'ADD member_count :one',
      ExpressionAttributeValues: { ':one': { N: '1' } },
    };
    return client.send(
      new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName, Item: member } }, { Update: count }] }),
    );
  },
};

/** Runs `op` from `concurrency` loops until `end`; returns each call's latency. */
async function loop(concurrency: number, end: number, op: (i: number) => Promise<unknown>): Promise<number[]> {
  const latencies: number[] = [];
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const started = performance.now();
        await op(latencies.length);
        latencies.push(performance.now() - started);
      }
    }),
  );
  return latencies;
}

const line = (name: string, latencies: number[]) => {
  const stats = summarizeTrend(latencies);
  return `${name.padEnd(28)} ${(latencies.length / seconds).toFixed(0).padStart(5)} calls/s  p50 ${stats.p50.toFixed(1)} ms  p95 ${stats.p95.toFixed(1)} ms`;
};
const pid = findProcessByArgs(['-port', String(engine.port)]);
try {
  await loop(4, performance.now() + 3000, operations.GetItem); // JIT warm-up
  await loop(2, performance.now() + 2000, operations.TransactWriteItems);
  for (const [name, op] of Object.entries(operations)) {
    for (const concurrency of [1, 8]) {
      const meter = startCpuMeter([{ name: 'DynamoDB Local', pid }]);
      const latencies = await loop(concurrency, performance.now() + seconds * 1000, op);
      const cpu = meter
        .stop()
        .map((r) => `${r.process} ${r.cores.toFixed(2)}`)
        .join(', ');
      console.log(`${line(`${name} ×${concurrency}`, latencies)}  (cores: ${cpu})`);
    }
  }
  const end = performance.now() + seconds * 1000;
  const [reads, writes] = await Promise.all([
    loop(8, end, operations.GetItem),
    loop(2, end, operations.TransactWriteItems),
  ]);
  console.log(line('together: GetItem ×8', reads));
  console.log(line('together: Transact ×2', writes));
} finally {
  client.destroy();
  await engine.stop();
}
