import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { type ExportManifest, exportFiles } from '../legacy-rows.js';
import { createNdjsonWriter } from '../ndjson.js';
import { toUtcIso } from '../timestamps.js';
import { type GenerateOptions, generateLegacyData } from './generate.js';

/** Inserts generated legacy rows into a database that has the legacy schema, then moves the id sequences on. */
export async function loadGeneratedData(databaseUrl: string, options: GenerateOptions): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    for (const chunk of generateLegacyData(options)) {
      const n = chunk.neighborhoods;
      await client.query(
        `INSERT INTO neighborhoods (id, name, description, created_by, created_at, updated_at)
         SELECT * FROM unnest($1::int[], $2::varchar[], $3::text[], $4::varchar[], $5::timestamptz[], $6::timestamptz[])`,
        [
          n.map((r) => r.id),
          n.map((r) => r.name),
          n.map((r) => r.description),
          n.map((r) => r.created_by),
          n.map((r) => r.created_at),
          n.map((r) => r.updated_at),
        ],
      );
      const m = chunk.memberships;
      for (let i = 0; i < m.length; i += 5_000) {
        const part = m.slice(i, i + 5_000);
        await client.query(
          `INSERT INTO memberships (id, user_id, neighborhood_id, joined_at)
           SELECT * FROM unnest($1::int[], $2::varchar[], $3::int[], $4::timestamptz[])`,
          [
            part.map((r) => r.id),
            part.map((r) => r.user_id),
            part.map((r) => r.neighborhood_id),
            part.map((r) => r.joined_at),
          ],
        );
      }
    }
    for (const table of ['neighborhoods', 'memberships']) {
      await client.query(
        `SELECT setval(pg_get_serial_sequence('${table}', 'id'), COALESCE((SELECT max(id) FROM ${table}), 0) + 1, false)`,
      );
    }
  } finally {
    await client.end();
  }
}

/**
 * Writes generated rows straight into an export folder (the files `export` would produce from a database
 * holding them), so the benchmark can feed `import` without a PostgreSQL in the loop.
 */
export async function writeGeneratedExport(dir: string, options: GenerateOptions): Promise<ExportManifest> {
  mkdirSync(dir, { recursive: true });
  const nbhds = createNdjsonWriter(join(dir, exportFiles.neighborhoods));
  const members = createNdjsonWriter(join(dir, exportFiles.memberships));
  const counts = { neighborhoods: 0, memberships: 0 };
  for (const chunk of generateLegacyData(options)) {
    for (const row of chunk.neighborhoods) {
      await nbhds.write({
        ...row,
        created_at: toUtcIso(row.created_at),
        updated_at: row.updated_at === null ? null : toUtcIso(row.updated_at),
      });
      counts.neighborhoods += 1;
    }
    for (const row of chunk.memberships) {
      await members.write({ ...row, joined_at: toUtcIso(row.joined_at) });
      counts.memberships += 1;
    }
  }
  await Promise.all([nbhds.close(), members.close()]);
  const manifest: ExportManifest = { exported_at: new Date().toISOString(), counts };
  writeFileSync(join(dir, exportFiles.manifest), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}
