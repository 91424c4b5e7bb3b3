import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Checkpoint } from '../../migration/checkpoint.js';
import { exportLegacyData } from '../../migration/export.js';
import { checkpointFile, importExport } from '../../migration/import.js';
import { openExportSource } from '../../migration/legacy-source.js';
import { verifyMigration } from '../../migration/verify.js';
import { localCredentials } from '../../tooling/dynamodb-local.js';
import { createTestDocumentClient } from '../helpers/document-client.js';
import { useTestTable } from '../helpers/dynamodb.js';
import { runCliProcess } from '../helpers/migrate-cli.js';
import { type MigrationFixture, useMigrationFixture } from '../helpers/migration.js';

let fx: MigrationFixture;
const counts = { neighborhoods: 80, memberships: 1_500 };

beforeAll(async () => {
  fx = await useMigrationFixture(counts);
  await exportLegacyData({ databaseUrl: fx.databaseUrl, dir: fx.dir, quiet: true });
});

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('import after a crash', () => {
  it('resumes from the checkpoint after the process is killed mid-way, and nothing is duplicated', async () => {
    const checkpointPath = join(fx.dir, checkpointFile);
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'migration/cli.ts',
        'import',
        '--dir',
        fx.dir,
        '--concurrency',
        '1',
        '--checkpoint-interval',
        '50',
        '--quiet',
      ],
      {
        env: { ...process.env, DYNAMODB_ENDPOINT_URL: fx.table.endpoint, DYNAMODB_TABLE_NAME: fx.table.tableName },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    // Kill once some memberships are written: the checkpoint is past the neighborhood phase.
    for (let i = 0; ; i += 1) {
      if (existsSync(checkpointPath)) {
        const checkpoint = JSON.parse(readFileSync(checkpointPath, 'utf8')) as Checkpoint;
        if (checkpoint.phase === 'memberships' && checkpoint.line > 200) break;
      }
      if (child.exitCode !== null || i > 600) throw new Error(`import ended before it could be killed: ${stderr}`);
      await wait(25);
    }
    child.kill('SIGKILL');
    await exited;
    const killedAt = JSON.parse(readFileSync(checkpointPath, 'utf8')) as Checkpoint;
    expect(killedAt.line).toBeLessThan(counts.memberships);

    // The operator runs the same command again: it says where it resumes before any work, and its
    // progress counts only what is left.
    const rerun = await runCliProcess(['import', '--dir', fx.dir, '--json'], {
      DYNAMODB_ENDPOINT_URL: fx.table.endpoint,
      DYNAMODB_TABLE_NAME: fx.table.tableName,
    });
    expect(rerun.code).toBe(0);
    const notes = rerun.stderr.trim().split('\n');
    const resumeNote = notes.findIndex((line) => line.startsWith('import: resuming'));
    const firstProgress = notes.findIndex((line) => /^(plan|import \w+): /.test(line));
    expect(notes[resumeNote]).toContain(
      `neighborhoods done; memberships after line ${killedAt.line} of ${counts.memberships}`,
    );
    expect(resumeNote).toBeLessThan(firstProgress);
    const left = counts.memberships - killedAt.line;
    expect(notes.filter((line) => line.startsWith('import memberships:')).at(-1)).toMatch(
      new RegExp(`^import memberships: ${left}/${left} `),
    );
    expect(notes.some((line) => line.startsWith('import neighborhoods:'))).toBe(false);
    expect(notes.filter((line) => line.startsWith('plan:')).at(-1)).toMatch(
      new RegExp(`^plan: ${counts.neighborhoods + counts.memberships}/${counts.neighborhoods + counts.memberships} `),
    );
    const resumed = JSON.parse(rerun.stdout) as { resumedFrom: unknown; written: number };
    expect(resumed.resumedFrom).toEqual({ phase: 'memberships', line: killedAt.line });
    // Only what was not yet acknowledged is written again.
    expect(resumed.written).toBeLessThanOrEqual(left);
    expect(existsSync(checkpointPath)).toBe(false);

    const report = await verifyMigration(openExportSource(fx.dir), fx.documentClient, fx.table.tableName);
    expect(report.differences).toEqual([]);
    expect(report.counts.target).toEqual({
      neighborhoods: 80,
      nameClaims: 80,
      legacyIds: 80,
      memberships: 1_500,
      other: 0,
    });
    const idMap = readFileSync(join(fx.dir, 'id-map.ndjson'), 'utf8').trim().split('\n');
    expect(idMap).toHaveLength(counts.neighborhoods + counts.memberships);
  }, 120_000);
});

describe('import under throttling', () => {
  it('completes and verifies when 20% of BatchWriteItem calls fail with ProvisionedThroughputExceededException', async () => {
    const table = await useTestTable('throttled');
    const client = new DynamoDBClient({ endpoint: table.endpoint, region: 'local', credentials: localCredentials });
    let calls = 0;
    let injected = 0;
    // At the build step, before the SDK's own retry middleware, so the importer's retry is what recovers.
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'BatchWriteItemCommand' && ++calls % 5 === 0) {
          injected += 1;
          throw new ProvisionedThroughputExceededException({ message: 'injected throttle', $metadata: {} });
        }
        return next(args);
      },
      { step: 'build', name: 'injectThrottles' },
    );
    const documentClient = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    const summary = await importExport({
      dir: fx.dir,
      documentClient,
      tableName: table.tableName,
      restart: true,
      quiet: true,
    });
    expect(injected).toBeGreaterThan(10);
    expect(summary.writer.throttled).toBe(injected);
    const report = await verifyMigration(openExportSource(fx.dir), createTestDocumentClient(table), table.tableName);
    expect(report.differences).toEqual([]);
    expect(report.ok).toBe(true);
    client.destroy();
  });
});
