import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFloor } from '../../scripts/bench/coldstart-builds.js';
import { runLambdaModule } from '../../scripts/bench/run-lambda-module.js';
import { bundleLambda } from '../../scripts/build/lambda-bundle.js';
import { createHttpApiEvent } from '../../tooling/lambda-events.js';
import { useTestTable } from '../helpers/dynamodb.js';
import { type DynamoDbRecorder, type RecordedCall, startDynamoDbRecorder } from '../helpers/dynamodb-recorder.js';

// bench:coldstart's goal ("the app adds" ≤ 15 ms) compares the app with the stack floor on GET /api/nbhds. That is
// only the app's code if both send the same DynamoDB requests: this test holds the floors to it, through a proxy in
// front of DynamoDB Local that records what each fresh process sends.

interface SentRequest {
  operation: string;
  table: unknown;
  index: unknown;
  /** The key condition's values: which partitions (GSI1 shards) were read. */
  values: string[];
}

const outDir = mkdtempSync(join(tmpdir(), 'nbhd-floors-'));
let recorder: DynamoDbRecorder;
const firstRequests = new Map<string, SentRequest[]>();

const toSent = ({ operation, input }: RecordedCall): SentRequest => ({
  operation,
  table: input.TableName,
  index: input.IndexName,
  values: Object.values((input.ExpressionAttributeValues ?? {}) as Record<string, Record<string, string>>)
    .map((value) => Object.values(value).join(''))
    .sort(),
});

beforeAll(async () => {
  const table = await useTestTable('floors');
  recorder = await startDynamoDbRecorder(table.endpoint);
  await bundleLambda({ outdir: join(outDir, 'app') });
  const builds = {
    app: join(outDir, 'app', 'index.mjs'),
    stack: (await buildFloor('stack', join(outDir, 'stack/'))).path,
    'stack-one-query': (await buildFloor('stack-one-query', join(outDir, 'stack-one-query/'))).path,
  };
  for (const [name, path] of Object.entries(builds)) {
    recorder.calls.length = 0;
    const run = await runLambdaModule(path, [createHttpApiEvent({ method: 'GET', path: '/api/nbhds' })], {
      STAGE: 'staging',
      SECRET_KEY: 'coldstart-floors-secret',
      DYNAMODB_TABLE_NAME: table.tableName,
      DYNAMODB_ENDPOINT_URL: recorder.endpoint,
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    });
    expect(run.responses[0]?.statusCode, name).toBe(200);
    firstRequests.set(name, recorder.calls.map(toSent));
  }
}, 120_000);

afterAll(async () => {
  await recorder.close();
  rmSync(outDir, { recursive: true, force: true });
});

describe("bench:coldstart's stack floors (a fresh process, GET /api/nbhds on an empty table)", () => {
  it('the stack floor sends the same DynamoDB requests as the app: one GSI1 query per shard', () => {
    const app = firstRequests.get('app') ?? [];
    const shards = (requests: SentRequest[]) => requests.flatMap((request) => request.values).sort();
    expect(app.length).toBeGreaterThan(1);
    expect(app.every((request) => request.operation === 'Query' && request.index === 'GSI1')).toBe(true);
    expect(new Set(shards(app)).size).toBe(app.length);
    const floor = firstRequests.get('stack') ?? [];
    expect(floor.map(({ operation, table, index }) => [operation, table, index])).toEqual(
      app.map(({ operation, table, index }) => [operation, table, index]),
    );
    expect(shards(floor)).toEqual(shards(app));
  });

  it("the one-query floor sends the first shard's query only", () => {
    const app = firstRequests.get('app') ?? [];
    const oneQuery = firstRequests.get('stack-one-query') ?? [];
    expect(oneQuery).toHaveLength(1);
    expect(oneQuery[0]).toMatchObject({ operation: 'Query', index: 'GSI1' });
    expect(app.flatMap((request) => request.values)).toEqual(expect.arrayContaining(oneQuery[0]?.values ?? []));
  });
});
