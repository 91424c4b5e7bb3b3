import type pg from 'pg';
import { sqlNames } from './postgres-side.js';

export type Direction = 'forward' | 'reverse';

interface DirectionCounts {
  applied: number;
  skipped: number;
  conflicts: number;
  dynamodb: number;
  postgres: number;
  lagsMs: number[];
  lastAppliedAt: Date | undefined;
}

const emptyCounts = (): DirectionCounts => ({
  applied: 0,
  skipped: 0,
  conflicts: 0,
  dynamodb: 0,
  postgres: 0,
  lagsMs: [],
  lastAppliedAt: undefined,
});

/** The last this many lags are kept per direction for the percentiles. */
const lagWindow = 5_000;

export function percentile(sorted: number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Counts of both directions in one process: what `replicate` prints and `replicate status` reads back. */
export function createReplicationCounters() {
  const counts: Record<Direction, DirectionCounts> = { forward: emptyCounts(), reverse: emptyCounts() };
  const flushedZero = () => ({ applied: 0, skipped: 0, conflicts: 0, dynamodb: 0, postgres: 0 });
  // What flush() has already added to the progress rows, so each flush adds only what is new.
  const flushed: Record<Direction, ReturnType<typeof flushedZero>> = { forward: flushedZero(), reverse: flushedZero() };
  return {
    applied(direction: Direction, lagMs?: number) {
      const c = counts[direction];
      c.applied += 1;
      c.lastAppliedAt = new Date();
      if (lagMs !== undefined) {
        c.lagsMs.push(lagMs);
        if (c.lagsMs.length > lagWindow) c.lagsMs.shift();
      }
    },
    lag(direction: Direction, lagMs: number) {
      const c = counts[direction];
      c.lagsMs.push(lagMs);
      if (c.lagsMs.length > lagWindow) c.lagsMs.shift();
    },
    skipped: (direction: Direction) => {
      counts[direction].skipped += 1;
    },
    conflict: (direction: Direction) => {
      counts[direction].conflicts += 1;
    },
    dynamodb: (direction: Direction) => {
      counts[direction].dynamodb += 1;
    },
    postgres: (direction: Direction) => {
      counts[direction].postgres += 1;
    },
    snapshot(direction: Direction) {
      const c = counts[direction];
      const sorted = [...c.lagsMs].sort((a, b) => a - b);
      return {
        applied: c.applied,
        skipped: c.skipped,
        conflicts: c.conflicts,
        dynamodbOperations: c.dynamodb,
        postgresOperations: c.postgres,
        lagMs: { p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted.at(-1) },
        lastAppliedAt: c.lastAppliedAt?.toISOString(),
      };
    },
    /** Adds this process's counts to the progress rows `replicate status` reads, then starts counting afresh. */
    async flush(pool: pg.Pool, direction: Direction) {
      const s = this.snapshot(direction);
      await pool.query(
        `INSERT INTO ${sqlNames.progress} AS p (direction, applied, skipped, conflicts, dynamodb_operations, postgres_operations,
           lag_ms_p50, lag_ms_p95, lag_ms_max, last_applied_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now())
         ON CONFLICT (direction) DO UPDATE SET applied = p.applied + EXCLUDED.applied, skipped = p.skipped + EXCLUDED.skipped,
           conflicts = p.conflicts + EXCLUDED.conflicts, dynamodb_operations = p.dynamodb_operations + EXCLUDED.dynamodb_operations,
           postgres_operations = p.postgres_operations + EXCLUDED.postgres_operations,
           lag_ms_p50 = coalesce(EXCLUDED.lag_ms_p50, p.lag_ms_p50), lag_ms_p95 = coalesce(EXCLUDED.lag_ms_p95, p.lag_ms_p95),
           lag_ms_max = coalesce(EXCLUDED.lag_ms_max, p.lag_ms_max),
           last_applied_at = coalesce(EXCLUDED.last_applied_at, p.last_applied_at), updated_at = now()`,
        [
          direction,
          s.applied - flushed[direction].applied,
          s.skipped - flushed[direction].skipped,
          s.conflicts - flushed[direction].conflicts,
          s.dynamodbOperations - flushed[direction].dynamodb,
          s.postgresOperations - flushed[direction].postgres,
          s.lagMs.p50 ?? null,
          s.lagMs.p95 ?? null,
          s.lagMs.max ?? null,
          s.lastAppliedAt ?? null,
        ],
      );
      flushed[direction] = {
        applied: s.applied,
        skipped: s.skipped,
        conflicts: s.conflicts,
        dynamodb: s.dynamodbOperations,
        postgres: s.postgresOperations,
      };
    },
  };
}

export type ReplicationCounters = ReturnType<typeof createReplicationCounters>;
