import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import {
  type ExportManifest,
  exportFiles,
  type LegacyMembership,
  type LegacyNeighborhood,
  membershipColumnsSql,
  neighborhoodColumnsSql,
} from './legacy-rows.js';
import { readNdjson } from './ndjson.js';

/** Where legacy rows come from: the live database, or the NDJSON files of an export. Both yield in id order. */
export interface LegacySource {
  counts(): Promise<{ neighborhoods: number; memberships: number }>;
  neighborhoods(): AsyncIterable<LegacyNeighborhood>;
  memberships(): AsyncIterable<LegacyMembership>;
  close(): Promise<void>;
}

const pageSize = 5_000;

/**
 * Reads the live database with keyset pagination (`WHERE id > last ORDER BY id LIMIT n`) inside one
 * REPEATABLE READ transaction: memory stays at one page, and both tables come from the same snapshot,
 * so no membership points at a neighborhood the export never saw.
 */
export async function openPostgresSource(databaseUrl: string): Promise<LegacySource> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  async function* pages<T extends { id: number }>(table: string, columns: string): AsyncGenerator<T> {
    let last = 0;
    for (;;) {
      const { rows } = await client.query<T>(
        `SELECT ${columns} FROM ${table} WHERE id > $1 ORDER BY id LIMIT ${pageSize}`,
        [last],
      );
      yield* rows;
      const tail = rows.at(-1);
      if (!tail || rows.length < pageSize) return;
      last = tail.id;
    }
  }
  return {
    async counts() {
      const { rows } = await client.query<{ n: string; m: string }>(
        'SELECT (SELECT count(*) FROM neighborhoods) AS n, (SELECT count(*) FROM memberships) AS m',
      );
      return { neighborhoods: Number(rows[0]?.n ?? 0), memberships: Number(rows[0]?.m ?? 0) };
    },
    neighborhoods: () => pages<LegacyNeighborhood>('neighborhoods', neighborhoodColumnsSql),
    memberships: () => pages<LegacyMembership>('memberships', membershipColumnsSql),
    async close() {
      await client.query('COMMIT').catch(() => undefined);
      await client.end();
    },
  };
}

/** Reads an export folder (see export.ts). */
export function openExportSource(dir: string): LegacySource {
  const manifest = JSON.parse(readFileSync(join(dir, exportFiles.manifest), 'utf8')) as ExportManifest;
  async function* values<T>(file: string): AsyncGenerator<T> {
    for await (const { value } of readNdjson<T>(join(dir, file))) yield value;
  }
  return {
    counts: async () => manifest.counts,
    neighborhoods: () => values<LegacyNeighborhood>(exportFiles.neighborhoods),
    memberships: () => values<LegacyMembership>(exportFiles.memberships),
    close: async () => undefined,
  };
}
