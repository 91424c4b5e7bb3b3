import type { SetupStep } from './postgres-side.js';
import type { ReplicationReport, ReplicationStatus } from './replicator.js';

export function formatSetupSteps(heading: string, steps: SetupStep[]): string {
  return [`${heading}:`, ...steps.map((s) => `  ${s.done.padEnd(7)} ${s.what}`)].join('\n');
}

const ms = (value: number | undefined | null) =>
  value === undefined || value === null ? '-' : `${Math.round(value)} ms`;

/** One line per direction: what was applied, skipped and in conflict, lag, operations per change. */
export function formatReplicationReport(report: ReplicationReport): string {
  const line = (name: string, d: ReplicationReport['reverse'], extra = '') => {
    const perChange = d.applied > 0 ? (d.dynamodbOperations / d.applied).toFixed(2) : '-';
    const pgPerChange = d.applied > 0 ? (d.postgresOperations / d.applied).toFixed(2) : '-';
    return (
      `${name}: applied ${d.applied}, skipped ${d.skipped}, conflicts ${d.conflicts}; lag p50 ${ms(d.lagMs.p50)}, ` +
      `p95 ${ms(d.lagMs.p95)}, max ${ms(d.lagMs.max)}; per change ${perChange} DynamoDB + ${pgPerChange} PostgreSQL operations${extra}`
    );
  };
  const backlog = report.forward.backlogBytes;
  return [
    line(
      'forward (PostgreSQL -> table)',
      report.forward,
      backlog === undefined ? '' : `; WAL retained ${backlog} bytes`,
    ),
    line('reverse (stream -> PostgreSQL)', report.reverse),
  ].join('\n');
}

export function formatReplicationStatus(status: ReplicationStatus): string {
  const slot = status.forward.slot;
  const progress = (p: Record<string, unknown> | null) =>
    p
      ? `applied ${String(p.applied)}, skipped ${String(p.skipped)}, conflicts ${String(p.conflicts)}, lag p95 ${ms(p.lag_ms_p95 as number)}, last applied ${p.last_applied_at ? new Date(p.last_applied_at as string).toISOString() : '-'}`
      : 'never run';
  return [
    'forward (PostgreSQL -> table):',
    slot
      ? `  slot confirmed at ${slot.confirmedLsn} (WAL at ${slot.currentLsn}): ${slot.retainedBytes} bytes retained, wal_status ${slot.walStatus ?? '-'}, ${slot.active ? 'in use' : 'idle'}`
      : '  slot missing: run `npm run migrate -- replicate setup`',
    `  pending changes: ${status.forward.pendingChanges ?? '(slot in use: not counted)'}`,
    `  ${progress(status.forward.progress)}`,
    'reverse (stream -> PostgreSQL):',
    ...(status.reverse.shards.length === 0
      ? ['  no shard read yet (by the CLI; the Lambda keeps its own position)']
      : status.reverse.shards.map(
          (s) =>
            `  shard ${s.shardId}: ${s.closed ? 'done' : `after ${s.lastSequenceNumber ?? '(start)'}`}, last record ${s.lastRecordAt ?? '-'}`,
        )),
    `  ${progress(status.reverse.progress)}`,
    `conflicts: ${
      Object.entries(status.conflicts)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ') || 'none'
    }`,
  ].join('\n');
}
