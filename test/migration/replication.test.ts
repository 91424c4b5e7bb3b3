import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../migration/cli.js';
import { exportLegacyData } from '../../migration/export.js';
import { toNeighborhoodUuid } from '../../migration/ids.js';
import { createSlotReader } from '../../migration/replication/capture.js';
import { createForwardApplier } from '../../migration/replication/forward-apply.js';
import { createPool } from '../../migration/replication/postgres-side.js';
import { createReplicationCounters } from '../../migration/replication/progress.js';
import { type MigrationFixture, useMigrationFixture } from '../helpers/migration.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

let fx: MigrationFixture;
let green: TestApp;

const env = () => ({
  DATABASE_URL: fx.databaseUrl,
  DYNAMODB_ENDPOINT_URL: fx.table.endpoint,
  DYNAMODB_TABLE_NAME: fx.table.tableName,
});

async function cli(...args: string[]) {
  const lines: string[] = [];
  const code = await runCli(args, env(), { out: (t) => lines.push(t), err: (t) => lines.push(t) });
  return { code, output: lines.join('\n') };
}

async function drain() {
  const result = await cli('replicate', '--once', '--json', '--quiet');
  if (result.code !== 0) throw new Error(`replicate --once exited ${result.code}: ${result.output}`);
  return result;
}
async function verify() {
  const result = await cli('verify', '--quiet');
  if (result.code !== 0) throw new Error(`verify exited ${result.code}: ${result.output}`);
  return result;
}

/** What the legacy service does for a create: two statements, one transaction (shared/legacy/API.md). */
async function blueCreate(name: string, did: string): Promise<number> {
  await fx.sql('BEGIN');
  const { rows } = await fx.sql(
    'INSERT INTO neighborhoods (name, description, created_by) VALUES ($1, $2, $3) RETURNING id',
    [name, 'made on blue', did],
  );
  const id = Number(rows[0]?.id);
  await fx.sql('INSERT INTO memberships (user_id, neighborhood_id) VALUES ($1, $2)', [did, id]);
  await fx.sql('COMMIT');
  return id;
}

const blueJoin = (did: string, legacyId: number) =>
  fx.sql('INSERT INTO memberships (user_id, neighborhood_id) VALUES ($1, $2)', [did, legacyId]);
const blueLeave = (did: string, legacyId: number) =>
  fx.sql('DELETE FROM memberships WHERE user_id = $1 AND neighborhood_id = $2', [did, legacyId]);

async function greenAs(did: string) {
  const token = await green.tokenFor(did);
  return {
    create: (name: string) => green.request<{ id: string }>('POST', '/api/nbhds', { token, body: { name } }),
    join: (id: string) => green.request('POST', `/api/nbhds/${id}/join`, { token }),
    leave: (id: string) => green.request('DELETE', `/api/nbhds/${id}/leave`, { token }),
    rename: (id: string, name: string) => green.request('PATCH', `/api/nbhds/${id}`, { token, body: { name } }),
    remove: (id: string) => green.request('DELETE', `/api/nbhds/${id}`, { token }),
  };
}

const members = async (legacyId: number) =>
  (await fx.sql('SELECT user_id FROM memberships WHERE neighborhood_id = $1 ORDER BY user_id', [legacyId])).rows.map(
    (r) => r.user_id as string,
  );

beforeAll(async () => {
  fx = await useMigrationFixture({ neighborhoods: 20, memberships: 120 });
  green = await startTestApp(fx.table);
  expect((await cli('replicate', 'setup')).code).toBe(0);
  await exportLegacyData({ databaseUrl: fx.databaseUrl, dir: fx.dir, quiet: true });
  expect((await cli('import', '--dir', fx.dir, '--quiet')).code).toBe(0);
  expect((await drain()).code).toBe(0);
  expect((await verify()).code).toBe(0);
}, 120_000);

describe('replicate setup', () => {
  it('says what exists when run again, and changes nothing', async () => {
    const { code, output } = await cli('replicate', 'setup');
    expect(code).toBe(0);
    expect(output).toMatch(/exists\s+logical replication slot nbhd_replication/);
    expect(output).toMatch(/exists\s+table .*: stream/);
  });
});

describe('sync while replication is set up', () => {
  it('refuses in one line and changes nothing, so a write made on green is not undone', async () => {
    const hana = await greenAs('did:plc:sync-hana');
    const created = await hana.create('Kept From Sync');
    const { code, output } = await cli('sync', '--quiet');
    expect(code).toBe(3);
    expect(output).toMatch(/^migrate sync: replication is set up on this database/);
    expect(output.split('\n')).toHaveLength(1);
    expect((await green.request('GET', `/api/nbhds/${created.body.id}`)).status).toBe(200);
    expect((await drain()).code).toBe(0);
  });
});

describe('forward: PostgreSQL → table', () => {
  it('when blue creates a neighborhood and a member joins, green serves both after a drain', async () => {
    const id = await blueCreate('Made On Blue', 'did:plc:blue-creator');
    await blueJoin('did:plc:blue-joiner', id);
    expect((await drain()).code).toBe(0);
    const detail = await green.request<{ name: string; member_count: number }>(
      'GET',
      `/api/nbhds/${toNeighborhoodUuid(id)}`,
    );
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ name: 'Made On Blue', member_count: 2 });
    await blueLeave('did:plc:blue-joiner', id);
    expect((await drain()).code).toBe(0);
    const after = await green.request<{ member_count: number }>('GET', `/api/nbhds/${toNeighborhoodUuid(id)}`);
    expect(after.body.member_count).toBe(1);
    expect((await verify()).code).toBe(0);
  });
});

describe('forward: runs of joins and leaves', () => {
  it('go to the table in a few calls for many transactions, and a replay of them changes nothing', async () => {
    const id = await blueCreate('Busy On Blue', 'did:plc:busy-creator');
    expect((await drain()).code).toBe(0);
    const joiners = Array.from({ length: 30 }, (_, i) => `did:plc:busy-${String(i).padStart(2, '0')}`);
    for (const did of joiners) await blueJoin(did, id);
    for (const did of joiners.slice(0, 10)) await blueLeave(did, id);
    const pool = createPool(fx.databaseUrl);
    try {
      const batch = await createSlotReader(pool).peek(1000);
      expect(batch.length).toBeGreaterThanOrEqual(40);
      const counters = createReplicationCounters();
      const forward = createForwardApplier({
        pool,
        documentClient: fx.documentClient,
        tableName: fx.table.tableName,
        counters,
      });
      const applied: string[] = [];
      await forward.applyAll(batch, (t) => applied.push(t.endLsn));
      expect(applied).toEqual(batch.map((t) => t.endLsn));
      // 30 joins, then 10 leaves of the same memberships: two groups (a membership once per table transaction).
      expect(counters.snapshot('forward').dynamodbOperations).toBeLessThanOrEqual(3);
      const uuid = toNeighborhoodUuid(id);
      const count = async () =>
        (await green.request<{ member_count: number }>('GET', `/api/nbhds/${uuid}`)).body.member_count;
      expect(await count()).toBe(21);
      // As after a kill before the slot was confirmed: the same transactions again.
      await forward.applyAll(batch, () => undefined);
      expect(await count()).toBe(21);
    } finally {
      await pool.end();
    }
    expect((await drain()).code).toBe(0);
    expect((await verify()).code).toBe(0);
  });
});

describe('reverse: table → PostgreSQL', () => {
  it('when green creates, joins, renames and leaves, PostgreSQL holds it as the legacy service would', async () => {
    const alice = await greenAs('did:plc:green-alice');
    const bob = await greenAs('did:plc:green-bob');
    const created = await alice.create('Made On Green');
    expect(created.status).toBe(201);
    await bob.join(created.body.id);
    expect((await drain()).code).toBe(0);
    const { rows } = await fx.sql("SELECT id, name, created_by FROM neighborhoods WHERE name = 'Made On Green'");
    expect(rows).toHaveLength(1);
    const legacyId = Number(rows[0]?.id);
    expect(await members(legacyId)).toEqual(['did:plc:green-alice', 'did:plc:green-bob']);
    // The old-style link works on green too.
    const old = await green.request('GET', `/api/nbhds/${legacyId}`, { unchecked: true });
    expect(old.status).toBe(308);
    expect(old.headers.get('location')).toContain(created.body.id);

    expect((await alice.rename(created.body.id, 'Renamed On Green')).status).toBe(200);
    await bob.leave(created.body.id);
    expect((await drain()).code).toBe(0);
    expect((await fx.sql('SELECT name FROM neighborhoods WHERE id = $1', [legacyId])).rows[0]?.name).toBe(
      'Renamed On Green',
    );
    expect(await members(legacyId)).toEqual(['did:plc:green-alice']);
    expect((await verify()).code).toBe(0);

    expect((await alice.remove(created.body.id)).status).toBe(204);
    expect((await drain()).code).toBe(0);
    expect((await fx.sql('SELECT 1 FROM neighborhoods WHERE id = $1', [legacyId])).rowCount).toBe(0);
    expect((await verify()).code).toBe(0);
  });

  it('applies nothing back: a drain after a drain finds only its own writes, skipped', async () => {
    const again = JSON.parse((await drain()).output) as { forward: { applied: number }; reverse: { applied: number } };
    expect(again.forward.applied).toBe(0);
    expect(again.reverse.applied).toBe(0);
  });
});

describe('conflicts inside the lag window', () => {
  it('when one user joins on both sides, one membership stays and the conflict is recorded', async () => {
    const creator = await greenAs('did:plc:dup-creator');
    const created = await creator.create('Both Sides Join');
    expect((await drain()).code).toBe(0);
    const legacyId = Number((await fx.sql("SELECT id FROM neighborhoods WHERE name = 'Both Sides Join'")).rows[0]?.id);
    const carol = await greenAs('did:plc:dup-carol');
    await blueJoin('did:plc:dup-carol', legacyId);
    expect((await carol.join(created.body.id)).status).toBe(201);
    expect((await drain()).code).toBe(0);
    expect(await members(legacyId)).toEqual(['did:plc:dup-carol', 'did:plc:dup-creator']);
    const detail = await green.request<{ member_count: number }>('GET', `/api/nbhds/${created.body.id}`);
    expect(detail.body.member_count).toBe(2);
    const recorded = await fx.sql("SELECT kind FROM nbhd_replication.conflicts WHERE kind = 'duplicate-join'");
    expect(recorded.rowCount).toBe(1);
    expect((await verify()).code).toBe(0);
  });

  it('when a user joins and leaves on green, then joins on blue, one membership stays on both sides', async () => {
    const owner = await greenAs('did:plc:stale-owner');
    const created = await owner.create('Stale Join Green');
    expect((await drain()).code).toBe(0);
    const legacyId = Number((await fx.sql("SELECT id FROM neighborhoods WHERE name = 'Stale Join Green'")).rows[0]?.id);
    const ivy = await greenAs('did:plc:stale-ivy');
    expect((await ivy.join(created.body.id)).status).toBe(201);
    expect((await ivy.leave(created.body.id)).status).toBe(204);
    await blueJoin('did:plc:stale-ivy', legacyId);
    expect((await drain()).code).toBe(0);
    expect(await members(legacyId)).toEqual(['did:plc:stale-ivy', 'did:plc:stale-owner']);
    expect((await verify()).code).toBe(0);
  });

  it('when a user joins and leaves on blue, then joins on green, one membership stays on both sides', async () => {
    const id = await blueCreate('Stale Join Blue', 'did:plc:stale-blue-owner');
    expect((await drain()).code).toBe(0);
    await blueJoin('did:plc:stale-jay', id);
    await blueLeave('did:plc:stale-jay', id);
    const jay = await greenAs('did:plc:stale-jay');
    expect((await jay.join(toNeighborhoodUuid(id))).status).toBe(201);
    expect((await drain()).code).toBe(0);
    expect(await members(id)).toEqual(['did:plc:stale-blue-owner', 'did:plc:stale-jay']);
    expect((await verify()).code).toBe(0);
  });

  it('when a user joins and leaves on blue, then joins on green before the forward catches up, the green join stands', async () => {
    const creator = await greenAs('did:plc:flight-creator');
    const created = await creator.create('Left Before Joining');
    expect((await drain()).code).toBe(0);
    const legacyId = Number(
      (await fx.sql("SELECT id FROM neighborhoods WHERE name = 'Left Before Joining'")).rows[0]?.id,
    );
    await blueJoin('did:plc:flight-hana', legacyId);
    await blueLeave('did:plc:flight-hana', legacyId);
    const hana = await greenAs('did:plc:flight-hana');
    expect((await hana.join(created.body.id)).status).toBe(201);
    expect((await drain()).code).toBe(0);
    expect(await members(legacyId)).toEqual(['did:plc:flight-creator', 'did:plc:flight-hana']);
    const detail = await green.request<{ member_count: number }>('GET', `/api/nbhds/${created.body.id}`);
    expect(detail.body.member_count).toBe(2);
    expect((await verify()).code).toBe(0);
  });

  it('when the reverse merges a duplicate join and green then leaves, the forward does not bring the join back', async () => {
    const creator = await greenAs('did:plc:merge-creator');
    const created = await creator.create('Merged Then Left');
    expect((await drain()).code).toBe(0);
    const legacyId = Number((await fx.sql("SELECT id FROM neighborhoods WHERE name = 'Merged Then Left'")).rows[0]?.id);
    await blueJoin('did:plc:merge-ivan', legacyId);
    const ivan = await greenAs('did:plc:merge-ivan');
    expect((await ivan.join(created.body.id)).status).toBe(201);
    // The reverse alone first: it finds blue's row and keeps the earlier join (blue's) on green.
    expect((await cli('replicate', '--once', '--quiet', '--direction', 'reverse')).code).toBe(0);
    expect((await ivan.leave(created.body.id)).status).toBe(204);
    expect((await drain()).code).toBe(0);
    expect(await members(legacyId)).toEqual(['did:plc:merge-creator']);
    const detail = await green.request<{ member_count: number }>('GET', `/api/nbhds/${created.body.id}`);
    expect(detail.body.member_count).toBe(1);
    expect((await verify()).code).toBe(0);
  });

  it('when both sides create the same name, the older keeps it and the other is renamed on both sides', async () => {
    const dave = await greenAs('did:plc:name-dave');
    const blueId = await blueCreate('Oak Park Twins', 'did:plc:name-erin');
    const created = await dave.create('oak park twins');
    expect(created.status).toBe(201);
    expect((await drain()).code).toBe(0);
    const blueName = (await fx.sql('SELECT name FROM neighborhoods WHERE id = $1', [blueId])).rows[0]?.name;
    expect(blueName).toBe('Oak Park Twins');
    const greenRow = await green.request<{ name: string }>('GET', `/api/nbhds/${created.body.id}`);
    expect(greenRow.body.name).toMatch(/^oak park twins \(#\d+\)$/);
    const pgName = (await fx.sql("SELECT name FROM neighborhoods WHERE name LIKE 'oak park twins (#%'")).rows[0]?.name;
    expect(pgName).toBe(greenRow.body.name);
    expect((await verify()).code).toBe(0);
  });

  it('when the replicator died after renaming a blue row for a collision, its replay writes the name PostgreSQL holds', async () => {
    const blueId = await blueCreate('Replay Rename', 'did:plc:replay-jo');
    // What the collision rule committed before a kill: the rename, as the replicator's own transaction (the forward
    // skips those); meanwhile the rival that held the name went away.
    await fx.sql('BEGIN');
    await fx.sql("SELECT pg_logical_emit_message(true, 'nbhd_replication', 'rehearsal')");
    await fx.sql('UPDATE neighborhoods SET name = $2 WHERE id = $1', [blueId, `Replay Rename (#${blueId})`]);
    await fx.sql('COMMIT');
    expect((await drain()).code).toBe(0);
    const detail = await green.request<{ name: string }>('GET', `/api/nbhds/${toNeighborhoodUuid(blueId)}`);
    expect(detail.body.name).toBe(`Replay Rename (#${blueId})`);
    expect((await verify()).code).toBe(0);
  });

  it('when a green neighborhood that loses a name was renamed on green before it landed, replication carries on', async () => {
    const blueId = await blueCreate('Stale Image', 'did:plc:stale-kim');
    const lee = await greenAs('did:plc:stale-lee');
    const created = await lee.create('Stale Image');
    expect(created.status).toBe(201);
    expect((await lee.rename(created.body.id, 'Stale Image Renamed')).status).toBe(200);
    expect((await drain()).code).toBe(0);
    expect((await fx.sql('SELECT name FROM neighborhoods WHERE id = $1', [blueId])).rows[0]?.name).toBe('Stale Image');
    const landed = await fx.sql("SELECT 1 FROM neighborhoods WHERE name = 'Stale Image Renamed'");
    expect(landed.rowCount).toBe(1);
    expect((await verify()).code).toBe(0);
  });

  it('when green deletes a neighborhood that blue joins meanwhile, the delete wins on both sides', async () => {
    const frank = await greenAs('did:plc:del-frank');
    const created = await frank.create('Soon Deleted');
    expect((await drain()).code).toBe(0);
    const legacyId = Number((await fx.sql("SELECT id FROM neighborhoods WHERE name = 'Soon Deleted'")).rows[0]?.id);
    expect((await frank.remove(created.body.id)).status).toBe(204);
    await blueJoin('did:plc:del-gina', legacyId);
    await drain();
    expect((await fx.sql('SELECT 1 FROM neighborhoods WHERE id = $1', [legacyId])).rowCount).toBe(0);
    expect((await fx.sql("SELECT kind FROM nbhd_replication.conflicts WHERE kind = 'delete-vs-join'")).rowCount).toBe(
      1,
    );
    expect((await verify()).code).toBe(0);
  });
});

describe('verify after a replicator was killed mid-landing', () => {
  it('accepts a legacy-id pointer no row ever kept, to a neighborhood that has its own legacy id', async () => {
    const owner = await greenAs('did:plc:orphan-owner');
    const created = await owner.create('Landed Twice');
    expect((await drain()).code).toBe(0);
    // What a kill between the pointer's write and PostgreSQL's commit leaves: the next landing took another id.
    await fx.documentClient.send(
      new PutCommand({
        TableName: fx.table.tableName,
        Item: {
          PK: 'LEGACY#NBHD#2000000000',
          SK: 'LEGACY',
          _et: 'LEGACY_ID',
          legacy_id: 2_000_000_000,
          nbhd_id: created.body.id,
        },
      }),
    );
    expect((await verify()).code).toBe(0);
  });
});

describe('replicate status', () => {
  it('prints checkpoint, backlog and lag per direction as JSON', async () => {
    const { code, output } = await cli('replicate', 'status', '--json');
    expect(code).toBe(0);
    const status = JSON.parse(output);
    expect(status.forward.slot.walStatus).toBeDefined();
    expect(status.forward.pendingChanges).toBe(0);
    expect(Number(status.forward.progress.applied)).toBeGreaterThan(0);
    expect(status.reverse.shards.length).toBeGreaterThan(0);
  });
});
