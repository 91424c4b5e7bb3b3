import { DeleteItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../scripts/migrate/cli.js';
import { exportLegacyData } from '../../scripts/migrate/export.js';
import { toMembershipUuid, toNeighborhoodUuid } from '../../scripts/migrate/ids.js';
import { importExport } from '../../scripts/migrate/import.js';
import { openPostgresSource } from '../../scripts/migrate/legacy-source.js';
import { syncMigration, verifyMigration } from '../../scripts/migrate/verify.js';
import { type MigrationFixture, useMigrationFixture } from '../helpers/migration.js';

let fx: MigrationFixture;

async function verify() {
  const source = await openPostgresSource(fx.databaseUrl);
  try {
    return await verifyMigration(source, fx.documentClient, fx.table.tableName);
  } finally {
    await source.close();
  }
}

async function sync() {
  const source = await openPostgresSource(fx.databaseUrl);
  try {
    return await syncMigration(source, {
      documentClient: fx.documentClient,
      tableName: fx.table.tableName,
      quiet: true,
    });
  } finally {
    await source.close();
  }
}

beforeAll(async () => {
  fx = await useMigrationFixture({ neighborhoods: 150, memberships: 1_200 });
  await exportLegacyData({ databaseUrl: fx.databaseUrl, dir: fx.dir, quiet: true });
});

describe('export → import → verify', () => {
  it('imports every row with deterministic ids and the table verifies against PostgreSQL', async () => {
    const summary = await importExport({
      dir: fx.dir,
      documentClient: fx.documentClient,
      tableName: fx.table.tableName,
      quiet: true,
    });
    expect(summary.items).toEqual({ neighborhoods: 150, nameClaims: 150, memberships: 1_200 });
    expect(summary.issues['name-collision']).toBeGreaterThanOrEqual(5);
    const report = await verify();
    expect(report.differences).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.counts.target).toEqual({ neighborhoods: 150, nameClaims: 150, memberships: 1_200, other: 0 });
  });

  it('exits 0 from the verify command when the table matches', async () => {
    const env = {
      DATABASE_URL: fx.databaseUrl,
      DYNAMODB_ENDPOINT_URL: fx.table.endpoint,
      DYNAMODB_TABLE_NAME: fx.table.tableName,
    };
    const output: string[] = [];
    const code = await runCli(['verify', '--quiet', '--json'], env, {
      out: (t) => output.push(t),
      err: (t) => output.push(t),
    });
    expect(code).toBe(0);
    expect(JSON.parse(output.join('\n'))).toMatchObject({ ok: true, differenceCount: 0 });
  });
});

describe('verify', () => {
  it('reports an altered, a deleted and an extra item and exits non-zero', async () => {
    const { client, tableName } = fx.table;
    const nbhdKey = { PK: { S: `NBHD#${toNeighborhoodUuid(40)}` }, SK: { S: 'METADATA' } };
    await client.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: nbhdKey,
        UpdateExpression: 'SET description = :d',
        ExpressionAttributeValues: { ':d': { S: 'tampered' } },
      }),
    );
    const { rows } = await fx.sql('SELECT user_id, neighborhood_id FROM memberships WHERE id = 500');
    const member = rows[0] as { user_id: string; neighborhood_id: number };
    await client.send(
      new DeleteItemCommand({
        TableName: tableName,
        Key: { PK: { S: `NBHD#${toNeighborhoodUuid(member.neighborhood_id)}` }, SK: { S: `MEMBER#${member.user_id}` } },
      }),
    );
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: {
          PK: { S: `NBHD#${toNeighborhoodUuid(41)}` },
          SK: { S: 'MEMBER#did:plc:intruder' },
          _et: { S: 'MEMBER' },
          id: { S: toMembershipUuid(999_999) },
          nbhd_id: { S: toNeighborhoodUuid(41) },
          user_id: { S: 'did:plc:intruder' },
          joined_at: { S: '2024-01-01T00:00:00.000000Z' },
        },
      }),
    );
    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.byKind).toMatchObject({ changed: 1, missing: 1, extra: 1, 'member-count': 2 });
    expect(report.differences.find((d) => d.kind === 'changed')?.detail).toContain('description');
    const env = {
      DATABASE_URL: fx.databaseUrl,
      DYNAMODB_ENDPOINT_URL: fx.table.endpoint,
      DYNAMODB_TABLE_NAME: fx.table.tableName,
    };
    const output: string[] = [];
    const code = await runCli(['verify', '--quiet'], env, { out: (t) => output.push(t), err: (t) => output.push(t) });
    expect(code).toBe(1);
    expect(output.join('\n')).toContain('verify: FAILED, 5 differences');
  });
});

describe('sync', () => {
  it('repairs the table after inserts, updates and deletes in PostgreSQL, and a second run writes nothing', async () => {
    await fx.sql(`INSERT INTO neighborhoods (name, description, created_by, created_at, updated_at)
      VALUES ('Brand New Block', NULL, 'did:plc:newcomer', '2026-11-01 10:00:00.123456+05:45', NULL),
             ('MAPLE STREET', 'younger twin of Maple Street', 'did:plc:twin', '2026-11-02 00:00:00-09:30', now())`);
    await fx.sql(`INSERT INTO memberships (user_id, neighborhood_id, joined_at)
      SELECT 'did:plc:newcomer', id, '2026-11-01 10:00:00.123456+05:45' FROM neighborhoods WHERE name = 'Brand New Block'`);
    await fx.sql(
      `UPDATE neighborhoods SET name = 'Renamed Commons', description = 'changed', updated_at = now() WHERE id = 60`,
    );
    await fx.sql(
      'DELETE FROM memberships WHERE id IN (SELECT id FROM memberships WHERE neighborhood_id = 70 ORDER BY id DESC LIMIT 1)',
    );
    await fx.sql('DELETE FROM memberships WHERE neighborhood_id = 80');
    await fx.sql('DELETE FROM neighborhoods WHERE id = 80');

    const before = await verify();
    expect(before.ok).toBe(false);
    const first = await sync();
    expect(first.puts).toBeGreaterThan(0);
    expect(first.deletes).toBeGreaterThan(0);
    const after = await verify();
    expect(after.differences).toEqual([]);
    expect(after.ok).toBe(true);
    const again = await sync();
    expect({ puts: again.puts, deletes: again.deletes }).toEqual({ puts: 0, deletes: 0 });
  });
});
