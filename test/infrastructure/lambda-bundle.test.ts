import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LambdaRun, runLambdaModule } from '../../scripts/bench/run-lambda-module.js';
import { bundleLambda, measureBundle, repoRoot } from '../../scripts/build/lambda-bundle.js';
import { createSessionTokens } from '../../server/auth/session-tokens.js';
import { metricNames, metricsNamespace } from '../../server/observability/metric-names.js';
import { createHttpApiEvent } from '../../tooling/lambda-events.js';
import { createDid, createNeighborhoodName } from '../fixtures/users.js';
import { useTestTable } from '../helpers/dynamodb.js';

const secretKey = 'bundle-smoke-secret';
const outDir = mkdtempSync(join(tmpdir(), 'nbhd-bundle-'));
const bundlePath = join(outDir, 'index.mjs');
const creator = createDid('creator');
const joiner = createDid('joiner');
const name = createNeighborhoodName('Bundle');
let run: LambdaRun;
let metafile: Metafile;

const docsPage = '<!DOCTYPE html><html><head><title>nbhd.city API docs (bundle test)</title></head></html>';
const json = (response: APIGatewayProxyStructuredResultV2 | undefined) => JSON.parse(response?.body ?? 'null');
const logLines = () =>
  run.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

beforeAll(async () => {
  const table = await useTestTable('bundle');
  metafile = await bundleLambda({ outdir: outDir });
  // build:lambda puts the Redoc page beside the bundle; a small stand-in shows it is read from there.
  writeFileSync(join(outDir, 'docs.html'), docsPage);
  const tokens = createSessionTokens({ secretKey, expireMinutes: 5 });
  const bearer = async (did: string) => ({ authorization: `Bearer ${await tokens.issue(did)}` });
  const createBody = JSON.stringify({ name, description: 'made by the bundle' });
  const events = [
    createHttpApiEvent({ method: 'GET', path: '/health' }),
    createHttpApiEvent({ method: 'GET', path: '/api/nbhds' }),
    createHttpApiEvent({
      method: 'POST',
      path: '/api/nbhds',
      headers: { ...(await bearer(creator)), 'content-type': 'application/json' },
      body: createBody,
    }),
    createHttpApiEvent({ method: 'GET', path: '/openapi.yaml' }),
    createHttpApiEvent({
      method: 'POST',
      path: '/api/nbhds',
      headers: { ...(await bearer(creator)), 'content-type': 'application/json' },
      body: JSON.stringify({ name: ' leading space' }),
    }),
  ];
  // The join needs the id the create returns, so the first process only creates; a second one joins + lists.
  const first = await runLambdaModule(bundlePath, events, lambdaEnv(table));
  const id = json(first.responses[2]).id as string;
  const second = await runLambdaModule(
    bundlePath,
    [
      createHttpApiEvent({ method: 'POST', path: `/api/nbhds/${id}/join`, headers: await bearer(joiner) }),
      createHttpApiEvent({ method: 'GET', path: '/api/nbhds', query: { limit: '10' } }),
      // Loads the Bluesky OAuth chunk on demand (staging without a client id: the loopback client).
      createHttpApiEvent({ method: 'GET', path: '/oauth/client-metadata.json' }),
      createHttpApiEvent({ method: 'GET', path: '/docs' }),
    ],
    lambdaEnv(table),
  );
  run = { ...first, responses: [...first.responses, ...second.responses], stdout: first.stdout + second.stdout };
}, 120_000);

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

/** The environment the template gives the function, pointed at DynamoDB Local. */
function lambdaEnv(table: { endpoint: string; tableName: string }): Record<string, string> {
  return {
    STAGE: 'staging',
    SECRET_KEY: secretKey,
    DYNAMODB_TABLE_NAME: table.tableName,
    DYNAMODB_ENDPOINT_URL: table.endpoint,
    FRONTEND_URL: 'https://nbhd.city',
    CORS_ALLOWED_ORIGINS: 'https://nbhd.city',
    LOG_LEVEL: 'info',
    // What the Lambda runtime sets.
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_LAMBDA_FUNCTION_NAME: 'nbhd-city-api-smoke',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
  };
}

describe('the Lambda bundle under Node 22 (fresh process, HTTP API v2 events, DynamoDB Local)', () => {
  it('is self-contained ESM: its files import only Node itself and chunks that exist beside them', () => {
    const files = readdirSync(outDir, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.mjs'));
    expect(files).toContain('index.mjs');
    for (const file of files) {
      const source = readFileSync(join(outDir, file), 'utf8');
      const imports = [
        ...source.matchAll(/(?:^|[;}\s])(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]/g),
        ...source.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
      ].map((match) => match[1] ?? '');
      const builtin = (specifier: string) => specifier.startsWith('node:') || builtinModules.includes(specifier);
      const chunk = (specifier: string) =>
        specifier.startsWith('.') && existsSync(join(outDir, dirname(file), specifier));
      expect(imports.filter((specifier) => !builtin(specifier) && !chunk(specifier))).toEqual([]);
      expect(statSync(join(outDir, `${file}.map`)).size).toBeGreaterThan(0);
    }
  });

  it('keeps the Bluesky OAuth code out of what a cold start loads, under 1 MB', () => {
    const sizes = measureBundle(metafile, relative(repoRoot, bundlePath));
    const startupInputs = sizes.startupFiles.flatMap((file) => Object.keys(metafile.outputs[file]?.inputs ?? {}));
    expect(
      startupInputs.filter(
        (input) =>
          input.includes('@atproto/') ||
          /server\/oauth\/(bluesky-(handlers|auth|profile)|oauth-client)\.ts$/.test(input),
      ),
    ).toEqual([]);
    expect(sizes.startupBytes).toBeLessThanOrEqual(1_000_000);
    expect(sizes.totalBytes).toBeGreaterThan(sizes.startupBytes);
  });

  it('loads the OAuth chunk on the first request that needs it and answers from it', () => {
    const metadata = run.responses[7];
    expect(metadata?.statusCode).toBe(200);
    expect(json(metadata)).toMatchObject({ client_id: expect.stringMatching(/^http:\/\/localhost/) });
  });

  it('serves /docs from the docs.html beside the bundle, read on the first request for it', () => {
    const docs = run.responses[8];
    expect(docs?.statusCode).toBe(200);
    expect(docs?.headers?.['content-type']).toMatch(/^text\/html/);
    expect(docs?.body).toBe(docsPage);
  });

  it('answers health, list, create and join like the API contract says', () => {
    const [health, emptyList, created, , , joined, list] = run.responses;
    expect(health?.statusCode).toBe(200);
    expect(json(health)).toEqual({ status: 'healthy' });
    expect(emptyList?.statusCode).toBe(200);
    expect(json(emptyList)).toEqual([]);
    expect(created?.statusCode).toBe(201);
    expect(json(created)).toMatchObject({ name, created_by: creator, member_count: 1 });
    expect(created?.headers?.location).toBe(`/api/nbhds/${json(created).id}`);
    expect(joined?.statusCode).toBe(201);
    expect(json(joined)).toMatchObject({ nbhd_id: json(created).id });
    expect(list?.statusCode).toBe(200);
    expect(json(list)).toEqual([expect.objectContaining({ id: json(created).id, member_count: 2 })]);
  });

  it('serves openapi.yaml as the file itself and still validates requests against the inlined document', () => {
    const [, , , spec, invalid] = run.responses;
    expect(spec?.statusCode).toBe(200);
    expect(spec?.body).toBe(readFileSync(new URL('../../openapi.yaml', import.meta.url), 'utf8'));
    expect(invalid?.statusCode).toBe(400);
    expect(json(invalid)).toMatchObject({ type: 'https://nbhd.city/problems/validation-error', status: 400 });
    expect(json(invalid).errors.map((error: { pointer: string }) => error.pointer)).toEqual(
      expect.arrayContaining(['/name']),
    );
  });

  it('logs one JSON line per request carrying the Lambda request id, the operation and a cold-start flag true only on the first invocation', () => {
    const lines = logLines();
    const requests = lines.filter((line) => line.message === 'request');
    expect(requests.map((line) => [line.function_request_id, line.cold_start, line.operation, line.status])).toEqual([
      ['smoke-0', true, 'getHealth', 200],
      ['smoke-1', false, 'listNeighborhoods', 200],
      ['smoke-2', false, 'createNeighborhood', 201],
      ['smoke-3', false, 'getOpenApiDocument', 200],
      ['smoke-4', false, 'createNeighborhood', 400],
      ['smoke-0', true, 'joinNeighborhood', 201],
      ['smoke-1', false, 'listNeighborhoods', 200],
      ['smoke-2', false, 'getOAuthClientMetadata', 200],
      ['smoke-3', false, 'getApiDocs', 200],
    ]);
    for (const line of requests) {
      expect(line).toMatchObject({
        request_id: expect.any(String),
        api_request_id: expect.any(String),
        stage: 'staging',
      });
    }
    // Every other line is a metrics (EMF) line: no second access line per request.
    expect(lines.filter((line) => line.message !== 'request' && !('_aws' in line))).toEqual([]);
  });

  it('writes per-operation EMF metrics under the service and service+operation dimension sets', () => {
    const emf = logLines().filter(
      (line) => (line._aws as { CloudWatchMetrics?: unknown } | undefined)?.CloudWatchMetrics,
    );
    const requests = emf.filter((line) => metricNames.requests in line);
    expect(requests.map((line) => line.operation)).toEqual([
      'getHealth',
      'listNeighborhoods',
      'createNeighborhood',
      'getOpenApiDocument',
      'createNeighborhood',
      'joinNeighborhood',
      'listNeighborhoods',
      'getOAuthClientMetadata',
      'getApiDocs',
    ]);
    const [first] = requests as [Record<string, unknown> & { _aws: { CloudWatchMetrics: unknown[] } }];
    expect(first._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: metricsNamespace,
        Dimensions: [
          ['service', 'stage'],
          ['service', 'stage', 'operation'],
        ],
        Metrics: expect.arrayContaining([
          { Name: metricNames.latency, Unit: 'Milliseconds' },
          { Name: metricNames.http5xx, Unit: 'Count' },
          { Name: metricNames.dynamoDbThrottles, Unit: 'Count' },
        ]),
      },
    ]);
    expect(first).toMatchObject({ service: 'nbhd-city-api', stage: 'staging', [metricNames.http5xx]: 0 });
  });
});
