import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../migration/cli.js';
import { toNeighborhoodUuid } from '../../migration/ids.js';
import type { ImportSummary } from '../../migration/import.js';
import type { MigrationIssue } from '../../migration/plan.js';
import type { SyncSummary, VerifyReport } from '../../migration/verify.js';
import { type MigrationFixture, useMigrationFixture } from '../helpers/migration.js';
import { startTestApp } from '../helpers/test-app.js';

let fx: MigrationFixture;
let refusedNbhd: number;
const counts = { neighborhoods: 10, memberships: 40 };
const refusedNeighborhoods = 16;
// Hostile legacy DIDs: each breaks the contract's Did schema in another way.
const hostileDids = ['did:', 'did:plc:has space', `did:plc:${'x'.repeat(592)}`, 'did:plc:bell\u0007ring', ''];

/** Runs the CLI in this process with `--json --quiet` and parses stdout, which must be JSON and nothing else. */
async function runJson<T>(args: string[]): Promise<{ code: number; json: T }> {
  const out: string[] = [];
  const env = {
    DATABASE_URL: fx.databaseUrl,
    DYNAMODB_ENDPOINT_URL: fx.table.endpoint,
    DYNAMODB_TABLE_NAME: fx.table.tableName,
  };
  const code = await runCli([...args, '--json', '--quiet'], env, { out: (t) => out.push(t), err: () => undefined });
  return { code, json: JSON.parse(out.join('\n')) as T };
}

const readIssues = () =>
  readFileSync(join(fx.dir, 'issues.ndjson'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as MigrationIssue)
    .filter((issue) => issue.kind === 'did-invalid' || issue.kind === 'neighborhood-refused');

beforeAll(async () => {
  fx = await useMigrationFixture(counts);
  // An altered legacy schema (TEXT instead of VARCHAR(255)) lets a 600-character DID in, as hostile data would.
  await fx.sql('ALTER TABLE memberships ALTER COLUMN user_id TYPE TEXT');
  for (const did of hostileDids) {
    await fx.sql('INSERT INTO memberships (user_id, neighborhood_id) VALUES ($1, 1)', [did]);
  }
  // 16 refused neighborhoods after the 10 valid ones: whole import batches (8 neighborhoods) have nothing to write.
  const { rows } = await fx.sql(
    `INSERT INTO neighborhoods (name, created_by)
     SELECT 'Creator Unknown ' || n, CASE WHEN n % 2 = 0 THEN 'did:plc:has space' ELSE 'did:' END
     FROM generate_series(0, $1 - 1) AS n ORDER BY n RETURNING id`,
    [refusedNeighborhoods],
  );
  refusedNbhd = (rows[0] as { id: number }).id;
  await fx.sql(`INSERT INTO memberships (user_id, neighborhood_id) VALUES ('did:plc:valid-member', $1), ('did:', $1)`, [
    refusedNbhd,
  ]);
  expect((await runJson(['export', '--dir', fx.dir])).code).toBe(0);
});

describe('legacy DIDs the contract rejects', () => {
  it('are reported by the dry run exactly as the import reports and refuses them', async () => {
    const dry = await runJson<ImportSummary>(['import', '--dir', fx.dir, '--dry-run']);
    const dryIssues = readIssues();
    expect(dry.json.issues).toMatchObject({
      'did-invalid': hostileDids.length + refusedNeighborhoods + 1,
      'neighborhood-refused': 1,
    });
    expect(dryIssues).toContainEqual(
      expect.objectContaining({ kind: 'did-invalid', legacy_id: refusedNbhd, original: 'did:plc:has space' }),
    );
    expect(dryIssues.filter((i) => i.kind === 'did-invalid').map((i) => i.original)).toEqual(
      expect.arrayContaining([...hostileDids, 'did:']),
    );

    const real = await runJson<ImportSummary>(['import', '--dir', fx.dir]);
    expect(real.code).toBe(0);
    expect(readIssues()).toEqual(dryIssues);
    expect(real.json.issues).toEqual(dry.json.issues);
    expect(real.json.items).toEqual(dry.json.items);
    expect(real.json.items).toEqual({
      neighborhoods: counts.neighborhoods,
      nameClaims: counts.neighborhoods,
      legacyIds: counts.neighborhoods,
      memberships: counts.memberships,
    });
  });

  it('verify agrees with the import (exit 0) and sync has nothing to write', async () => {
    const report = await runJson<VerifyReport>(['verify']);
    expect(report.json.differences).toEqual([]);
    expect(report.code).toBe(0);
    expect(report.json.counts.refused).toEqual({
      neighborhoods: refusedNeighborhoods,
      memberships: hostileDids.length + 2,
    });
    expect(report.json.counts.target).toMatchObject({
      neighborhoods: counts.neighborhoods,
      memberships: counts.memberships,
    });
    const sync = await runJson<SyncSummary>(['sync']);
    expect([sync.json.puts, sync.json.deletes]).toEqual([0, 0]);
  });

  it('leaves nothing the API would serve outside the Member and Nbhd schemas', async () => {
    const app = await startTestApp(fx.table);
    // Every response is checked against openapi.yaml by app.request.
    const detail = await app.request<{ member_count: number; members: { user_id: string }[] }>(
      'GET',
      `/api/nbhds/${toNeighborhoodUuid(1)}`,
    );
    expect(detail.status).toBe(200);
    expect(detail.body.members.map((m) => m.user_id)).not.toContain('did:');
    const members = await app.request<{ members: unknown[] }>(
      'GET',
      `/api/nbhds/${toNeighborhoodUuid(1)}/members?limit=100`,
    );
    expect(members.body.members).toHaveLength(detail.body.member_count);
    expect((await app.request('GET', '/api/nbhds?limit=100')).status).toBe(200);
    expect((await app.request('GET', `/api/nbhds/${toNeighborhoodUuid(refusedNbhd)}`)).status).toBe(404);
    expect((await app.request('GET', `/api/nbhds/${refusedNbhd}`)).status).toBe(404);
  });

  it('imports a refused neighborhood and its valid members once the row is fixed in PostgreSQL, through sync', async () => {
    await fx.sql(`UPDATE neighborhoods SET created_by = 'did:plc:real-creator' WHERE id = $1`, [refusedNbhd]);
    const first = await runJson<SyncSummary>(['sync']);
    // The neighborhood, its name claim, its legacy id and its one valid membership; its 'did:' member stays out.
    expect([first.json.puts, first.json.deletes]).toEqual([4, 0]);
    const report = await runJson<VerifyReport>(['verify']);
    expect(report.code).toBe(0);
    const again = await runJson<SyncSummary>(['sync']);
    expect([again.json.puts, again.json.deletes]).toEqual([0, 0]);
    const app = await startTestApp(fx.table);
    const fixed = await app.request<{ created_by: string; member_count: number }>(
      'GET',
      `/api/nbhds/${toNeighborhoodUuid(refusedNbhd)}`,
    );
    expect(fixed.body).toMatchObject({ created_by: 'did:plc:real-creator', member_count: 1 });
  });
});
