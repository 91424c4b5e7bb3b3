import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ExportManifest, exportFiles } from './legacy-rows.js';
import { openPostgresSource } from './legacy-source.js';
import { createNdjsonWriter } from './ndjson.js';
import { startProgress } from './progress.js';

export interface ExportOptions {
  databaseUrl: string;
  dir: string;
  quiet?: boolean;
}

/**
 * Streams both legacy tables, in id order and from one snapshot, to NDJSON files plus a manifest with
 * the row counts. Memory holds one page of rows at a time, however big the tables are.
 */
export async function exportLegacyData(options: ExportOptions): Promise<ExportManifest> {
  mkdirSync(options.dir, { recursive: true });
  const source = await openPostgresSource(options.databaseUrl);
  try {
    const total = await source.counts();
    const counts = { neighborhoods: 0, memberships: 0 };
    const exportedAt = new Date().toISOString();
    for (const table of ['neighborhoods', 'memberships'] as const) {
      const writer = createNdjsonWriter(join(options.dir, exportFiles[table]));
      const progress = startProgress({ label: `export ${table}`, total: total[table], quiet: options.quiet });
      const rows = table === 'neighborhoods' ? source.neighborhoods() : source.memberships();
      for await (const row of rows) {
        await writer.write(row);
        counts[table] += 1;
        progress.increment();
      }
      progress.stop();
      await writer.close();
    }
    const manifest: ExportManifest = { exported_at: exportedAt, counts };
    writeFileSync(join(options.dir, exportFiles.manifest), `${JSON.stringify(manifest, null, 2)}\n`);
    return manifest;
  } finally {
    await source.close();
  }
}
