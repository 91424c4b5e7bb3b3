import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureTable } from '../../server/data/table/admin.js';
import { createDynamoDbClient } from '../../server/data/table/client.js';
import { localCredentials, startDynamoDbLocal } from '../../tooling/dynamodb-local.js';
import { createHttpApiEvent } from '../../tooling/lambda-events.js';
import { bundleLambda, lambdaBundleName, lambdaOutDir, measureBundle } from '../build/lambda-bundle.js';
import { isSubstitutionName, type SubstitutionName, substitutionNames } from '../build/lambda-bundle-substitutions.js';
import { buildFloor, buildUnbundled, buildWithout, floors } from './coldstart-builds.js';
import { type LambdaRun, runLambdaModule } from './run-lambda-module.js';

/**
 * `npm run bench:coldstart [runs]`: bundle size, and fresh Node 22 process → first response (import the
 * handler + one GET /api/nbhds, a DynamoDB Query per GSI1 shard) for the bundle and for the same code unbundled,
 * beside four floors built with the same bundler settings (scripts/bench/coldstart-floor/): a handler that does
 * nothing, the AWS SDK alone sending the first shard's query, the prescribed stack (serverless-express + Express +
 * dynamodb-toolbox) without the app sending only that query (what the second shard's query costs), and that stack
 * sending every shard's query as the app does (issue 16's "the app adds" ≤ 15 ms is measured against it: both
 * send the same DynamoDB requests, so they differ by the app's code alone). Goals: bundle code loaded at cold start ≤ 1 MB
 * minified; ≤ 150 ms to the first response.
 *
 * `-- --path <path>` sends that GET instead (e.g. /oauth/client-metadata.json, which loads the OAuth chunk).
 * `-- --without <name>` (repeatable, or `all`) instead times the bundle beside builds that each switch one
 * substitution off (scripts/build/lambda-bundle-substitutions.ts), and prints what each one saves.
 * `-- --against <dir>/index.mjs` (repeatable) times the bundle beside another build's entry (e.g. a copy of an
 * earlier dist/lambda/) the same way: a same-run A/B of a code change. `-- --cpu-prof <dir>`: see profileEnv.
 * `-- --instructions` runs every process under valgrind (Debian package) and compares instruction counts, which a
 * busy machine barely moves (±0.5 %), where its timings move by ±10 % (slow: use few rounds, e.g. `5`).
 */
const { values: options, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    without: { type: 'string', multiple: true },
    path: { type: 'string', default: '/api/nbhds' },
    'cpu-prof': { type: 'string' },
    against: { type: 'string', multiple: true },
    instructions: { type: 'boolean', default: false },
  },
});
const runs = Math.max(options.instructions ? 1 : 5, Number(positionals[0] ?? 7));
const without: SubstitutionName[] = (options.without ?? []).flatMap((name) => {
  if (name === 'all') return [...substitutionNames];
  if (!isSubstitutionName(name)) throw new Error(`--without ${name}: not one of ${substitutionNames.join(', ')}, all`);
  return [name];
});
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

/** Per round, `first`'s figure minus `second`'s: both ran once in every round, so load drifts hit them alike. */
const pairedDifferences = (first: LambdaRun[], second: LambdaRun[], pick: (run: LambdaRun) => number) =>
  first.flatMap((run, index) => (second[index] ? [pick(run) - pick(second[index])] : []));

/** With --cpu-prof <dir>: each process writes a V8 CPU profile to <dir>/<variant>/ (timings then include the profiler). */
const profileEnv = (variant: Variant): Record<string, string> => {
  const dir = options['cpu-prof'];
  if (!dir) return {};
  const slug = variant.label.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '');
  const flags = `--cpu-prof --cpu-prof-interval=100 --cpu-prof-dir=${resolve(dir, slug)}`;
  return { NODE_OPTIONS: [variant.env.NODE_OPTIONS, flags].filter(Boolean).join(' ') };
};

interface Variant {
  label: string;
  path: string;
  env: Record<string, string>;
  startupBytes?: number;
}
const appLabel = 'the app: bundle (as deployed)';
const withoutLabel = (name: string) => `the app without ${name}`;
const controlLabel = withoutLabel('nothing (control)');
const against = options.against ?? [];
const againstLabel = (path: string) => `other build: ${path}`;

/** The floors, the app and its unbundled twin; or, with --without, the app beside its variants. */
async function buildVariants(startupBytes: number): Promise<Variant[]> {
  const app = { label: appLabel, path: `${lambdaOutDir}${lambdaBundleName}`, env: {}, startupBytes };
  if (against.length) {
    return [app, ...against.map((path) => ({ label: againstLabel(path), path: resolve(path), env: {} }))];
  }
  if (without.length) {
    // The same bundle built again beside the variants: its difference from the app is the noise floor.
    const variants = [app, { label: controlLabel, env: {}, ...(await buildWithout('control', [])) }];
    for (const name of without) {
      variants.push({ label: withoutLabel(name), env: {}, ...(await buildWithout(name, [name])) });
    }
    return variants;
  }
  const floorVariants: Variant[] = [];
  for (const name of Object.keys(floors) as (keyof typeof floors)[]) {
    floorVariants.push({ label: floors[name], env: {}, ...(await buildFloor(name)) });
  }
  return [
    ...floorVariants,
    app,
    { ...app, label: 'the app: bundle, --enable-source-maps', env: { NODE_OPTIONS: '--enable-source-maps' } },
    { label: 'the app: unbundled (files + node_modules)', path: await buildUnbundled(), env: {} },
  ];
}

async function main(): Promise<void> {
  const sizes = measureBundle(await bundleLambda(), `dist/lambda/${lambdaBundleName}`);
  const variants = await buildVariants(sizes.startupBytes);
  const engine = await startDynamoDbLocal();
  try {
    const tableName = 'bench-coldstart';
    const client = createDynamoDbClient({ region: 'local', endpoint: engine.endpoint, credentials: localCredentials });
    await ensureTable(client, tableName);
    client.destroy();
    const env = {
      STAGE: 'staging',
      SECRET_KEY: 'bench-coldstart-secret',
      DYNAMODB_TABLE_NAME: tableName,
      DYNAMODB_ENDPOINT_URL: engine.endpoint,
      LOG_LEVEL: 'info',
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    };
    const results = new Map<string, LambdaRun[]>(variants.map((variant) => [variant.label, []]));
    const events = [createHttpApiEvent({ method: 'GET', path: options.path })];
    // Interleaved, so a burst of load on the machine hits every variant alike; the order turns each round, so
    // none always runs first or right after the heaviest one.
    for (let run = 0; run < runs; run++) {
      for (const variant of variants.map((_, index) => variants[(index + run) % variants.length] as Variant)) {
        const result = await runLambdaModule(
          variant.path,
          events,
          { ...env, ...variant.env, ...profileEnv(variant) },
          { countInstructions: options.instructions },
        );
        if (result.responses[0]?.statusCode !== 200)
          throw new Error(`${variant.label}: ${JSON.stringify(result.responses[0])}`);
        results.get(variant.label)?.push(result);
      }
    }
    const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
    console.log(
      `bundle loaded at cold start (entry + the chunks it imports): ${sizes.startupBytes} bytes = ` +
        `${kib(sizes.startupBytes)} minified (goal ≤ 1 MB)`,
    );
    console.log(
      `all bundle code (+ chunks loaded on demand, e.g. Bluesky OAuth): ${sizes.totalBytes} bytes = ${kib(sizes.totalBytes)}`,
    );
    console.log(`fresh process → first response (GET ${options.path} against DynamoDB Local), median of ${runs} runs;`);
    console.log(
      `load average now ${loadavg()
        .map((load) => load.toFixed(1))
        .join(' ')} on this 2-core machine\n`,
    );
    const columns: [string, number][] = [
      ['variant', 44],
      ['loaded', 11],
      ['first response', 16],
      ['CPU used', 10],
      ['node start', 12],
      ['import', 9],
    ];
    console.log(columns.map(([title, width], index) => (index ? title.padStart(width) : title.padEnd(width))).join(''));
    const medianOf = (label: string, pick: (run: LambdaRun) => number) => median((results.get(label) ?? []).map(pick));
    for (const { label, startupBytes } of variants) {
      const ms = (pick: (run: LambdaRun) => number) => `${medianOf(label, pick).toFixed(0)} ms`;
      const cells = [
        startupBytes === undefined ? '-' : kib(startupBytes),
        ms((r) => r.firstResponseMs),
        ms((r) => r.firstResponseCpuMs),
        ms((r) => r.nodeStartMs),
        ms((r) => r.importMs),
      ];
      console.log(label.padEnd(44) + cells.map((cell, index) => cell.padStart(columns[index + 1]?.[1] ?? 0)).join(''));
    }
    const first = (run: LambdaRun) => run.firstResponseMs;
    if (without.length || against.length) {
      printSavings(variants, results);
      return;
    }
    if (options.instructions) {
      const millions = (label: string) => medianOf(label, (run) => (run.instructions ?? 0) / 1e6);
      for (const { label } of variants)
        console.log(`${label.padEnd(44)}${millions(label).toFixed(1).padStart(12)} M instructions`);
      for (const floor of [floors.stack, floors['stack-one-query']]) {
        console.log(
          `the app runs ${(millions(appLabel) - millions(floor)).toFixed(1)} M instructions more than "${floor}"`,
        );
      }
      console.log(
        `the second shard's query runs ${(millions(floors.stack) - millions(floors['stack-one-query'])).toFixed(1)} M ` +
          "instructions in the stack floor (the table design's share, not the app's code)",
      );
    }
    // Paired: each round runs every variant once, so the median of the rounds' differences cancels load drifts.
    const adds = (floor: string, variant = appLabel) =>
      median(pairedDifferences(results.get(variant) ?? [], results.get(floor) ?? [], first));
    console.log(
      `\ngoal: first response ≤ 150 ms. "CPU used" is user+system time of the process until then.\n` +
        `the second GSI1 shard's query (issue 13's table design) adds ${adds(floors['stack-one-query'], floors.stack).toFixed(0)} ms ` +
        `to the stack floor; over the one-query floor the app adds ${adds(floors['stack-one-query']).toFixed(0)} ms.\n` +
        `the prescribed stack alone, sending the app's queries, takes ${medianOf(floors.stack, first).toFixed(0)} ms; ` +
        `the app adds ${adds(floors.stack).toFixed(0)} ms ` +
        `(validation, security headers, CORS, auth, logging, metrics, error handling; median of the rounds' differences).`,
    );
  } finally {
    await engine.stop();
  }
}

/** Per substitution: the median over rounds of (without it − the app) in the same round, so load drifts cancel. */
function printSavings(variants: Variant[], results: Map<string, LambdaRun[]>): void {
  const app = results.get(appLabel) ?? [];
  const appBytes = variants[0]?.startupBytes ?? 0;
  console.log(
    `\nwhat ${against.length ? 'the bundle saves over each other build' : 'each substitution saves'} (> 0: it helps): ` +
      'median of per-round differences / difference of the fastest runs',
  );
  const labels = against.length ? against.map(againstLabel) : [controlLabel, ...without.map(withoutLabel)];
  for (const label of labels) {
    const variant = variants.find((candidate) => candidate.label === label);
    const runsWithout = results.get(label) ?? [];
    const saved = (pick: (run: LambdaRun) => number) => median(pairedDifferences(runsWithout, app, pick)).toFixed(1);
    // The fastest run of each is the least disturbed by other work on the machine.
    const fastest = (pick: (run: LambdaRun) => number) =>
      (Math.min(...runsWithout.map(pick)) - Math.min(...app.map(pick))).toFixed(1);
    const cell = (pick: (run: LambdaRun) => number) => `${saved(pick).padStart(6)} /${fastest(pick).padStart(6)} ms`;
    console.log(
      `  ${label.replace(/^(the app without |other build: )/, '').padEnd(26)} first response ${cell((r) => r.firstResponseMs)}, ` +
        `CPU ${cell((r) => r.firstResponseCpuMs)}, ` +
        (options.instructions ? `instructions ${saved((r) => (r.instructions ?? 0) / 1e6)} M, ` : '') +
        (variant?.startupBytes === undefined
          ? ''
          : `loaded ${(variant.startupBytes - appBytes).toString().padStart(8)} bytes`),
    );
  }
}

await main();
