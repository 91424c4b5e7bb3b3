import { DynamoDBClient, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../migration/cli.js';
import { localCredentials } from '../../tooling/dynamodb-local.js';
import { type MigrationFixture, useMigrationFixture } from '../helpers/migration.js';

let fx: MigrationFixture;
/** A second database on the same PostgreSQL server. */
let other: MigrationFixture;

beforeAll(async () => {
  fx = await useMigrationFixture({ neighborhoods: 3, memberships: 6 });
  other = await useMigrationFixture({ neighborhoods: 1, memberships: 1 });
});

/** Runs the CLI in-process; every fault here must be one line, exit 3, no stack trace. */
async function failing(args: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(
    args,
    {
      DATABASE_URL: fx.databaseUrl,
      DYNAMODB_ENDPOINT_URL: fx.table.endpoint,
      DYNAMODB_TABLE_NAME: fx.table.tableName,
      ...env,
    },
    { out: (t) => out.push(t), err: (t) => err.push(t) },
  );
  expect(code).toBe(3);
  expect(out).toEqual([]);
  const lines = err.join('\n').split('\n');
  expect(lines).toHaveLength(1);
  return lines[0] ?? '';
}

describe('replicate: faults end in one line and exit 3', () => {
  it('says replication is not set up, for running it and for its status', async () => {
    expect(await failing(['replicate', '--once'])).toMatch(
      /^migrate replicate: replication is not set up on this database: run `npm run migrate -- replicate setup`/,
    );
    expect(await failing(['replicate', 'status', '--json'])).toMatch(/replication is not set up/);
  });

  it('says PostgreSQL refused the credentials, never printing the password', async () => {
    const url = new URL(fx.databaseUrl);
    url.password = 'wrong-password';
    const line = await failing(['replicate', 'setup'], { DATABASE_URL: url.toString() });
    expect(line).toMatch(/password|authentication|refused/i);
    expect(line).not.toContain('wrong-password');
  });

  it('says the slot is missing after it was dropped, and how to repair', async () => {
    const setup = await runCli(
      ['replicate', 'setup'],
      {
        DATABASE_URL: fx.databaseUrl,
        DYNAMODB_ENDPOINT_URL: fx.table.endpoint,
        DYNAMODB_TABLE_NAME: fx.table.tableName,
      },
      { out: () => undefined, err: () => undefined },
    );
    expect(setup).toBe(0);
    await fx.sql("SELECT pg_drop_replication_slot('nbhd_replication')");
    expect(await failing(['replicate', '--once'])).toMatch(
      /the replication slot nbhd_replication is missing .*put all weight on blue.*replicate setup/,
    );
    await fx.sql("SELECT pg_create_logical_replication_slot('nbhd_replication', 'pgoutput')");
  });

  it('refuses to set up a second database on the same server while the first holds the slot', async () => {
    const line = await failing(['replicate', 'setup'], { DATABASE_URL: other.databaseUrl });
    expect(line).toMatch(/the replication slot nbhd_replication belongs to the database legacy_\w+ on this server/);
    expect((await other.sql("SELECT 1 FROM pg_namespace WHERE nspname = 'nbhd_replication'")).rowCount).toBe(0);
  });

  it('says the table has no stream when it was turned off', async () => {
    const client = new DynamoDBClient({ endpoint: fx.table.endpoint, region: 'local', credentials: localCredentials });
    await client.send(
      new UpdateTableCommand({ TableName: fx.table.tableName, StreamSpecification: { StreamEnabled: false } }),
    );
    client.destroy();
    expect(await failing(['replicate', '--once'])).toMatch(
      /^migrate replicate: the table .* has no stream: run `npm run migrate -- replicate setup`/,
    );
  });
});
