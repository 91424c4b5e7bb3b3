import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { dropTable } from '../../server/data/table/admin.js';
import { toCreateTableInput } from '../../server/data/table/definition.js';
import { localCredentials } from '../../tooling/dynamodb-local.js';
import { runCliProcess } from '../helpers/migrate-cli.js';

const endpoint = inject('dynamodbEndpoint');
const client = new DynamoDBClient({ endpoint, region: 'local', credentials: localCredentials });
const tableName = `cli-table-${randomUUID()}`;
const streamlessName = `cli-table-no-stream-${randomUUID()}`;
// No AWS credentials in the environment: a local endpoint must not need them.
const env = { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: 'none-such-profile' };

afterAll(async () => {
  await dropTable(client, tableName);
  await dropTable(client, streamlessName);
  client.destroy();
});

describe('npm run migrate -- table', () => {
  it('says in one line, without a stack trace, how to create a missing table', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nbhd-no-table-'));
    try {
      for (const args of [
        ['table', 'describe'],
        ['import', '--dir', dir],
        ['verify', '--from-dir', dir],
      ]) {
        const run = await runCliProcess([...args, '--table', tableName, '--endpoint', endpoint], env);
        expect([args[0], run.code]).toEqual([args[0], 3]);
        expect(run.stdout).toBe('');
        expect(run.stderr.trim().split('\n')).toEqual([
          `migrate ${args[0]}: Table "${tableName}" does not exist at ${endpoint}. Create it from the code's ` +
            `definition: npm run migrate -- table create --table ${tableName} --endpoint ${endpoint}`,
        ]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('creates the table from the code definition with local credentials, prints pure JSON, and is idempotent', async () => {
    const created = await runCliProcess(
      ['table', 'create', '--table', tableName, '--endpoint', endpoint, '--json'],
      env,
    );
    expect(created.code).toBe(0);
    const result = JSON.parse(created.stdout) as { created: boolean; description: { differences: string[] } };
    expect(result).toMatchObject({ created: true, description: { differences: [], status: 'ACTIVE' } });

    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const wanted = toCreateTableInput(tableName);
    expect(Table?.KeySchema).toEqual(wanted.KeySchema);
    expect((Table?.GlobalSecondaryIndexes ?? []).map((i) => [i.IndexName, i.KeySchema])).toEqual(
      (wanted.GlobalSecondaryIndexes ?? []).map((i) => [i.IndexName, i.KeySchema]),
    );

    const again = await runCliProcess(['table', 'create', '--table', tableName, '--endpoint', endpoint], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^table exists already: not changed\n/);
  }, 120_000);

  it('describes the table: keys, every index, TTL, and whether it matches the code', async () => {
    const described = await runCliProcess(['table', 'describe', '--table', tableName], {
      ...env,
      DYNAMODB_ENDPOINT_URL: endpoint,
    });
    expect(described.code).toBe(0);
    expect(described.stdout).toContain(`table ${tableName} at ${endpoint}`);
    expect(described.stdout).toMatch(/keys +PK \(partition\), SK \(sort\)/);
    for (const index of toCreateTableInput(tableName).GlobalSecondaryIndexes ?? []) {
      expect(described.stdout).toMatch(new RegExp(`global index +${index.IndexName}: `));
    }
    expect(described.stdout).toMatch(/TTL +expires_at/);
    expect(described.stdout).toMatch(/stream +NEW_AND_OLD_IMAGES/);
    expect(described.stdout).toContain('matches the code (server/data/table/definition.ts)');
  }, 120_000);

  it('reports a table without the stream as differing from the code, with the UpdateTable that fixes it, and create leaves it alone', async () => {
    const { StreamSpecification: _stream, ...withoutStream } = toCreateTableInput(streamlessName);
    await client.send(new CreateTableCommand(withoutStream));
    for (const action of ['describe', 'create']) {
      const run = await runCliProcess(['table', action, '--table', streamlessName, '--endpoint', endpoint], env);
      expect([action, run.code]).toEqual([action, 1]);
      expect(run.stdout).toMatch(/stream +off/);
      expect(run.stdout).toContain(
        `- the stream should be NEW_AND_OLD_IMAGES (it is off): aws dynamodb update-table --table-name ${streamlessName} ` +
          '--stream-specification StreamEnabled=true,StreamViewType=NEW_AND_OLD_IMAGES',
      );
    }
    const { Table } = await client.send(new DescribeTableCommand({ TableName: streamlessName }));
    expect(Table?.StreamSpecification?.StreamEnabled ?? false).toBe(false);
  }, 120_000);
});
