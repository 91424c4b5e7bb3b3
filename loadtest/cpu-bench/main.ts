/**
 * `npm run bench:cpu`: CPU per request of the app against a floor (node:http + the same DynamoDB calls), the
 * load test's mix sent to both in one run, and to a third server, the floor's code inside a bare Express app
 * (what the framework alone costs). Each iteration runs the same flow with the same choices on every server at
 * once, one request at a time per server, so all see the same machine load and each child can charge all its
 * CPU between two responses to the later request (cpu-ledger.ts). Exit 1 when a server answered an unexpected
 * status, 2 when the run could not happen.
 */

import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { createSeededRandom } from '../../tooling/seeded-random.js';
import { type Fixtures, type FlowContext, runFlow } from '../runner/flows.js';
import type { RequestSample } from '../runner/samples.js';
import { removeFixtures, seedFixtures } from '../runner/seed.js';
import { mintUserPool } from '../runner/user-pool.js';
import { parseDuration, parseScenarioFile, pickFlow } from '../shared/scenario-file.js';
import { type BenchServer, startBenchStack } from './bench-stack.js';
import { findMismatches, formatCpuTable, summarizeCpu } from './cpu-report.js';

export const usage = `npm run bench:cpu -- [options]
  --iterations N   measured iterations of the mix (default 2000; ~1.14 requests each, sent to every server)
  --duration D     stop the measured phase after D (such as 60s) even if iterations remain
  --warmup N       unmeasured iterations first (default 300: the JITs of the servers and DynamoDB Local)
  --seed S         seed of the flow and user choices (default 1)
  --scenarios FILE another scenario file (default loadtest/scenarios.json)
  --cpu-prof DIR   run the servers with node --cpu-prof; their profiles land in DIR/app, DIR/floor, DIR/express
                   (summary: npm run bench:profile -- --diff DIR/floor DIR/app)
  DYNAMODB_ENDPOINT_URL  use this DynamoDB (Local) instead of starting one (fresh tables are made)`;

function readOptions(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      iterations: { type: 'string', default: '2000' },
      duration: { type: 'string' },
      warmup: { type: 'string', default: '300' },
      seed: { type: 'string', default: '1' },
      scenarios: { type: 'string' },
      'cpu-prof': { type: 'string' },
    },
    strict: true,
  });
  const toCount = (text: string, name: string) => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be a whole number`);
    return value;
  };
  return {
    iterations: toCount(values.iterations, 'iterations'),
    durationMs: values.duration ? parseDuration(values.duration) : Number.POSITIVE_INFINITY,
    warmup: toCount(values.warmup, 'warmup'),
    seed: toCount(values.seed, 'seed'),
    scenarios: values.scenarios ?? new URL('../scenarios.json', import.meta.url),
    cpuProfileDir: values['cpu-prof'] ? resolve(values['cpu-prof']) : undefined,
  };
}

interface Lane {
  server: BenchServer;
  pool: Pool;
  fixtures: Fixtures;
  samples: RequestSample[];
}

async function run(): Promise<number> {
  const options = readOptions(process.argv.slice(2));
  const file = parseScenarioFile(JSON.parse(readFileSync(options.scenarios, 'utf8')));
  const loadBefore = loadavg();
  const stack = await startBenchStack(process.env.DYNAMODB_ENDPOINT_URL, options.cpuProfileDir);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void stack.stop().finally(() => process.exit(130)));
  }
  const lanes: Lane[] = [];
  try {
    const users = await mintUserPool(stack.secretKey, file.fixtures.users, 120);
    for (const server of stack.servers) {
      const pool = new Pool(server.baseUrl, { connections: 1, pipelining: 1 });
      lanes.push({ server, pool, fixtures: await seedFixtures(pool, '', file, users), samples: [] });
    }
    const pickRandom = createSeededRandom(options.seed);
    const runStart = performance.now();
    // Both servers run iteration i's flow with the same choices (their own fixture ids), at the same time.
    const runIteration = (iteration: number, measured: boolean) => {
      const flow = pickFlow(file.flows, pickRandom());
      return Promise.all(
        lanes.map((lane) => {
          const context: FlowContext = {
            pool: lane.pool,
            basePath: '',
            file,
            users,
            fixtures: lane.fixtures,
            runStart,
            random: createSeededRandom(options.seed * 1_000_003 + iteration),
            record: (sample) => {
              if (measured) lane.samples.push(sample);
            },
          };
          return runFlow(flow, iteration, context);
        }),
      );
    };
    for (let i = 0; i < options.warmup; i++) await runIteration(i, false);
    for (const lane of lanes) lane.server.mark();
    const started = performance.now();
    let iterations = 0;
    while (iterations < options.iterations && performance.now() - started < options.durationMs) {
      await runIteration(options.warmup + iterations, true);
      iterations += 1;
    }
    const seconds = (performance.now() - started) / 1000;
    const [app, floor, express] = lanes as [Lane, Lane, Lane];
    const [appLedger, floorLedger, expressLedger] = await Promise.all(lanes.map((lane) => lane.server.report()));
    if (!appLedger || !floorLedger || !expressLedger) throw new Error('a server sent no report');
    for (const lane of lanes) await removeFixtures(lane.pool, '', users, lane.fixtures);
    const loadAfter = loadavg();
    const problems = [
      ...findMismatches(app.samples, appLedger.entries, 'app'),
      ...findMismatches(floor.samples, floorLedger.entries, 'floor'),
      ...findMismatches(express.samples, expressLedger.entries, 'express'),
    ];
    if (problems.length > 0) {
      console.error(`bench:cpu: the servers did not answer alike:\n  ${problems.join('\n  ')}`);
      return 1;
    }
    const rows = summarizeCpu(
      { app: app.samples, floor: floor.samples, express: express.samples },
      { app: appLedger.entries, floor: floorLedger.entries, express: expressLedger.entries },
    );
    const all = rows.find((row) => row.operation === 'all');
    const load = (values: number[]) => values.map((value) => value.toFixed(2)).join(' ');
    console.log(
      `${iterations} iterations (seed ${options.seed}, after ${options.warmup} warm-up) → ${app.samples.length} requests to each server in ${seconds.toFixed(1)} s`,
    );
    const expected = (lane: Lane) =>
      `${lane.samples.filter((sample) => sample.expected).length}/${lane.samples.length}`;
    console.log(`expected statuses: app ${expected(app)}, floor ${expected(floor)}, express ${expected(express)}`);
    console.log(`load average (1/5/15 min): before ${load(loadBefore)}, after ${load(loadAfter)}`);
    console.log(`CPU per request (user + system of each server's process, ms):\n`);
    console.log(formatCpuTable(rows));
    console.log(`\nexpress floor/floor CPU per request: ${(all?.expressRatio ?? Number.NaN).toFixed(2)}×`);
    console.log(`app/floor CPU per request: ${(all?.ratio ?? Number.NaN).toFixed(2)}×`);
    return 0;
  } finally {
    await Promise.all(lanes.map((lane) => lane.pool.close()));
    await stack.stop();
  }
}

run().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`bench:cpu: ${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
    process.exitCode = 2;
  },
);
