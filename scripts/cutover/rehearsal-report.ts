import type { Finding } from './check.js';
import type { LagFigures } from './lag-probe.js';
import type { RehearsalResult } from './rehearsal.js';
import type { ReplicationCost } from './rehearsal-figures.js';

const ms = (value: number | undefined) => (value === undefined ? '-' : `${Math.round(value)} ms`);
const ratio = (n: number, d: number) => (d > 0 ? (n / d).toFixed(2) : '-');

const lagLine = (name: string, lag: LagFigures) =>
  `  ${name.padEnd(28)} p50 ${ms(lag.p50)}, p95 ${ms(lag.p95)}, max ${ms(lag.max)} (${lag.samples} markers` +
  `${lag.unseen ? `, ${lag.unseen} not seen in time` : ''})`;

const costLine = (name: string, cost: ReplicationCost) =>
  `  ${name.padEnd(28)} ${cost.applied} changes applied: ${ratio(cost.dynamodbOperations, cost.applied)} DynamoDB + ` +
  `${ratio(cost.postgresOperations, cost.applied)} PostgreSQL operations per change`;

const findingLine = (f: Finding) =>
  `    ${f.side} ${f.row}: ${f.what}${f.expected === undefined ? '' : ` (expected ${JSON.stringify(f.expected)}, found ${JSON.stringify(f.found)})`}` +
  `${f.write ? ` after ${f.write.side} ${f.write.kind} #${f.write.seq} by ${f.write.user}` : ''}`;

/** The rehearsal's figures as an operator reads them. */
export function formatRehearsal(result: RehearsalResult): string {
  const { check } = result;
  const conflicts =
    Object.entries(result.conflicts)
      .map(([kind, n]) => `${kind} ${n}`)
      .join(', ') || 'none';
  const lines = [
    `steps (percent to green): ${result.steps.map((s) => s.weight).join(' → ')}; replicator started ${result.replicator.starts} times, killed ${result.replicator.kills} (SIGKILL)`,
    `acknowledged writes: blue ${result.acknowledged.blue}, green ${result.acknowledged.green} (reads: blue ${result.workload.reads.blue}, green ${result.workload.reads.green}; refused writes: blue ${result.workload.refused.blue}, green ${result.workload.refused.green})`,
    `checked: ${check.checked.neighborhoods} neighborhoods, ${check.checked.memberships} memberships, on both sides`,
    `lost: ${check.lost.length}`,
    ...check.lost.slice(0, 20).map(findingLine),
    `duplicated: ${check.duplicated.length}`,
    ...check.duplicated.slice(0, 20).map(findingLine),
    `differences explained by a recorded conflict: ${check.explained.length}`,
    ...check.explained.slice(0, 20).map((f) => `${findingLine(f)} [${f.conflict}]`),
    ...(result.histories.length ? ['acknowledged writes on those rows (ms since the first write):'] : []),
    ...result.histories.flatMap((h) => [`  ${h.row}:`, ...h.writes.map((w) => `    ${w}`)]),
    `conflicts by kind: ${conflicts}`,
    'lag (marker written on one side until the other serves it):',
    lagLine('forward (blue → green)', result.lag.forward),
    lagLine('reverse (green → blue)', result.lag.reverse),
    'operations per change (the replicator’s own counts; a killed process loses its last few seconds of counts):',
    costLine('forward (PostgreSQL → table)', result.replication.forward),
    costLine('reverse (stream → PostgreSQL)', result.replication.reverse),
    `  green's own DynamoDB calls per acknowledged write: ${
      Object.entries(result.greenCalls)
        .map(([kind, c]) => `${kind} ${ratio(c.calls, c.writes)}`)
        .join(', ') || '-'
    } (blue: the legacy statements, not counted)`,
    `migrate verify: ${result.verify.code === 0 ? 'no differences' : `differences (exit ${result.verify.code})`}`,
    ...(result.verify.code === 0 ? [] : [result.verify.output]),
    ...(result.workload.failures.length
      ? [
          `5xx or no answer: ${result.workload.failures.length}`,
          ...result.workload.failures.slice(0, 10).map((f) => `    ${f}`),
        ]
      : []),
    ...result.replicator.crashes.map((c) => `replicator: ${c}`),
    result.ok ? 'result: nothing lost' : 'result: FAILED',
  ];
  return lines.join('\n');
}
