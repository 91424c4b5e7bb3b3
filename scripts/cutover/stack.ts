import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import pg from 'pg';
import { runCli } from '../../migration/cli.js';
import { dropTable, ensureTable } from '../../server/data/table/admin.js';
import { type DynamoDbLocal, localCredentials, startDynamoDbLocal } from '../../tooling/dynamodb-local.js';
import { loadLegacySchema, startLocalPostgres } from '../../tooling/embedded-postgres.js';
import { type LegacyBlue, startLegacyBlue } from '../../tooling/legacy-blue/server.js';
import { startGreen } from './green.js';
import { countGreenCalls, type GreenCallCounts } from './green-calls.js';

export interface StackOptions {
  /** A DynamoDB Local already running (e.g. the test run's); one is started otherwise. */
  dynamodbEndpoint?: string | undefined;
  seed: { neighborhoods: number; memberships: number };
  log(line: string): void;
}

export interface RehearsalStack {
  secretKey: string;
  /** What the migrate CLI (and the replicator child) reads. */
  env: { DATABASE_URL: string; DYNAMODB_ENDPOINT_URL: string; DYNAMODB_TABLE_NAME: string };
  greenUrl: string;
  blueUrl: string;
  /** The legacy database, for the probes and the final state. */
  sql: pg.Pool;
  /** `npm run migrate -- …` in this process; throws unless it exits 0. Returns what it printed on stdout. */
  migrate(...args: string[]): Promise<{ code: number; out: string; err: string }>;
  close(): Promise<void>;
  /** Green's DynamoDB calls per acknowledged write, by kind (what each API write costs the table). */
  greenCalls: GreenCallCounts;
  /** Synchronous, for an `exit` handler (Ctrl-C): kills the DynamoDB Local it started (PostgreSQL stops itself). */
  abort(): void;
}

/**
 * The rehearsal's world: a real PostgreSQL with the legacy schema and generated legacy data, DynamoDB Local with
 * the table and its stream, replication set up, the data exported and imported and verified; then green (the API,
 * in this process) and blue (the legacy stand-in) on the two stores, sharing one session secret.
 */
export async function startRehearsalStack(options: StackOptions): Promise<RehearsalStack> {
  const closers: Array<() => Promise<unknown>> = [];
  const close = async () => {
    for (const closer of closers.reverse()) await closer().catch(() => undefined);
  };
  try {
    const secretKey = `rehearsal-${randomUUID()}`;
    const [postgres, engine] = await Promise.all([
      startLocalPostgres(),
      options.dynamodbEndpoint ? Promise.resolve(undefined) : startDynamoDbLocal(),
    ]);
    closers.push(() => postgres.stop());
    if (engine) closers.push(() => (engine as DynamoDbLocal).stop());
    const endpoint = options.dynamodbEndpoint ?? (engine as DynamoDbLocal).endpoint;
    const databaseUrl = await postgres.createDatabase('legacy');
    await loadLegacySchema(databaseUrl);
    const tableName = `rehearsal-${randomUUID().slice(0, 8)}`;
    const admin = new DynamoDBClient({ endpoint, region: 'local', credentials: localCredentials });
    await ensureTable(admin, tableName);
    closers.push(async () => {
      await dropTable(admin, tableName);
      admin.destroy();
    });
    const env = { DATABASE_URL: databaseUrl, DYNAMODB_ENDPOINT_URL: endpoint, DYNAMODB_TABLE_NAME: tableName };
    const migrate = async (...args: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCli(args, env, { out: (t) => out.push(t), err: (t) => err.push(t) });
      if (code !== 0 && code !== 1) throw new Error(`migrate ${args.join(' ')} exited ${code}: ${err.join('\n')}`);
      return { code, out: out.join('\n'), err: err.join('\n') };
    };
    const dir = mkdtempSync(join(tmpdir(), 'nbhd-rehearsal-'));
    closers.push(async () => rmSync(dir, { recursive: true, force: true }));
    await migrate(
      'generate',
      '--neighborhoods',
      String(options.seed.neighborhoods),
      '--memberships',
      String(options.seed.memberships),
    );
    // Setup before the export: the slot then holds every change made after the snapshot the import starts from.
    await migrate('replicate', 'setup');
    await migrate('export', '--dir', dir, '--quiet');
    await migrate('import', '--dir', dir, '--quiet');
    await migrate('replicate', '--once', '--quiet');
    const verified = await migrate('verify', '--quiet');
    if (verified.code !== 0) throw new Error(`verify after the import found differences:\n${verified.out}`);
    options.log(
      `stack: PostgreSQL + DynamoDB Local (${tableName}), ${options.seed.neighborhoods} legacy neighborhoods imported and verified`,
    );

    const sql = new pg.Pool({ connectionString: databaseUrl, max: 4 });
    sql.on('error', () => undefined);
    closers.push(() => sql.end());

    let greenCalls: ReturnType<typeof countGreenCalls> | undefined;
    const green = await startGreen({
      endpoint,
      tableName,
      secretKey,
      wrap: (app, client) => {
        greenCalls = countGreenCalls(client, app);
        return greenCalls.listener;
      },
    });
    closers.push(() => green.close());
    const blue: LegacyBlue = await startLegacyBlue({ databaseUrl, secretKey });
    closers.push(() => blue.close());
    return {
      secretKey,
      env,
      greenUrl: green.baseUrl,
      blueUrl: blue.baseUrl,
      sql,
      migrate,
      close,
      abort: () => engine?.kill(),
      greenCalls: (greenCalls as ReturnType<typeof countGreenCalls>).counts,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
