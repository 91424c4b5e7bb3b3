import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { DynamoDBClient, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { runCli } from '../../migration/cli.js';
import { explainInvalidDid } from '../../migration/did-rules.js';
import { toNeighborhoodUuid } from '../../migration/ids.js';
import { loadGeneratedData } from '../../migration/legacy-data/load.js';
import { openPostgresSource } from '../../migration/legacy-source.js';
import { createPool } from '../../migration/replication/postgres-side.js';
import { createReplicationCounters } from '../../migration/replication/progress.js';
import { type ReplicationDeps, readReplicationStatus, runReplication } from '../../migration/replication/replicator.js';
import { syncMigration } from '../../migration/verify.js';
import { createSessionTokens } from '../../server/auth/session-tokens.js';
import { ensureTable } from '../../server/data/table/admin.js';
import { type DynamoDbLocal, localCredentials, startDynamoDbLocal } from '../../tooling/dynamodb-local.js';
import { recordDynamoDbCalls } from '../../tooling/dynamodb-probes.js';
import { loadLegacySchema, startLocalPostgres } from '../../tooling/embedded-postgres.js';
import { startLegacyBlue } from '../../tooling/legacy-blue/server.js';
import { createSeededRandom } from '../../tooling/seeded-random.js';
import { startGreen } from '../cutover/green.js';

/**
 * npm run bench:replicate — two-way replication under a sustained mixed write rate from both sides, at two data
 * sizes in one run, beside today's `sync` on the same data.
 *
 * Per size: a real PostgreSQL with the legacy schema and generated data, DynamoDB Local with the table and its
 * stream, `replicate setup`, export, import, verify. Then `sync --dry-run` is timed (what a scheduled sync reads
 * whether or not anything changed), and the replicator runs in this process while blue (the legacy stand-in,
 * PostgreSQL) and green (the API, DynamoDB) each take half of BENCH_RATE writes/s over HTTP for BENCH_SECONDS:
 * joins, leaves, creates, and renames on green. It prints lag p50/p95/max per direction and the operations each
 * applied change cost on each side. Last, the replicator stops for BENCH_OUTAGE_SECONDS while blue keeps writing:
 * the WAL the slot then retains per change, and how fast a restart catches up, give what an hour or a day down
 * costs. Both sides are checked equal (`verify`) at the end of each size.
 */
const sizes = (process.env.BENCH_SIZES ?? '10000,100000').split(',').map(Number);
const rate = Number(process.env.BENCH_RATE ?? 200);
const seconds = Number(process.env.BENCH_SECONDS ?? 20);
const outageSeconds = Number(process.env.BENCH_OUTAGE_SECONDS ?? 10);
const secretKey = 'bench-replicate-shared-secret-key';
const users = 200;

type SideName = 'blue' | 'green';

interface Target {
  legacyId: number;
  uuid: string;
}

interface SizeResult {
  memberships: number;
  neighborhoods: number;
  sync: { seconds: number; rowsRead: number; itemsScanned: number; scanCalls: number };
  workload: { sent: Record<SideName, number>; acknowledged: Record<SideName, number>; seconds: number };
  forward: DirectionFigures;
  reverse: DirectionFigures;
  outage: { blueWrites: number; retainedBytes: number; bytesPerChange: number; catchUpSeconds: number };
  /** Every DynamoDB call the replicator made (stream reads and idle polls included), per applied change. */
  replicatorCallsPerChange: number;
  verified: boolean;
}

interface DirectionFigures {
  applied: number;
  skipped: number;
  lagMs: { p50?: number; p95?: number; max?: number };
  dynamodbPerChange: number;
  postgresPerChange: number;
}

const postgres = await startLocalPostgres();
let engine: DynamoDbLocal;
const results: SizeResult[] = [];
const loadBefore = loadavg();
try {
  for (const memberships of sizes) results.push(await benchSize(memberships));
} finally {
  await postgres.stop();
}
printResults(results);

async function benchSize(memberships: number): Promise<SizeResult> {
  const neighborhoods = Math.max(100, Math.round(memberships / 10));
  const tableName = `bench-replicate-${memberships}`;
  const databaseUrl = await postgres.createDatabase(`bench_replicate_${memberships}`);
  await loadLegacySchema(databaseUrl);
  await loadGeneratedData(databaseUrl, { neighborhoods, memberships });
  // A fresh engine per size: DynamoDB Local's writes slow down tenfold once its streams have held some tens of
  // thousands of records (AWS's do not), so the import runs with the stream off and `replicate setup` turns it on
  // after; nothing writes in between here, so creating the slot after the export loses nothing.
  engine = await startDynamoDbLocal();
  const tableClient = new DynamoDBClient({ endpoint: engine.endpoint, region: 'local', credentials: localCredentials });
  await ensureTable(tableClient, tableName);
  await tableClient.send(
    new UpdateTableCommand({ TableName: tableName, StreamSpecification: { StreamEnabled: false } }),
  );
  const env = { DATABASE_URL: databaseUrl, DYNAMODB_ENDPOINT_URL: engine.endpoint, DYNAMODB_TABLE_NAME: tableName };
  const quietIo = { out: () => undefined, err: (line: string) => process.stderr.write(`${line}\n`) };
  const cli = async (...args: string[]) => {
    const code = await runCli(args, env, quietIo);
    if (code !== 0) throw new Error(`migrate ${args.join(' ')} exited ${code}`);
  };
  const dir = `/tmp/bench-replicate-${memberships}-${process.pid}`;
  log(`${memberships} memberships: export, import, verify, replicate setup`);
  await cli('export', '--dir', dir, '--quiet');
  await cli('import', '--dir', dir, '--quiet');
  await cli('verify', '--quiet');
  await cli('replicate', 'setup');

  const syncFigures = await measureSync(databaseUrl, tableName);
  log(`  sync --dry-run: ${syncFigures.seconds.toFixed(1)} s, ${syncFigures.itemsScanned} items scanned`);

  const pool = createPool(databaseUrl, 6);
  pool.on('error', () => undefined);
  const targets = await readTargets(pool);
  const green = await startGreen({ endpoint: engine.endpoint, tableName, secretKey });
  const blue = await startLegacyBlue({ databaseUrl, secretKey, poolSize: 8 });
  const tokens = createSessionTokens({ secretKey, expireMinutes: 60 });
  const userTokens = await Promise.all(
    Array.from({ length: users }, (_, i) => tokens.issue(`did:plc:bench-user-${String(i).padStart(3, '0')}`)),
  );

  const replicatorClient = new DynamoDBClient({
    endpoint: engine.endpoint,
    region: 'local',
    credentials: localCredentials,
  });
  const streams = new DynamoDBStreamsClient({
    endpoint: engine.endpoint,
    region: 'local',
    credentials: localCredentials,
  });
  const calls = recordDynamoDbCalls(replicatorClient);
  const streamCalls = recordDynamoDbCalls(streams as unknown as DynamoDBClient);
  const deps: ReplicationDeps = {
    pool,
    dynamodb: replicatorClient,
    documentClient: DynamoDBDocumentClient.from(replicatorClient, { marshallOptions: { removeUndefinedValues: true } }),
    streams,
    tableName,
  };
  // Changes the import's own stream records and setup left: applied before the clock starts.
  await runReplication(deps, { once: true });
  const counters = createReplicationCounters();
  calls.reset();
  streamCalls.reset();

  const stop = new AbortController();
  const running = runReplication(deps, { signal: stop.signal, counters, idleWaitMs: 100, reportEveryMs: 60_000 });
  const workload = createWorkload({ targets, userTokens, blueUrl: blue.baseUrl, greenUrl: green.baseUrl, memberships });
  log(`  workload: ${rate} writes/s for ${seconds} s, half on each side`);
  const started = Date.now();
  await workload.run(rate, seconds * 1000, ['blue', 'green']);
  const workloadSeconds = (Date.now() - started) / 1000;
  const sent = { ...workload.sent };
  const acknowledged = { ...workload.acknowledged };
  await sleep(3000);
  stop.abort();
  await running;
  await runReplication(deps, { once: true, counters });
  const forward = figures(counters.snapshot('forward'));
  const reverse = figures(counters.snapshot('reverse'));
  const allCalls = calls.calls.length + streamCalls.calls.length;
  const byCommand = new Map<string, { n: number; ms: number }>();
  for (const call of [...calls.calls, ...streamCalls.calls]) {
    const entry = byCommand.get(call.command) ?? { n: 0, ms: 0 };
    entry.n += 1;
    entry.ms += call.ms;
    byCommand.set(call.command, entry);
  }
  log(`  replicator calls: ${[...byCommand].map(([c, e]) => `${c} ${e.n}× ${(e.ms / e.n).toFixed(1)} ms`).join(', ')}`);
  const applied = forward.applied + reverse.applied;

  // The replicator down: blue keeps writing, the slot keeps WAL.
  log(`  outage: replicator stopped for ${outageSeconds} s while blue writes`);
  const before = await readReplicationStatus(pool);
  const outageWrites = await workload.run(rate / 2, outageSeconds * 1000, ['blue']);
  const during = await readReplicationStatus(pool);
  const retainedBytes = (during.forward.slot?.retainedBytes ?? 0) - (before.forward.slot?.retainedBytes ?? 0);
  const pending = during.forward.pendingChanges ?? 0;
  const catchUpStarted = Date.now();
  await runReplication(deps, { once: true });
  const catchUpSeconds = (Date.now() - catchUpStarted) / 1000;

  const verifyLines: string[] = [];
  const verifyCode = await runCli(['verify', '--quiet'], env, {
    out: (line) => verifyLines.push(line),
    err: (line) => verifyLines.push(line),
  });
  if (verifyCode !== 0) log(verifyLines.join('\n'));
  await green.close();
  await blue.close();
  await pool.end();
  // Decommissioned as the runbook ends: the slot's name is the server's, and the next size needs it.
  await cli('replicate', 'teardown');
  streams.destroy();
  replicatorClient.destroy();
  tableClient.destroy();
  rmSync(dir, { recursive: true, force: true });
  await engine.stop();
  return {
    memberships,
    neighborhoods,
    sync: syncFigures,
    workload: { sent, acknowledged, seconds: workloadSeconds },
    forward,
    reverse,
    outage: {
      blueWrites: outageWrites,
      retainedBytes,
      bytesPerChange: pending > 0 ? retainedBytes / pending : Number.NaN,
      catchUpSeconds: pending > 0 ? catchUpSeconds : Number.NaN,
    },
    replicatorCallsPerChange: applied > 0 ? allCalls / applied : Number.NaN,
    verified: verifyCode === 0,
  };
}

/** Today's scheduled sync, run dry (a run with nothing to write reads the same): time, rows and items read. */
async function measureSync(databaseUrl: string, tableName: string) {
  const client = new DynamoDBClient({ endpoint: engine.endpoint, region: 'local', credentials: localCredentials });
  let itemsScanned = 0;
  let scanCalls = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      if (context.commandName === 'ScanCommand') {
        scanCalls += 1;
        itemsScanned += Number((result.output as { ScannedCount?: number }).ScannedCount ?? 0);
      }
      return result;
    },
    { step: 'initialize', name: 'countScannedItems' },
  );
  const source = await openPostgresSource(databaseUrl);
  const pool = createPool(databaseUrl, 1);
  try {
    const started = Date.now();
    await syncMigration(source, {
      documentClient: DynamoDBDocumentClient.from(client),
      tableName,
      concurrency: 8,
      dryRun: true,
      quiet: true,
    });
    const elapsed = (Date.now() - started) / 1000;
    const { rows } = await pool.query<{ n: string }>(
      'SELECT (SELECT count(*) FROM neighborhoods) + (SELECT count(*) FROM memberships) AS n',
    );
    return { seconds: elapsed, rowsRead: Number(rows[0]?.n), itemsScanned, scanCalls };
  } finally {
    await source.close();
    await pool.end();
    client.destroy();
  }
}

/** Neighborhoods both sides serve (the import refuses ones with an invalid creator): the workload's targets. */
async function readTargets(pool: ReturnType<typeof createPool>): Promise<Target[]> {
  const { rows } = await pool.query<{ id: number; created_by: string }>(
    'SELECT id, created_by FROM neighborhoods ORDER BY id LIMIT 2000',
  );
  return rows
    .filter((r) => explainInvalidDid(r.created_by) === undefined)
    .map((r) => ({ legacyId: r.id, uuid: toNeighborhoodUuid(r.id) }));
}

/**
 * The mixed write load, one write per call on the side given: 5 % creates; 5 % renames (green only, the legacy
 * API has none) of a neighborhood the user created on green; then a leave of one of the user's memberships at
 * least two seconds old (so both sides know it) or a join of a target it is not a member of, about half each.
 */
function createWorkload(input: {
  targets: Target[];
  userTokens: string[];
  blueUrl: string;
  greenUrl: string;
  memberships: number;
}) {
  const random = createSeededRandom(input.memberships);
  const sent: Record<SideName, number> = { blue: 0, green: 0 };
  const acknowledged: Record<SideName, number> = { blue: 0, green: 0 };
  const joined = new Map<number, Array<{ target: Target; at: number }>>();
  const created = new Map<number, string[]>();
  let sequence = 0;

  async function send(side: SideName, method: string, path: string, user: number, body?: unknown) {
    sent[side] += 1;
    const base = side === 'blue' ? input.blueUrl : input.greenUrl;
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${input.userTokens[user]}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    if (response.ok) acknowledged[side] += 1;
    return { status: response.status, text };
  }

  async function one(side: SideName): Promise<void> {
    const user = Math.floor(random() * input.userTokens.length);
    const mine = joined.get(user) ?? [];
    joined.set(user, mine);
    const roll = random();
    if (roll < 0.05) {
      sequence += 1;
      const result = await send(side, 'POST', '/api/nbhds', user, {
        name: `bench ${input.memberships} ${side} ${sequence}`,
      });
      if (side === 'green' && result.status === 201) {
        created.set(user, [...(created.get(user) ?? []), (JSON.parse(result.text) as { id: string }).id]);
      }
      return;
    }
    const own = created.get(user) ?? [];
    if (roll < 0.1 && side === 'green' && own.length > 0) {
      sequence += 1;
      const nbhd = own[Math.floor(random() * own.length)];
      await send(side, 'PATCH', `/api/nbhds/${nbhd}`, user, { name: `bench renamed ${input.memberships} ${sequence}` });
      return;
    }
    const settled = mine.findIndex((m) => Date.now() - m.at > 2000);
    if (roll < 0.5 && settled >= 0) {
      const membership = mine.splice(settled, 1)[0] as { target: Target };
      const id = side === 'blue' ? membership.target.legacyId : membership.target.uuid;
      await send(side, 'DELETE', `/api/nbhds/${id}/leave`, user);
      return;
    }
    let target = input.targets[Math.floor(random() * input.targets.length)] as Target;
    while (mine.some((m) => m.target.legacyId === target.legacyId)) {
      target = input.targets[Math.floor(random() * input.targets.length)] as Target;
    }
    const id = side === 'blue' ? target.legacyId : target.uuid;
    const result = await send(side, 'POST', `/api/nbhds/${id}/join`, user);
    if (result.status === 201) mine.push({ target, at: Date.now() });
  }

  return {
    sent,
    acknowledged,
    /** Sends `perSecond` writes a second for `ms`, spread over `sides`; resolves with the writes sent. */
    async run(perSecond: number, ms: number, sides: SideName[]): Promise<number> {
      const total = Math.round((perSecond * ms) / 1000);
      const started = Date.now();
      const inFlight = new Set<Promise<void>>();
      for (let i = 0; i < total; i += 1) {
        const due = started + (i * 1000) / perSecond;
        const wait = due - Date.now();
        if (wait > 0) await sleep(wait);
        while (inFlight.size >= 64) await Promise.race(inFlight);
        const side = sides[i % sides.length] as SideName;
        const call = one(side)
          .catch((error: unknown) => log(`  ${side} write failed: ${(error as Error).message}`))
          .finally(() => inFlight.delete(call));
        inFlight.add(call);
      }
      await Promise.all(inFlight);
      return total;
    },
  };
}

function figures(snapshot: ReturnType<ReturnType<typeof createReplicationCounters>['snapshot']>): DirectionFigures {
  const per = (n: number) => (snapshot.applied > 0 ? n / snapshot.applied : Number.NaN);
  return {
    applied: snapshot.applied,
    skipped: snapshot.skipped,
    lagMs: snapshot.lagMs,
    dynamodbPerChange: per(snapshot.dynamodbOperations),
    postgresPerChange: per(snapshot.postgresOperations),
  };
}

function printResults(all: SizeResult[]) {
  const ms = (n: number | undefined) => (n === undefined ? '-' : `${Math.round(n)} ms`);
  const x = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? '-' : n.toFixed(2));
  const lines = [
    '',
    `bench:replicate — ${rate} writes/s (half blue, half green) for ${seconds} s per size; load average before ${loadBefore.map((l) => l.toFixed(1)).join(' ')}, after ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
    '',
    '| memberships | side → side | changes applied | lag p50 | lag p95 | lag max | DynamoDB ops/change | PostgreSQL statements/change |',
    '| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of all) {
    for (const [label, d] of [
      ['PostgreSQL → DynamoDB', r.forward],
      ['DynamoDB → PostgreSQL', r.reverse],
    ] as const) {
      lines.push(
        `| ${r.memberships.toLocaleString('en')} | ${label} | ${d.applied} (+${d.skipped} skipped) | ${ms(d.lagMs.p50)} | ${ms(d.lagMs.p95)} | ${ms(d.lagMs.max)} | ${x(d.dynamodbPerChange)} | ${x(d.postgresPerChange)} |`,
      );
    }
  }
  lines.push(
    '',
    '| memberships | writes sent blue / green | acknowledged blue / green | achieved writes/s | all replicator DynamoDB calls/change (stream reads included) | verify |',
    '| ---: | --- | --- | ---: | ---: | --- |',
  );
  for (const r of all) {
    const sent = r.workload.sent.blue + r.workload.sent.green;
    lines.push(
      `| ${r.memberships.toLocaleString('en')} | ${r.workload.sent.blue} / ${r.workload.sent.green} | ${r.workload.acknowledged.blue} / ${r.workload.acknowledged.green} | ${(sent / r.workload.seconds).toFixed(0)} | ${x(r.replicatorCallsPerChange)} | ${r.verified ? 'OK' : 'DIFFERENCES'} |`,
    );
  }
  lines.push(
    '',
    "Today's `sync` (one scheduled run, dry: what it reads whether or not anything changed):",
    '',
    '| memberships | time | PostgreSQL rows read | table items scanned | Scan calls |',
    '| ---: | ---: | ---: | ---: | ---: |',
  );
  for (const r of all) {
    lines.push(
      `| ${r.memberships.toLocaleString('en')} | ${r.sync.seconds.toFixed(1)} s | ${r.sync.rowsRead} | ${r.sync.itemsScanned} | ${r.sync.scanCalls} |`,
    );
  }
  lines.push(
    '',
    `The replicator down for ${outageSeconds} s while blue writes ${rate / 2}/s (the slot retains WAL; a restart catches up):`,
    '',
    '| memberships | blue writes | WAL retained | bytes/change | catch-up | WAL retained at 100 changes/s: 1 h / 1 day |',
    '| ---: | ---: | ---: | ---: | ---: | --- |',
  );
  for (const r of all) {
    const perHour = r.outage.bytesPerChange * 100 * 3600;
    lines.push(
      `| ${r.memberships.toLocaleString('en')} | ${r.outage.blueWrites} | ${(r.outage.retainedBytes / 1024).toFixed(0)} KiB | ${r.outage.bytesPerChange.toFixed(0)} | ${r.outage.catchUpSeconds.toFixed(1)} s | ${(perHour / 2 ** 30).toFixed(2)} GiB / ${((perHour * 24) / 2 ** 30).toFixed(1)} GiB |`,
    );
  }
  console.log(lines.join('\n'));
  if (all.some((r) => !r.verified)) process.exitCode = 1;
}

function log(line: string) {
  process.stderr.write(`${line}\n`);
}

function sleep(ms: number) {
  return new Promise<void>((resolve) => setTimeout(resolve, ms));
}
