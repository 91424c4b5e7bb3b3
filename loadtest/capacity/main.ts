import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseScenarioFile, type ScenarioFile } from '../shared/scenario-file.js';
import { runAbuseProfile } from './abuse-report.js';
import { renderShareChart } from './capacity-chart.js';
import {
  aggregateKeyLoads,
  findFirstThrottle,
  partitionLimits,
  projectKeyLoads,
  summarizeOperations,
} from './projection.js';
import { replayScenarios } from './replay.js';

const usage = `npm run capacity -- [options]
  --rate N           project the load at N iterations/s of the scenario mix
  --times X          … or at X × a profile's peak rate (with --profile; default 100 × load)
  --profile NAME     scenario-file profile whose peak rate --times multiplies (default load)
  --iterations N     iterations replayed to measure the mix (default 400)
  --seed N           seed of the flow picks (default 1)
  --top N            keys listed (default 15)
  --report-dir DIR   where the SVG chart goes (default reports)
  --scenarios FILE   another scenario file (default loadtest/scenarios.json)
  --abuse            the abuse profile instead: one user flapping join/leave on one neighborhood at full speed
                     (--abuser-rate, default 150/s) while others use it (--seconds simulated, default 130),
                     without quotas (roomy) and with the configured defaults
  DYNAMODB_ENDPOINT_URL  use this DynamoDB Local instead of starting one (a fresh table is made)`;

/** The peak iteration rate of a profile: its constant rate, else its highest stage target. */
export function readPeakRate(file: ScenarioFile, name: string): number {
  const profile = file.profiles[name];
  if (!profile) throw new Error(`no profile named "${name}" in the scenario file`);
  const rate = profile.rate ?? Math.max(profile.startRate ?? 0, ...(profile.stages ?? []).map((s) => s.target));
  if (!(rate > 0)) throw new Error(`profile "${name}" has no rate or stage targets`);
  return rate;
}

const assumptions = [
  'on-demand mode; per-partition limits 3,000 RCU/s and 1,000 WCU/s (DynamoDB documentation)',
  'units: 1 WCU per started KB of the larger item image, 1 RCU per started 4 KB (half when eventually consistent); transactions ×2, their index writes too',
  'index writes only when the projected entry changes; an index key change counts as a delete plus a put',
  'an LSI shares its table partition, so its reads and writes count on the table key; a neighborhood with LSI1 cannot be split across partitions',
  'adaptive capacity and split-for-heat are not modelled: a key over its limit is predicted to throttle (the service may split a hot key by sort key, but not a key written at its newest end, nor an item collection with an LSI)',
  'the mix is replayed as-is: the fixture neighborhoods get all its joins and reads, as in the k6 run against staging',
];

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rate: { type: 'string' },
      times: { type: 'string' },
      profile: { type: 'string', default: 'load' },
      iterations: { type: 'string', default: '400' },
      seed: { type: 'string', default: '1' },
      top: { type: 'string', default: '15' },
      'report-dir': { type: 'string', default: 'reports' },
      scenarios: { type: 'string' },
      abuse: { type: 'boolean', default: false },
      'abuser-rate': { type: 'string', default: '150' },
      seconds: { type: 'string', default: '130' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  if (values.abuse) {
    await runAbuseProfile({
      abuserRate: Number(values['abuser-rate']),
      seconds: Number(values.seconds),
      ...(process.env.DYNAMODB_ENDPOINT_URL ? { endpoint: process.env.DYNAMODB_ENDPOINT_URL } : {}),
    });
    return;
  }
  const scenariosPath = values.scenarios ?? new URL('../scenarios.json', import.meta.url).pathname;
  const file = parseScenarioFile(JSON.parse(readFileSync(scenariosPath, 'utf8')));
  const peak = readPeakRate(file, values.profile);
  const times = values.rate ? undefined : Number(values.times ?? 100);
  const rate = values.rate ? Number(values.rate) : peak * (times as number);
  const iterations = Number(values.iterations);
  if (!(rate > 0) || !(iterations > 0)) throw new Error(`bad --rate/--times/--iterations\n${usage}`);

  const replay = await replayScenarios({
    file,
    iterations,
    seed: Number(values.seed),
    ...(process.env.DYNAMODB_ENDPOINT_URL ? { endpoint: process.env.DYNAMODB_ENDPOINT_URL } : {}),
  });
  const projected = projectKeyLoads(aggregateKeyLoads(replay.requests, iterations), rate);
  const first = findFirstThrottle(projected);
  const service = projected.filter((key) => key.scope === 'service');
  const withReport = replay.requests.filter((request) => request.reported !== undefined);
  const computedTotal = (list: typeof replay.requests) =>
    list.reduce((sum, r) => sum + r.touches.reduce((t, touch) => t + touch.rcu + touch.wcu, 0), 0);
  const agreeing = withReport.filter((r) => Math.abs((r.reported as number) - computedTotal([r])) < 1e-9);
  const rateLabel = times ? `${times} × profile ${values.profile} (peak ${peak}/s)` : 'given by --rate';

  const pct = (share: number) => `${(share * 100).toFixed(1)} %`;
  const top = projected.slice(0, Number(values.top));
  console.log(
    `capacity model: ${iterations} iterations of the scenario mix replayed through the app on DynamoDB Local ` +
      `(${[...replay.apiRequests.values()].reduce((a, b) => a + b, 0)} API requests, ${replay.requests.length} DynamoDB requests, ${replay.unexpected} unexpected statuses)`,
  );
  console.log(
    `engine-reported capacity (ReturnConsumedCapacity INDEXES) equals the computed units for ${agreeing.length} of ${withReport.length} requests ` +
      `(totals ${withReport.reduce((s, r) => s + (r.reported as number), 0)} reported, ${computedTotal(withReport)} computed)`,
  );
  const disagreeing = withReport.filter((r) => !agreeing.includes(r));
  const byCommand = new Map<string, number>();
  for (const r of disagreeing) {
    const label = `${r.command} (reported ${r.reported}, computed ${computedTotal([r])})`;
    byCommand.set(label, (byCommand.get(label) ?? 0) + 1);
  }
  for (const [label, count] of byCommand) console.log(`  differs: ${count} × ${label}`);
  console.log(`\nprojected at ${rate} iterations/s (${rateLabel}), hottest keys:`);
  console.table(
    top.map((key) => ({
      target: key.target,
      partition: key.partition.length > 48 ? `${key.partition.slice(0, 45)}…` : key.partition,
      'grows with': key.scope,
      via: key.via.join('+'),
      'API operations': key.operations.join(', ').slice(0, 60),
      'RCU/s': Math.round(key.rcuPerSecond),
      'WCU/s': Math.round(key.wcuPerSecond),
      'share of limit': pct(key.share),
      'throttles at it/s': Math.round(key.throttleRate),
    })),
  );
  if (first) {
    console.log(
      `first predicted throttle: at ${Math.round(first.throttleRate)} iterations/s (${(first.throttleRate / peak).toFixed(1)} × ${values.profile} peak) ` +
        `on ${first.target} ${first.partition} (grows with one ${first.scope})`,
    );
  }
  const hottestService = service[0];
  console.log(
    hottestService
      ? `hottest service-wide key: ${hottestService.target} ${hottestService.partition} at ${pct(hottestService.share)} ` +
          `(${Math.round(hottestService.rcuPerSecond)} RCU/s, ${Math.round(hottestService.wcuPerSecond)} WCU/s); throttles at ${Math.round(hottestService.throttleRate)} it/s`
      : 'no service-wide key',
  );
  console.log('\nper API request (mean):');
  console.table(
    summarizeOperations(replay.requests, replay.apiRequests).map((row) => ({
      operation: row.operation,
      requests: row.apiRequests,
      'DynamoDB calls': +row.callsPerRequest.toFixed(2),
      RCU: +row.rcuPerRequest.toFixed(2),
      WCU: +row.wcuPerRequest.toFixed(2),
    })),
  );
  console.log(`limits: ${partitionLimits.rcu} RCU/s and ${partitionLimits.wcu} WCU/s per partition key. Assumptions:`);
  for (const line of assumptions) console.log(`- ${line}`);
  mkdirSync(values['report-dir'], { recursive: true });
  const chartPath = join(values['report-dir'], `capacity-${new Date().toISOString().replace(/[:.]/g, '-')}.svg`);
  writeFileSync(
    chartPath,
    renderShareChart(top, `Share of the partition limit at ${rate} iterations/s (${rateLabel})`),
  );
  console.log(`chart: ${chartPath}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
