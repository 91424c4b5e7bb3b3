import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../migration/cli.js';
import { node22Binary } from '../../scripts/bench/run-lambda-module.js';
import { bundleReplicator } from '../../scripts/build/replicator-bundle.js';
import { localCredentials } from '../../tooling/dynamodb-local.js';
import { createDid, createNeighborhoodName } from '../fixtures/users.js';
import { type MigrationFixture, useMigrationFixture } from '../helpers/migration.js';
import { usePostgres } from '../helpers/postgres.js';
import { startTestApp } from '../helpers/test-app.js';

// The built replicator (dist/replicator/index.mjs) in a fresh Node 22 process, as the stream's event source mapping
// runs it: credentials from a stand-in for Secrets Manager, green's writes read from DynamoDB Local's stream, applied
// to a real PostgreSQL with the legacy schema.

const outDir = mkdtempSync(join(tmpdir(), 'nbhd-replicator-'));
const bundlePath = join(outDir, 'index.mjs');
const secretArn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:nbhd-city/legacy-db-AbCdEf';
const notSetUpArn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:nbhd-city/not-set-up-AbCdEf';
const password = 'replicator-smoke-password';
const creator = createDid('replicator');
const name = createNeighborhoodName('Streamed');

let fx: MigrationFixture;
let secrets: Server;
let secretsEndpoint: string;
const secretRequests: string[] = [];
let streamEvent: DynamoDBStreamEvent;
let createdId: string;

interface Invocation {
  response?: DynamoDBBatchResponse;
  error?: { name: string; message: string };
}

/** Runs the bundle's handler on each event in a fresh Node 22 process with only `env`; a throw is recorded. */
async function invokeBundle(events: DynamoDBStreamEvent[], env: Record<string, string>) {
  const runner = join(outDir, 'invoke.mjs');
  const eventsPath = join(outDir, 'events.json');
  const resultsPath = join(outDir, 'results.json');
  writeFileSync(
    runner,
    `import { readFileSync, writeFileSync } from 'node:fs';
const [bundle, eventsPath, resultsPath] = process.argv.slice(2);
const { handler } = await import(bundle);
const results = [];
for (const [index, event] of JSON.parse(readFileSync(eventsPath, 'utf8')).entries()) {
  try { results.push({ response: await handler(event, { awsRequestId: 'replicator-' + index }) }); }
  catch (error) { results.push({ error: { name: error.name, message: error.message } }); }
}
writeFileSync(resultsPath, JSON.stringify(results));
process.exit(0);
`,
  );
  writeFileSync(eventsPath, JSON.stringify(events));
  const child = spawn(node22Binary, [runner, bundlePath, eventsPath, resultsPath], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  if (code !== 0) throw new Error(`the replicator exited with ${code}:\n${stderr}\n${stdout}`);
  const logs = stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { results: JSON.parse(readFileSync(resultsPath, 'utf8')) as Invocation[], logs, stdout };
}

/** What the Lambda runtime and the template give the function, pointed at the local engines. */
function replicatorEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_SECRET_ARN: secretArn,
    DATABASE_SSL: 'off',
    DYNAMODB_TABLE_NAME: fx.table.tableName,
    DYNAMODB_ENDPOINT_URL: fx.table.endpoint,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsEndpoint,
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_LAMBDA_FUNCTION_NAME: 'nbhd-city-replicator-smoke',
    ...overrides,
  };
}

/** Secrets Manager's GetSecretValue (AWS JSON 1.1) for two secrets in RDS's shape. */
function startSecretsManager(secretsById: Record<string, string>): Promise<Server> {
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on('end', () => {
      const { SecretId } = JSON.parse(body) as { SecretId: string };
      secretRequests.push(`${request.headers['x-amz-target']} ${SecretId}`);
      const secret = secretsById[SecretId];
      response.writeHead(secret ? 200 : 400, { 'content-type': 'application/x-amz-json-1.1' });
      response.end(
        JSON.stringify(
          secret
            ? { ARN: SecretId, Name: 'nbhd-city/legacy-db', SecretString: secret }
            : { __type: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret." },
        ),
      );
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const toRdsSecret = (databaseUrl: string) => {
  const url = new URL(databaseUrl);
  return JSON.stringify({
    engine: 'postgres',
    host: url.hostname,
    port: Number(url.port),
    username: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    dbname: url.pathname.slice(1),
  });
};

/** Everything on the table's stream so far, as a Lambda event source mapping delivers it. */
async function readStreamAsLambdaEvent(): Promise<DynamoDBStreamEvent> {
  const { Table } = await fx.table.client.send(new DescribeTableCommand({ TableName: fx.table.tableName }));
  const streamArn = Table?.LatestStreamArn as string;
  const streams = new DynamoDBStreamsClient({
    region: 'local',
    endpoint: fx.table.endpoint,
    credentials: localCredentials,
  });
  try {
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    const Records: DynamoDBStreamEvent['Records'] = [];
    for (const shard of StreamDescription?.Shards ?? []) {
      const { ShardIterator } = await streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shard.ShardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      );
      const { Records: page = [] } = await streams.send(new GetRecordsCommand({ ShardIterator }));
      for (const record of page) {
        Records.push({
          eventID: record.eventID,
          eventName: record.eventName as 'INSERT' | 'MODIFY' | 'REMOVE',
          eventVersion: '1.1',
          eventSource: 'aws:dynamodb',
          awsRegion: 'eu-west-1',
          eventSourceARN: streamArn,
          dynamodb: {
            ...(record.dynamodb as object),
            // Lambda's events carry epoch seconds, where GetRecords has a Date.
            ApproximateCreationDateTime: Math.floor(
              (record.dynamodb?.ApproximateCreationDateTime?.getTime() ?? Date.now()) / 1000,
            ),
          } as DynamoDBStreamEvent['Records'][number]['dynamodb'],
        });
      }
    }
    return { Records };
  } finally {
    streams.destroy();
  }
}

beforeAll(async () => {
  fx = await useMigrationFixture({ neighborhoods: 1, memberships: 2 });
  const notSetUpUrl = await usePostgres().createLegacyDatabase();
  const cliEnv = {
    DATABASE_URL: fx.databaseUrl,
    DYNAMODB_ENDPOINT_URL: fx.table.endpoint,
    DYNAMODB_TABLE_NAME: fx.table.tableName,
  };
  const setup = await runCli(['replicate', 'setup'], cliEnv, { out: () => {}, err: () => {} });
  expect(setup).toBe(0);
  secrets = await startSecretsManager({
    [secretArn]: toRdsSecret(fx.databaseUrl),
    [notSetUpArn]: toRdsSecret(notSetUpUrl),
  });
  secretsEndpoint = `http://127.0.0.1:${(secrets.address() as AddressInfo).port}`;
  const green = await startTestApp(fx.table);
  const created = await green.request<{ id: string }>('POST', '/api/nbhds', {
    token: await green.tokenFor(creator),
    body: { name, description: 'made on green' },
  });
  expect(created.status).toBe(201);
  createdId = created.body.id;
  streamEvent = await readStreamAsLambdaEvent();
  await bundleReplicator({ outdir: outDir });
}, 180_000);

afterAll(async () => {
  await new Promise((resolve) => secrets?.close(resolve));
  rmSync(outDir, { recursive: true, force: true });
});

describe('the replicator bundle under Node 22 (DynamoDB Local stream → real PostgreSQL)', () => {
  it('applies green’s create to PostgreSQL in the legacy schema and reports no batch item failure', async () => {
    expect(streamEvent.Records.length).toBeGreaterThan(1);
    const { results, logs, stdout } = await invokeBundle([streamEvent], replicatorEnv());
    expect(results).toEqual([{ response: { batchItemFailures: [] } }]);
    const { rows } = await fx.sql('SELECT id, description, created_by FROM neighborhoods WHERE name = $1', [name]);
    expect(rows).toEqual([{ id: expect.anything(), description: 'made on green', created_by: creator }]);
    const members = await fx.sql('SELECT user_id FROM memberships WHERE neighborhood_id = $1', [rows[0]?.id]);
    expect(members.rows).toEqual([{ user_id: creator }]);
    expect(secretRequests).toContain(`secretsmanager.GetSecretValue ${secretArn}`);
    expect(logs.find((line) => line.message === 'batch applied')).toMatchObject({
      level: 'info',
      function_request_id: 'replicator-0',
      records: streamEvent.Records.length,
      applied: expect.any(Number),
    });
    expect(stdout).not.toContain(password);
    expect(stdout).not.toContain(fx.databaseUrl);
    expect(createdId).toEqual(expect.any(String));
  }, 120_000);

  it('applies a batch delivered again once: every record is skipped, nothing fails', async () => {
    const before = await fx.sql('SELECT count(*)::int AS n FROM neighborhoods');
    const { results, logs } = await invokeBundle([streamEvent], replicatorEnv());
    expect(results).toEqual([{ response: { batchItemFailures: [] } }]);
    expect(logs.find((line) => line.message === 'batch applied')).toMatchObject({ applied: 0 });
    expect((await fx.sql('SELECT count(*)::int AS n FROM neighborhoods')).rows).toEqual(before.rows);
  }, 120_000);

  it('names the first record that fails as the batch item failure, so Lambda retries from it', async () => {
    // A database that `replicate setup` never prepared: the first record PostgreSQL must take fails.
    const { results, logs } = await invokeBundle([streamEvent], replicatorEnv({ DATABASE_SECRET_ARN: notSetUpArn }));
    const sequenceNumbers = streamEvent.Records.map((record) => record.dynamodb?.SequenceNumber);
    const failures = results[0]?.response?.batchItemFailures ?? [];
    expect(failures).toHaveLength(1);
    expect(sequenceNumbers).toContain(failures[0]?.itemIdentifier);
    expect(logs.find((line) => line.message === 'batch stopped at a record that failed')).toMatchObject({
      level: 'error',
      failed_sequence_number: failures[0]?.itemIdentifier,
    });
  }, 120_000);

  it('fails the invocation with one clear line when DATABASE_SECRET_ARN is missing, and never logs a secret', async () => {
    const { results, logs } = await invokeBundle([streamEvent], replicatorEnv({ DATABASE_SECRET_ARN: '' }));
    expect(results).toEqual([
      {
        error: {
          name: 'ReplicatorConfigError',
          message:
            'DATABASE_SECRET_ARN is required: the ARN of the Secrets Manager secret holding the legacy database credentials.',
        },
      },
    ]);
    expect(logs).toEqual([
      expect.objectContaining({
        level: 'error',
        message: 'replicator could not start',
        error: 'ReplicatorConfigError',
        function_request_id: 'replicator-0',
      }),
    ]);
  }, 60_000);

  it('fails the invocation when Secrets Manager refuses the secret, and tries again on the next one', async () => {
    const unknownArn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:nbhd-city/none-such-AbCdEf';
    const { results } = await invokeBundle(
      [streamEvent, streamEvent],
      replicatorEnv({ DATABASE_SECRET_ARN: unknownArn }),
    );
    expect(results.map((result) => result.error?.name)).toEqual([
      'ResourceNotFoundException',
      'ResourceNotFoundException',
    ]);
    // One request at init, one for the second invocation's retry (the first awaits the init's).
    expect(secretRequests.filter((request) => request.endsWith(unknownArn))).toHaveLength(2);
  }, 60_000);
});
