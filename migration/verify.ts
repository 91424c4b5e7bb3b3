import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createBulkWriter } from './bulk-writer.js';
import { type Difference, diffTable, type TableDiff } from './diff.js';
import type { LegacySource } from './legacy-source.js';
import { startProgress } from './progress.js';

export interface VerifyReport {
  ok: boolean;
  counts: TableDiff['counts'];
  differenceCount: number;
  byKind: Record<string, number>;
  differences: Difference[];
  seconds: number;
}

/** Compares source and table; `ok` only when counts match and there is no difference of any kind. */
export async function verifyMigration(
  source: LegacySource,
  documentClient: DynamoDBDocumentClient,
  tableName: string,
  options: { quiet?: boolean | undefined } = {},
): Promise<VerifyReport> {
  const started = Date.now();
  const diff = await diffTable(source, documentClient, tableName, options);
  const { source: s, target: t } = diff.counts;
  const countsMatch =
    s.neighborhoods === t.neighborhoods &&
    s.nameClaims === t.nameClaims &&
    s.legacyIds === t.legacyIds &&
    s.memberships === t.memberships;
  const byKind: Record<string, number> = {};
  for (const d of diff.differences) byKind[d.kind] = (byKind[d.kind] ?? 0) + 1;
  return {
    ok: countsMatch && diff.differences.length === 0,
    counts: diff.counts,
    differenceCount: diff.differences.length,
    byKind,
    differences: diff.differences,
    seconds: (Date.now() - started) / 1000,
  };
}

export interface SyncOptions {
  documentClient: DynamoDBDocumentClient;
  tableName: string;
  concurrency?: number;
  dryRun?: boolean;
  quiet?: boolean;
}

export interface SyncSummary {
  puts: number;
  deletes: number;
  byKind: Record<string, number>;
  dryRun: boolean;
  seconds: number;
}

/**
 * Brings the table back in line with the source for the blue-green window: new and changed rows are put,
 * rows gone from the source (a neighborhood, a membership, a renamed neighborhood's old name claim) are
 * deleted, member counts are rewritten. It writes only the difference, so a second run writes nothing.
 */
export async function syncMigration(source: LegacySource, options: SyncOptions): Promise<SyncSummary> {
  const started = Date.now();
  const diff = await diffTable(source, options.documentClient, options.tableName, { quiet: options.quiet });
  const byKind: Record<string, number> = {};
  for (const d of diff.differences) byKind[d.kind] = (byKind[d.kind] ?? 0) + 1;
  const puts = diff.fixes.filter((f) => 'PutRequest' in f).length;
  const summary = { puts, deletes: diff.fixes.length - puts, byKind, dryRun: Boolean(options.dryRun) };
  if (options.dryRun || diff.fixes.length === 0) return { ...summary, seconds: (Date.now() - started) / 1000 };
  const writer = createBulkWriter({ ...options });
  const progress = startProgress({ label: 'sync', total: diff.fixes.length, quiet: options.quiet });
  for (let i = 0; i < diff.fixes.length; i += 25) {
    const batch = diff.fixes.slice(i, i + 25);
    await writer.submit(batch, () => progress.increment(batch.length));
  }
  await writer.flush();
  progress.stop();
  return { ...summary, seconds: (Date.now() - started) / 1000 };
}
