import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type BulkWriterStats, batchSize, createBulkWriter } from './bulk-writer.js';
import { type Checkpoint, createWatermark, readCheckpoint, removeCheckpoint, writeCheckpoint } from './checkpoint.js';
import { type ExportManifest, exportFiles, type LegacyMembership, type LegacyNeighborhood } from './legacy-rows.js';
import { openExportSource } from './legacy-source.js';
import { readNdjson } from './ndjson.js';
import type { MigrationPlan } from './plan.js';
import { startProgress } from './progress.js';
import { buildPlanWithReports } from './reports.js';
import {
  assertWithinLimits,
  createTargetItems,
  itemsPerNeighborhood,
  toPut,
  type WriteRequest,
} from './target-items.js';

export interface ImportOptions {
  /** The export folder (see export.ts); reports, id map and checkpoint are written beside the data. */
  dir: string;
  documentClient: DynamoDBDocumentClient;
  tableName: string;
  concurrency?: number;
  dryRun?: boolean;
  /** Ignore an existing checkpoint and start from the first row. */
  restart?: boolean;
  quiet?: boolean;
  /** How often the checkpoint file is rewritten while batches finish. */
  checkpointEveryMs?: number;
  /** Where notes for the operator go (the CLI: stderr), e.g. where a resumed import resumes. */
  log?: (line: string) => void;
}

export interface ImportSummary {
  dryRun: boolean;
  resumedFrom: { phase: string; line: number } | null;
  rows: { neighborhoods: number; memberships: number };
  items: { neighborhoods: number; nameClaims: number; legacyIds: number; memberships: number };
  written: number;
  issues: Record<string, number>;
  writer: BulkWriterStats;
  seconds: number;
}

export const checkpointFile = 'import-checkpoint.json';

/**
 * Imports an export into the table: neighborhoods (with name claims and exact member counts) first, then
 * memberships, each streamed from its file in batches of 25. Every item has a deterministic key, so
 * writing a batch twice changes nothing: resuming after the last fully written line is always safe.
 */
export async function importExport(options: ImportOptions): Promise<ImportSummary> {
  const started = Date.now();
  const resume = options.dryRun ? undefined : readResumePoint(options);
  const source = openExportSource(options.dir);
  const plan = await buildPlanWithReports(options.dir, source, { quiet: options.quiet });
  try {
    return await importWithPlan(options, plan, started, resume);
  } finally {
    plan.close();
  }
}

interface ResumePoint {
  checkpointPath: string;
  fingerprint: string;
  checkpoint: Checkpoint | undefined;
}

/** Reads the checkpoint before any work, and says where the import resumes, so the operator knows at once. */
function readResumePoint(options: ImportOptions): ResumePoint {
  const checkpointPath = join(options.dir, checkpointFile);
  const manifestText = readFileSync(join(options.dir, exportFiles.manifest));
  const fingerprint = createHash('sha256').update(manifestText).update(options.tableName).digest('hex');
  const checkpoint = options.restart ? undefined : readCheckpoint(checkpointPath);
  if (checkpoint && checkpoint.fingerprint !== fingerprint) {
    throw new Error(`${checkpointPath} belongs to another export or table; pass --restart to start over`);
  }
  if (checkpoint) {
    const { counts } = JSON.parse(manifestText.toString('utf8')) as ExportManifest;
    const where =
      checkpoint.phase === 'done'
        ? 'every row was written; only the clean-up is left'
        : checkpoint.phase === 'memberships'
          ? `neighborhoods done; memberships after line ${checkpoint.line} of ${counts.memberships}`
          : `neighborhoods after line ${checkpoint.line} of ${counts.neighborhoods}, then all ${counts.memberships} memberships`;
    options.log?.(
      `import: resuming from ${checkpointPath} (saved ${checkpoint.updated_at}): ${where}. --restart starts over.`,
    );
  }
  return { checkpointPath, fingerprint, checkpoint };
}

async function importWithPlan(
  options: ImportOptions,
  plan: MigrationPlan,
  started: number,
  resume: ResumePoint | undefined,
): Promise<ImportSummary> {
  const issues = plan.issueCounts;
  const target = createTargetItems(options.documentClient, options.tableName);
  // Refused rows (did-invalid, neighborhood-refused) are in the issue report, not in the table.
  const items = {
    neighborhoods: plan.imported.neighborhoods,
    nameClaims: plan.imported.neighborhoods,
    legacyIds: plan.imported.neighborhoods,
    memberships: plan.imported.memberships,
  };
  const summary: ImportSummary = {
    dryRun: Boolean(options.dryRun),
    resumedFrom: null,
    rows: plan.counts,
    items,
    written: 0,
    issues,
    writer: { calls: 0, retries: 0, throttled: 0, unprocessed: 0 },
    seconds: 0,
  };
  if (options.dryRun || !resume) return { ...summary, seconds: (Date.now() - started) / 1000 };

  const { checkpointPath, fingerprint } = resume;
  let checkpoint = resume.checkpoint;
  if (checkpoint) summary.resumedFrom = { phase: checkpoint.phase, line: checkpoint.line };
  const writer = createBulkWriter({ ...options, concurrency: options.concurrency ?? 8 });
  summary.writer = writer.stats;

  const phases = [
    {
      phase: 'neighborhoods' as const,
      total: plan.counts.neighborhoods,
      // A neighborhood's items go in the same batch, so a line is either fully written or not.
      rowsPerBatch: Math.floor(batchSize / itemsPerNeighborhood),
      toRequests: (row: unknown) => {
        const nbhd = row as LegacyNeighborhood;
        if (plan.refusesNeighborhood(nbhd.id)) return [];
        return assertWithinLimits(target, 'neighborhood', nbhd.id, target.toNeighborhoodItems(nbhd, plan)).map(toPut);
      },
    },
    {
      phase: 'memberships' as const,
      total: plan.counts.memberships,
      rowsPerBatch: batchSize,
      toRequests: (row: unknown) => {
        const membership = row as LegacyMembership;
        if (plan.refusesMembership(membership)) return [];
        return assertWithinLimits(target, 'membership', membership.id, [target.toMembershipItem(membership)]).map(
          toPut,
        );
      },
    },
  ];
  // A checkpoint in a later phase (or 'done', if the run died just before cleaning up) skips earlier phases.
  const resumeIndex =
    checkpoint?.phase === 'done' ? phases.length : phases.findIndex((p) => p.phase === checkpoint?.phase);
  for (const [index, step] of phases.entries()) {
    if (checkpoint && resumeIndex > index) continue;
    const skipUpTo = checkpoint?.phase === step.phase ? checkpoint.line : 0;
    let lastSaved = 0;
    const watermark = createWatermark((line) => {
      if (Date.now() - lastSaved < (options.checkpointEveryMs ?? 1_000)) return;
      lastSaved = Date.now();
      writeCheckpoint(checkpointPath, { fingerprint, phase: step.phase, line });
    });
    // A resumed phase counts only what is left: rate and ETA describe this run's work.
    const progress = startProgress({
      label: `import ${step.phase}`,
      total: Math.max(step.total - skipUpTo, 0),
      quiet: options.quiet,
    });
    let batch: WriteRequest[] = [];
    let rowsInBatch = 0;
    const send = async (line: number) => {
      const done = watermark.register(line);
      const size = rowsInBatch;
      summary.written += batch.length;
      const finish = () => {
        progress.increment(size);
        done();
      };
      // A batch of refused rows only has nothing to write: its lines are done at once.
      if (batch.length === 0) finish();
      else await writer.submit(batch, finish);
      batch = [];
      rowsInBatch = 0;
    };
    let lastLine = 0;
    for await (const { line, value } of readNdjson(join(options.dir, exportFiles[step.phase]))) {
      lastLine = line;
      if (line <= skipUpTo) continue;
      batch.push(...step.toRequests(value));
      rowsInBatch += 1;
      if (rowsInBatch === step.rowsPerBatch) await send(line);
    }
    if (rowsInBatch > 0) await send(lastLine);
    await writer.flush();
    progress.stop();
    const next = phases[index + 1]?.phase ?? 'done';
    writeCheckpoint(checkpointPath, { fingerprint, phase: next, line: 0 });
    checkpoint = undefined;
  }
  // Finished: a later run is a fresh, idempotent re-import rather than a no-op resume.
  removeCheckpoint(checkpointPath);
  return { ...summary, seconds: (Date.now() - started) / 1000 };
}
