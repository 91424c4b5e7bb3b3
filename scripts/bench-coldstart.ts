import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { build } from 'esbuild';
import { createDynamoDbClient } from '../server/data/dynamodb-client.js';
import { ensureTable } from '../server/data/table-admin.js';
import { createHttpApiEvent } from '../test/fixtures/lambda-events.js';
import { localCredentials, startDynamoDbLocal } from './lib/dynamodb-local.js';
import { bundleLambda, lambdaBundleName, lambdaOutDir, measureBundle, repoRoot } from './lib/lambda-bundle.js';
import { type LambdaRun, runLambdaModule } from './lib/run-lambda-module.js';

/**
 * `npm run bench:coldstart [runs]`: bundle size, and fresh Node 22 process → first response (import the
 * handler + one GET /api/nbhds, a DynamoDB Query) for the bundle and for the same code unbundled.
 * Goals: bundle code loaded at cold start ≤ 1 MB minified; ≤ 150 ms to the first response.
 */
const runs = Math.max(5, Number(process.argv[2] ?? 7));
const unbundledDir = `${repoRoot}dist/unbundled/`;

/** The same sources, transpiled file by file (no bundling): Node resolves node_modules at run time. */
async function buildUnbundled(): Promise<string> {
  rmSync(unbundledDir, { recursive: true, force: true });
  const sources = readdirSync(`${repoRoot}server`, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => `${repoRoot}server/${file}`);
  await build({
    entryPoints: sources,
    outdir: `${unbundledDir}server`,
    format: 'esm',
    platform: 'node',
    target: 'node22',
  });
  mkdirSync(unbundledDir, { recursive: true });
  copyFileSync(`${repoRoot}openapi.yaml`, `${unbundledDir}openapi.yaml`);
  return `${unbundledDir}server/lambda.js`;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

async function main(): Promise<void> {
  const sizes = measureBundle(await bundleLambda(), `dist/lambda/${lambdaBundleName}`);
  const bundlePath = `${lambdaOutDir}${lambdaBundleName}`;
  const unbundledPath = await buildUnbundled();
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
    const variants: { label: string; path: string; env: Record<string, string> }[] = [
      {
        label: 'bundle with --enable-source-maps',
        path: bundlePath,
        env: { NODE_OPTIONS: '--enable-source-maps' },
      },
      { label: 'bundle (as deployed)', path: bundlePath, env: {} },
      { label: 'unbundled (transpiled files + node_modules)', path: unbundledPath, env: {} },
    ];
    const results = new Map<string, LambdaRun[]>(variants.map((variant) => [variant.label, []]));
    const events = [createHttpApiEvent({ method: 'GET', path: '/api/nbhds' })];
    // Interleaved, so a burst of load on the machine hits every variant alike.
    for (let run = 0; run < runs; run++) {
      for (const variant of variants) {
        const result = await runLambdaModule(variant.path, events, { ...env, ...variant.env });
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
    console.log(`fresh process → first response (GET /api/nbhds against DynamoDB Local), median of ${runs} runs;`);
    console.log(
      `load average now ${loadavg()
        .map((load) => load.toFixed(1))
        .join(' ')} on this 2-core machine\n`,
    );
    console.log(
      `${'variant'.padEnd(46)}${'first response'.padStart(16)}${'CPU used'.padStart(10)}${'node start'.padStart(12)}${'import'.padStart(9)}`,
    );
    for (const [label, list] of results) {
      const ms = (pick: (run: LambdaRun) => number) => `${median(list.map(pick)).toFixed(0)} ms`;
      console.log(
        `${label.padEnd(46)}${ms((r) => r.firstResponseMs).padStart(16)}${ms((r) => r.firstResponseCpuMs).padStart(10)}` +
          `${ms((r) => r.nodeStartMs).padStart(12)}${ms((r) => r.importMs).padStart(9)}`,
      );
    }
    console.log('\ngoal: first response ≤ 150 ms. "CPU used" is user+system time of the process until then.');
  } finally {
    await engine.stop();
  }
}

await main();
