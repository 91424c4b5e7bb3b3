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
import { replicationNames } from './replication/names.js';

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
  // During replication, rows made on green keep the UUID they were created with (the id map), not the UUIDv5.
  const mapped = (await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [replicationNames.schema]))
    .rowCount;
  const idMap = `${replicationNames.schema}.id_map`;
  const neighborhoodsFrom = mapped
    ? `neighborhoods LEFT JOIN ${idMap} mn ON mn.kind = 'neighborhood' AND mn.legacy_id = neighborhoods.id`
    : 'neighborhoods';
  const membershipsFrom = mapped
    ? `memberships LEFT JOIN ${idMap} mm ON mm.kind = 'membership' AND mm.legacy_id = memberships.id
       LEFT JOIN ${idMap} mn ON mn.kind = 'neighborhood' AND mn.legacy_id = memberships.neighborhood_id`
    : 'memberships';
  async function* pages<T extends { id: number }>(table: string, columns: string): AsyncGenerator<T> {
    let last = 0;
    for (;;) {
      const { rows } = await client.query<T>(
        `SELECT ${columns} FROM ${table} WHERE ${table.split(' ')[0]}.id > $1 ORDER BY ${table.split(' ')[0]}.id LIMIT ${pageSize}`,
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
    neighborhoods: () =>
      pages<LegacyNeighborhood>(
        neighborhoodsFrom,
        mapped ? `${neighborhoodColumnsSql}, mn.uuid` : neighborhoodColumnsSql,
      ),
    memberships: () =>
      pages<LegacyMembership>(
        membershipsFrom,
        mapped ? `${membershipColumnsSql}, mm.uuid, mn.uuid AS neighborhood_uuid` : membershipColumnsSql,
      ),
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
