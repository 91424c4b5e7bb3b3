/**
 * The local load-test runner (`npm run loadtest`): the scenario file's mix and thresholds, driven at a fixed
 * arrival rate against a server on DynamoDB Local that it starts itself (or a loopback BASE_URL).
 * Exit code: 0 when every threshold held, 1 when one was crossed, 2 when the run could not happen.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'undici';
import { devSecretKey } from '../../server/config.js';
import { startCpuMeter } from '../../tooling/cpu-meter.js';
import { buildThresholds, countRequestsPerIteration, parseScenarioFile } from '../shared/scenario-file.js';
import { parseUserPool } from '../shared/tokens-file.js';
import { parseRunnerOptions, readScenariosPath, usage } from './cli-options.js';
import { drive } from './driver.js';
import { type LocalStack, startLocalStack } from './local-stack.js';
import { bucketBySecond, summarizeByOperation } from './report-data.js';
import { type RunReport, renderHtmlReport } from './report-html.js';
import { formatCpuPerRequest, formatOperationTable, formatThresholds } from './report-text.js';
import { removeFixtures, seedFixtures } from './seed.js';
import { resolveTarget } from './target.js';
import { evaluateThresholds } from './thresholds.js';
import { mintUserPool, type PoolUser } from './user-pool.js';

async function loadUsers(stack: LocalStack | undefined, needed: number): Promise<PoolUser[]> {
  if (process.env.TOKENS_FILE) {
    return parseUserPool(readFileSync(process.env.TOKENS_FILE, 'utf8'), needed);
  }
  // A server started with `npm start` and no SECRET_KEY signs with the local development key.
  const secret = stack?.secretKey ?? process.env.SECRET_KEY ?? devSecretKey;
  return mintUserPool(secret, needed, 60);
}

/** Prints how long each preparation step took (stderr, so stdout stays the report). */
function startPhaseClock() {
  let last = performance.now();
  return (what: string) => {
    const now = performance.now();
    console.error(`loadtest: ${what} in ${((now - last) / 1000).toFixed(1)} s`);
    last = now;
  };
}

async function run(): Promise<number> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    console.log(usage);
    return 0;
  }
  const scenariosPath = readScenariosPath(process.argv.slice(2)) ?? new URL('../scenarios.json', import.meta.url);
  const file = parseScenarioFile(JSON.parse(readFileSync(scenariosPath, 'utf8')));
  const options = parseRunnerOptions(process.argv.slice(2), process.env, file);
  const thresholds = buildThresholds(file, options.profile);
  const target = options.baseUrl ? resolveTarget(options.baseUrl, options.allowRemote) : undefined;
  const phase = startPhaseClock();
  const stack = target ? undefined : await startLocalStack(process.env.DYNAMODB_ENDPOINT_URL);
  if (stack) phase('started DynamoDB Local and the API');
  // Ctrl-C must not leave a server child and a JVM behind.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`loadtest: ${signal}, stopping`);
      void (stack?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
    });
  }
  const origin = target?.origin ?? (stack as LocalStack).baseUrl;
  const basePath = target?.basePath ?? '';
  const pool = new Pool(origin, { connections: options.maxInFlight, pipelining: 1 });
  try {
    const users = await loadUsers(stack, file.fixtures.users);
    const fixtures = await seedFixtures(pool, basePath, file, users);
    phase('seeded fixtures through the API');
    const context = { pool, basePath, file, users, fixtures, random: Math.random, maxInFlight: options.maxInFlight };
    const warmup =
      options.warmupMs > 0 ? await drive({ ...context, rate: options.rate, durationMs: options.warmupMs }) : undefined;
    const meter = startCpuMeter([
      { name: 'API server', pid: stack?.serverPid },
      { name: 'DynamoDB Local (JVM)', pid: stack?.dynamodbPid },
    ]);
    const result = await drive({
      ...context,
      rate: options.rate,
      durationMs: options.durationMs,
      firstIteration: warmup ? warmup.iterations + warmup.dropped : 0,
    });
    const cpu = meter.stop();
    await removeFixtures(pool, basePath, users, fixtures);
    const seconds = result.elapsedMs / 1000;
    const results = evaluateThresholds(thresholds, result.samples, seconds);
    const passed = results.every((r) => r.ok);
    const rows = summarizeByOperation(result.samples, seconds);
    const report: RunReport = {
      startedAt: new Date(Date.now() - result.elapsedMs).toISOString(),
      target: target ? origin + basePath : `${origin} (started by the runner on DynamoDB Local)`,
      profile: options.profile,
      rate: options.rate,
      plannedRequestsPerSecond: options.rate * countRequestsPerIteration(file),
      durationSeconds: options.durationMs / 1000,
      elapsedSeconds: seconds,
      iterations: result.iterations,
      dropped: result.dropped,
      rows,
      seconds: bucketBySecond(result.samples),
      thresholds: results,
      passed,
      cpu,
      notes: [],
    };
    mkdirSync(options.reportDir, { recursive: true });
    const reportPath = join(options.reportDir, `loadtest-${report.startedAt.replace(/[:.]/g, '-')}.html`);
    writeFileSync(reportPath, renderHtmlReport(report));
    writeFileSync(
      join(options.reportDir, 'loadtest-latest.json'),
      `${JSON.stringify({ ...report, seconds: undefined }, null, 2)}\n`,
    );
    const all = rows.find((row) => row.operation === 'all');
    console.log(
      `\n${report.target}: ${options.rate} iterations/s for ${options.durationMs / 1000} s → ${result.samples.length} requests, ${all?.rps.toFixed(1)} req/s, ${result.dropped} iterations dropped\n`,
    );
    console.log(formatOperationTable(rows));
    console.log(`\nCPU (cores): ${cpu.map((c) => `${c.process} ${c.cores.toFixed(2)}`).join(', ')}`);
    console.log(`CPU per request (ms): ${formatCpuPerRequest(cpu, all?.rps ?? 0)}`);
    console.log(
      `\n${formatThresholds(results)}\n\nreport: ${reportPath}\n${passed ? 'PASSED' : 'FAILED: a threshold was crossed'}`,
    );
    return passed ? 0 : 1;
  } finally {
    await pool.close();
    await stack?.stop();
  }
}

run().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`loadtest: ${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
    process.exitCode = 2;
  },
);
