import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeleteItemCommand, PutItemCommand, ScanCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../migration/cli.js';
import { exportLegacyData } from '../../migration/export.js';
import { toMembershipUuid, toNeighborhoodUuid } from '../../migration/ids.js';
import { importExport } from '../../migration/import.js';
import { openPostgresSource } from '../../migration/legacy-source.js';
import type { MigrationIssue } from '../../migration/plan.js';
import { syncMigration, verifyMigration } from '../../migration/verify.js';
import { toMembershipKey } from '../../server/data/membership/keys.js';
import { type MigrationFixture, useMigrationFixture } from '../helpers/migration.js';
import { startTestApp } from '../helpers/test-app.js';

let fx: MigrationFixture;

async function verify() {
  const source = await openPostgresSource(fx.databaseUrl);
  try {
    return await verifyMigration(source, fx.documentClient, fx.table.tableName, { quiet: true });
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

const env = () => ({
  DATABASE_URL: fx.databaseUrl,
  DYNAMODB_ENDPOINT_URL: fx.table.endpoint,
  DYNAMODB_TABLE_NAME: fx.table.tableName,
});
/** What the fixture's 100 neighborhoods and 800 memberships become in the table. */
const importedCounts = { neighborhoods: 100, nameClaims: 100, legacyIds: 100, memberships: 800, other: 0 };
const collect = (lines: string[]) => ({ out: (t: string) => lines.push(t), err: (t: string) => lines.push(t) });

beforeAll(async () => {
  fx = await useMigrationFixture({ neighborhoods: 100, memberships: 800 });
  await exportLegacyData({ databaseUrl: fx.databaseUrl, dir: fx.dir, quiet: true });
});

describe('export → import → verify', () => {
  it('writes nothing on --dry-run and reports what it would write', async () => {
    const output: string[] = [];
    const code = await runCli(['import', '--dir', fx.dir, '--dry-run', '--json', '--quiet'], env(), collect(output));
    expect(code).toBe(0);
    expect(JSON.parse(output.join('\n'))).toMatchObject({
      dryRun: true,
      items: { neighborhoods: 100, nameClaims: 100, legacyIds: 100, memberships: 800 },
    });
    const { Count } = await fx.table.client.send(new ScanCommand({ TableName: fx.table.tableName, Select: 'COUNT' }));
    expect(Count).toBe(0);
  });

  it('imports every row with deterministic ids and the table verifies against PostgreSQL', async () => {
    const summary = await importExport({
      dir: fx.dir,
      documentClient: fx.documentClient,
      tableName: fx.table.tableName,
      quiet: true,
    });
    expect(summary.items).toEqual({ neighborhoods: 100, nameClaims: 100, legacyIds: 100, memberships: 800 });
    expect(summary.issues['name-collision']).toBeGreaterThanOrEqual(5);
    const report = await verify();
    expect(report.differences).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.counts.target).toEqual(importedCounts);
  });

  it('reports every row the conflict rule changed, with the original value', () => {
    const issues = readFileSync(join(fx.dir, 'issues.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as MigrationIssue);
    expect(issues).toContainEqual(
      expect.objectContaining({
        kind: 'name-collision',
        legacy_id: 2,
        original: 'oak park',
        resolved: 'oak park (#2-2)',
      }),
    );
    expect(issues).toContainEqual(
      expect.objectContaining({
        kind: 'name-invalid',
        legacy_id: 20,
        original: 'Bell\u0007Street',
        resolved: 'Bell Street',
      }),
    );
    expect(issues.filter((i) => i.kind === 'updated-at-null').length).toBeGreaterThan(10);
  });

  it('changes nothing when the finished import runs again', async () => {
    await importExport({ dir: fx.dir, documentClient: fx.documentClient, tableName: fx.table.tableName, quiet: true });
    const report = await verify();
    expect(report.ok).toBe(true);
    expect(report.counts.target).toEqual(importedCounts);
  });

  it('still verifies, and sync writes nothing, when API writes left quota counters in the table', async () => {
    const app = await startTestApp(fx.table);
    const token = await app.tokenFor('did:plc:quota-visitor');
    const nbhdPath = `/api/nbhds/${toNeighborhoodUuid(1)}`;
    // A join and a leave: the memberships end as PostgreSQL has them; the user's two counters stay.
    expect((await app.request('POST', `${nbhdPath}/join`, { token })).status).toBe(201);
    expect((await app.request('DELETE', `${nbhdPath}/leave`, { token })).status).toBe(204);
    const { Items = [] } = await fx.table.client.send(new ScanCommand({ TableName: fx.table.tableName }));
    expect(Items.filter((item) => item.PK?.S?.startsWith('QUOTA#'))).toHaveLength(2);
    const report = await verify();
    expect(report.differences).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.counts.target).toEqual(importedCounts);
    const repaired = await sync();
    expect({ puts: repaired.puts, deletes: repaired.deletes }).toEqual({ puts: 0, deletes: 0 });
  });

  it('exits 0 from the verify command when the table matches', async () => {
    const output: string[] = [];
    const code = await runCli(['verify', '--quiet', '--json'], env(), collect(output));
    expect(code).toBe(0);
    expect(JSON.parse(output.join('\n'))).toMatchObject({ ok: true, differenceCount: 0 });
  });
});

interface Nbhd {
  id: string;
  name: string;
  description: string | null;
  created_at: string;
  updated_at: string | null;
  member_count: number;
}

describe('the API over the imported table', () => {
  it("serves the list, a detail and a user's neighborhoods exactly as PostgreSQL has them", async () => {
    const app = await startTestApp(fx.table);
    const newest = await fx.sql('SELECT id FROM neighborhoods ORDER BY created_at DESC LIMIT 20');
    const list = await app.request<Nbhd[]>('GET', '/api/nbhds?limit=20');
    expect(list.status).toBe(200);
    expect(list.body.map((n) => n.id)).toEqual(newest.rows.map((r: { id: number }) => toNeighborhoodUuid(r.id)));
    expect(list.headers.get('link')).toContain('rel="next"');

    // 100 emoji as its name (200 UTF-16 units), microseconds kept, exact member count.
    const { rows } = await fx.sql(`SELECT n.id, n.name, count(m.id)::int AS members,
      to_char(n.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_at
      FROM neighborhoods n JOIN memberships m ON m.neighborhood_id = n.id WHERE n.id = 16 GROUP BY n.id`);
    const legacy = rows[0] as { name: string; members: number; created_at: string };
    const detail = await app.request<Nbhd & { members: { user_id: string }[] }>(
      'GET',
      `/api/nbhds/${toNeighborhoodUuid(16)}`,
    );
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({
      name: legacy.name,
      member_count: legacy.members,
      created_at: legacy.created_at,
    });
    expect(detail.body.members).toHaveLength(legacy.members);

    const nulls = await fx.sql('SELECT id FROM neighborhoods WHERE updated_at IS NULL AND description IS NULL LIMIT 1');
    const sparse = await app.request<Nbhd>(
      'GET',
      `/api/nbhds/${toNeighborhoodUuid((nulls.rows[0] as { id: number }).id)}`,
    );
    expect(sparse.body).toMatchObject({ description: null, updated_at: null });

    // An old link: the imported legacy id redirects to the UUID, on every neighborhood path.
    const oldLink = await app.request('GET', '/api/nbhds/16/members?limit=5');
    expect(oldLink.status).toBe(308);
    expect(oldLink.headers.get('location')).toBe(`/api/nbhds/${toNeighborhoodUuid(16)}/members?limit=5`);
    expect((await app.request('GET', '/api/nbhds/101')).status).toBe(404);

    const renamed = await app.request<Nbhd>('GET', `/api/nbhds/${toNeighborhoodUuid(2)}`);
    expect(renamed.body.name).toBe('oak park (#2-2)');
    const creator = (await fx.sql('SELECT created_by FROM neighborhoods WHERE id = 1')).rows[0] as {
      created_by: string;
    };
    const taken = await app.request('POST', '/api/nbhds', {
      token: await app.tokenFor(creator.created_by),
      body: { name: 'OAK park' },
    });
    expect(taken.status).toBe(409);

    const joined = await fx.sql('SELECT neighborhood_id FROM memberships WHERE user_id = $1', [creator.created_by]);
    const mine = await app.request<{ neighborhoods: Nbhd[] }>('GET', '/api/users/me/nbhds?limit=100', {
      token: await app.tokenFor(creator.created_by),
    });
    expect(mine.status).toBe(200);
    expect(mine.body.neighborhoods.map((n) => n.id).sort()).toEqual(
      joined.rows.map((r: { neighborhood_id: number }) => toNeighborhoodUuid(r.neighborhood_id)).sort(),
    );
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
        Key: marshall(toMembershipKey(toNeighborhoodUuid(member.neighborhood_id), member.user_id)),
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

  it('reports memberships without a neighborhood and a name claim pointing at a missing neighborhood', async () => {
    const { client, tableName } = fx.table;
    const ghost = toNeighborhoodUuid(888_888);
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: {
          PK: { S: `NBHD#${ghost}` },
          SK: { S: 'MEMBER#did:plc:ghost-member' },
          _et: { S: 'MEMBER' },
          id: { S: toMembershipUuid(888_888) },
          nbhd_id: { S: ghost },
          user_id: { S: 'did:plc:ghost-member' },
          joined_at: { S: '2024-01-01T00:00:00.000000Z' },
        },
      }),
    );
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: {
          PK: { S: 'NAME#ghost town' },
          SK: { S: 'NAME' },
          _et: { S: 'NAME' },
          name: { S: 'Ghost Town' },
          nbhd_id: { S: ghost },
        },
      }),
    );
    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.differences).toContainEqual({
      kind: 'orphan-membership',
      entity: 'MEMBER',
      key: `NBHD#${ghost}`,
      detail: '1 membership items without a neighborhood item',
    });
    expect(report.differences).toContainEqual({
      kind: 'name-claim',
      entity: 'NAME',
      key: 'NAME#ghost town / NAME',
      detail: `points at missing neighborhood ${ghost}`,
    });
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

    // A green smoke test: a create through the new API only, with an Idempotency-Key.
    const app = await startTestApp(fx.table);
    const smoke = { token: await app.tokenFor('did:plc:smoke'), headers: { 'idempotency-key': 'smoke-create-1' } };
    const created = await app.request<Nbhd>('POST', '/api/nbhds', { ...smoke, body: { name: 'Smoke Test Square' } });
    expect(created.status).toBe(201);

    const before = await verify();
    expect(before.ok).toBe(false);
    expect(before.differences).toContainEqual(
      expect.objectContaining({ kind: 'idempotency-orphan', entity: 'IDEMPOTENCY' }),
    );
    const first = await sync();
    expect(first.puts).toBeGreaterThan(0);
    expect(first.deletes).toBeGreaterThan(0);
    const after = await verify();
    expect(after.differences).toEqual([]);
    expect(after.ok).toBe(true);
    const again = await sync();
    expect({ puts: again.puts, deletes: again.deletes }).toEqual({ puts: 0, deletes: 0 });

    // Legacy ids follow the rows: the new row's id redirects, the deleted row's id is unknown.
    const added = await fx.sql(`SELECT id FROM neighborhoods WHERE name = 'Brand New Block'`);
    const addedId = (added.rows[0] as { id: number }).id;
    expect((await app.request('GET', `/api/nbhds/${addedId}`)).headers.get('location')).toBe(
      `/api/nbhds/${toNeighborhoodUuid(addedId)}`,
    );
    expect((await app.request('GET', '/api/nbhds/80')).status).toBe(404);

    // The smoke test's neighborhood is gone, and replaying its create does not answer with the dead id.
    expect((await app.request('GET', `/api/nbhds/${created.body.id}`)).status).toBe(404);
    const replay = await app.request<Nbhd>('POST', '/api/nbhds', { ...smoke, body: { name: 'Smoke Test Square' } });
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBeNull();
    expect(replay.body.id).not.toBe(created.body.id);
    expect((await app.request('GET', `/api/nbhds/${replay.body.id}`)).status).toBe(200);
  });
});
