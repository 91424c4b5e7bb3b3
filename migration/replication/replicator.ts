import { type DynamoDBClient, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type pg from 'pg';
import { createSlotReader } from './capture.js';
import { createForwardApplier } from './forward-apply.js';
import { replicationNames } from './names.js';
import {
  assertCaptureEnabled,
  isSetUp,
  ReplicationNotSetUpError,
  type SetupStep,
  setUpPostgres,
  sqlNames,
  tearDownPostgres,
} from './postgres-side.js';
import { createReplicationCounters, type Direction, type ReplicationCounters } from './progress.js';
import { createReverseApplier } from './reverse-apply.js';
import { createStreamReader, findStreamArn, StreamMissingError } from './stream-reader.js';

export interface ReplicationDeps {
  pool: pg.Pool;
  dynamodb: DynamoDBClient;
  documentClient: DynamoDBDocumentClient;
  streams: DynamoDBStreamsClient;
  tableName: string;
}

/** `replicate setup`: PostgreSQL's capture and bookkeeping, and the table's stream; idempotent. */
export async function setUpReplication(deps: ReplicationDeps): Promise<SetupStep[]> {
  const client = await deps.pool.connect();
  let steps: SetupStep[];
  try {
    steps = await setUpPostgres(client);
  } finally {
    client.release();
  }
  try {
    await findStreamArn(deps.dynamodb, deps.tableName);
    steps.push({ what: `table ${deps.tableName}: stream (NEW_AND_OLD_IMAGES)`, done: 'exists' });
  } catch (error) {
    if (!(error instanceof StreamMissingError)) throw error;
    await deps.dynamodb.send(
      new UpdateTableCommand({
        TableName: deps.tableName,
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      }),
    );
    steps.push({ what: `table ${deps.tableName}: stream (NEW_AND_OLD_IMAGES)`, done: 'created' });
  }
  return steps;
}

/** `replicate teardown`: what setup added to PostgreSQL (the table's stream stays: the stack owns it). */
export async function tearDownReplication(pool: pg.Pool): Promise<SetupStep[]> {
  const client = await pool.connect();
  try {
    return await tearDownPostgres(client);
  } finally {
    client.release();
  }
}

async function assertReady(deps: ReplicationDeps): Promise<string> {
  await assertCaptureEnabled(deps.pool as unknown as pg.ClientBase);
  if (!(await isSetUp(deps.pool as unknown as pg.ClientBase))) {
    throw new ReplicationNotSetUpError(
      'replication is not set up on this database: run `npm run migrate -- replicate setup`',
    );
  }
  const slot = await deps.pool.query<{ wal_status: string | null }>(
    'SELECT wal_status FROM pg_replication_slots WHERE slot_name = $1 AND database = current_database()',
    [replicationNames.slot],
  );
  const repair =
    'blue writes since then are not in the table: put all weight on blue, drain the reverse ' +
    '(`replicate --once --direction reverse`), `sync --force`, `replicate teardown`, `replicate setup`, `verify` ' +
    '(docs/migration.md, "When a replicator is down")';
  if (!slot.rowCount) {
    throw new ReplicationNotSetUpError(
      `the replication slot ${replicationNames.slot} is missing (dropped since setup): ${repair}`,
    );
  }
  if (slot.rows[0]?.wal_status === 'lost') {
    throw new ReplicationNotSetUpError(
      `the replication slot ${replicationNames.slot} was invalidated (its WAL passed max_slot_wal_keep_size): ${repair}`,
    );
  }
  return findStreamArn(deps.dynamodb, deps.tableName);
}

export interface RunOptions {
  /** Drain what is pending and return. */
  once?: boolean;
  /** Stops the run (SIGINT/SIGTERM in the CLI). */
  signal?: AbortSignal;
  /** Called every `reportEveryMs` with a line per direction. */
  onReport?: (report: ReplicationReport) => void;
  reportEveryMs?: number;
  idleWaitMs?: number;
  /** Which directions to run (the reverse may run as the stream's Lambda instead). */
  directions?: Direction[];
  counters?: ReplicationCounters;
}

export interface ReplicationReport {
  forward: ReturnType<ReplicationCounters['snapshot']> & { backlogBytes: number | undefined };
  reverse: ReturnType<ReplicationCounters['snapshot']>;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

/** `replicate`: both directions until the signal (or, with `once`, until nothing is pending). */
export async function runReplication(deps: ReplicationDeps, options: RunOptions = {}): Promise<ReplicationReport> {
  const streamArn = await assertReady(deps);
  const counters = options.counters ?? createReplicationCounters();
  const directions = new Set(options.directions ?? ['forward', 'reverse']);
  const slot = createSlotReader(deps.pool);
  const forward = createForwardApplier({ ...deps, counters });
  const reverse = createReverseApplier({ ...deps, counters });
  const stream = createStreamReader({
    streams: deps.streams,
    streamArn,
    pool: deps.pool,
    apply: (r) => reverse.applyRecords(r),
  });

  /** Applies what the slot holds, a batch at a time; returns the transactions read. */
  async function drainForward(): Promise<number> {
    const batch = await slot.peek(500);
    let confirmed: string | undefined;
    try {
      const toApply = batch.filter((t) => !t.fromReplicator && t.changes.length > 0);
      await forward.applyAll(toApply, (transaction) => {
        const lag = Date.now() - transaction.committedAtMs;
        for (const _ of transaction.changes) counters.lag('forward', lag);
        // Called in commit order: everything up to here is applied (or the replicator's own, skipped).
        confirmed = transaction.endLsn;
      });
      confirmed = batch.at(-1)?.endLsn;
    } finally {
      if (confirmed) await slot.confirm(confirmed);
    }
    return batch.length;
  }

  const backlogBytes = async () => {
    const { rows } = await deps.pool.query<{ bytes: string }>(
      'SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint AS bytes FROM pg_replication_slots WHERE slot_name = $1 AND database = current_database()',
      [replicationNames.slot],
    );
    return rows[0] ? Number(rows[0].bytes) : undefined;
  };
  const report = async (): Promise<ReplicationReport> => ({
    forward: { ...counters.snapshot('forward'), backlogBytes: await backlogBytes() },
    reverse: counters.snapshot('reverse'),
  });
  const flush = async () => {
    for (const direction of ['forward', 'reverse'] as const) await counters.flush(deps.pool, direction);
  };

  if (options.once) {
    // Each direction's writes can wake the other (they are skipped there): repeat until a round finds nothing.
    for (let quiet = 0; quiet < 2; ) {
      let work = 0;
      if (directions.has('forward')) while ((await drainForward()) > 0) work += 1;
      if (directions.has('reverse')) while ((await stream.poll(8)) > 0) work += 1;
      quiet = work === 0 ? quiet + 1 : 0;
    }
    await flush();
    return report();
  }

  const signal = options.signal;
  const idle = options.idleWaitMs ?? 200;
  const loop = async (step: () => Promise<number>) => {
    while (!signal?.aborted) {
      const done = await step();
      if (done === 0) await sleep(idle, signal);
    }
  };
  const ticker = setInterval(() => {
    void report()
      .then((r) => options.onReport?.(r))
      .catch(() => undefined);
    void flush().catch(() => undefined);
  }, options.reportEveryMs ?? 5_000);
  try {
    await Promise.all([
      directions.has('forward') ? loop(drainForward) : Promise.resolve(),
      directions.has('reverse') ? loop(() => stream.poll(4)) : Promise.resolve(),
    ]);
  } finally {
    clearInterval(ticker);
    await flush().catch(() => undefined);
  }
  return report();
}

export interface ReplicationStatus {
  forward: {
    slot: {
      confirmedLsn: string;
      currentLsn: string;
      retainedBytes: number;
      walStatus: string | null;
      active: boolean;
    } | null;
    pendingChanges: number | null;
    progress: Record<string, unknown> | null;
  };
  reverse: {
    shards: Array<{ shardId: string; lastSequenceNumber: string | null; closed: boolean; lastRecordAt: string | null }>;
    progress: Record<string, unknown> | null;
  };
  conflicts: Record<string, number>;
}

/** `replicate status`: checkpoint, backlog and lag per direction. */
export async function readReplicationStatus(pool: pg.Pool): Promise<ReplicationStatus> {
  if (!(await isSetUp(pool as unknown as pg.ClientBase))) {
    throw new ReplicationNotSetUpError(
      'replication is not set up on this database: run `npm run migrate -- replicate setup`',
    );
  }
  const slot = await pool.query<{
    confirmed: string;
    current: string;
    retained: string;
    wal_status: string | null;
    active: boolean;
  }>(
    `SELECT confirmed_flush_lsn::text AS confirmed, pg_current_wal_lsn()::text AS current,
       pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint AS retained, wal_status, active
     FROM pg_replication_slots WHERE slot_name = $1 AND database = current_database()`,
    [replicationNames.slot],
  );
  const row = slot.rows[0];
  let pending: number | null = null;
  if (row && !row.active) {
    // Counted as the forward direction would apply them: row changes of transactions not the replicator's own.
    const pendingTransactions = await createSlotReader(pool).peek(100_000);
    pending = pendingTransactions.filter((t) => !t.fromReplicator).reduce((n, t) => n + t.changes.length, 0);
  }
  const progress = await pool.query(`SELECT * FROM ${sqlNames.progress}`);
  const byDirection = (direction: string) => progress.rows.find((p) => p.direction === direction) ?? null;
  const shards = await pool.query<{
    shard_id: string;
    last_sequence_number: string | null;
    closed: boolean;
    last_record_at: Date | null;
  }>(`SELECT shard_id, last_sequence_number, closed, last_record_at FROM ${sqlNames.streamShards} ORDER BY shard_id`);
  const conflicts = await pool.query<{ kind: string; n: string }>(
    `SELECT kind, count(*) AS n FROM ${sqlNames.conflicts} GROUP BY kind ORDER BY kind`,
  );
  return {
    forward: {
      slot: row
        ? {
            confirmedLsn: row.confirmed,
            currentLsn: row.current,
            retainedBytes: Number(row.retained),
            walStatus: row.wal_status,
            active: row.active,
          }
        : null,
      pendingChanges: pending,
      progress: byDirection('forward'),
    },
    reverse: {
      shards: shards.rows.map((s) => ({
        shardId: s.shard_id,
        lastSequenceNumber: s.last_sequence_number,
        closed: s.closed,
        lastRecordAt: s.last_record_at?.toISOString() ?? null,
      })),
      progress: byDirection('reverse'),
    },
    conflicts: Object.fromEntries(conflicts.rows.map((c) => [c.kind, Number(c.n)])),
  };
}
