import fc from 'fast-check';
import { SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Nbhd } from '../../server/api-types.js';
import { createBadTokens } from '../fixtures/bad-tokens.js';
import { createDid, createNeighborhoodName } from '../fixtures/users.js';
import { loadContract } from '../helpers/contract.js';
import { type TestTable, useTestTable } from '../helpers/dynamodb.js';
import { arbitraryRequest, type FuzzRequest, type PathValue } from '../helpers/request-arbitrary.js';
import { internalMarkers } from '../helpers/schema-arbitrary.js';
import { readOperations } from '../helpers/spec-operations.js';
import { snapshotTable } from '../helpers/table-snapshot.js';
import { startTestApp, type TestApp, type TestResponse, testSecretKey } from '../helpers/test-app.js';

// FUZZ_RUNS=20000 for a longer run; FUZZ_SEED=<seed printed by a failure> (and FUZZ_PATH=<path>) to replay one.
const runs = Number(process.env.FUZZ_RUNS ?? 2000);
const seed = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const replayPath = process.env.FUZZ_PATH;

const { spec } = loadContract();
const operations = new Map(readOperations(spec).map((op) => [op.operationId, op]));
let table: TestTable;
let api: TestApp;
const users = [createDid('fuzz-a'), createDid('fuzz-b'), 'did:plc:test-user'];
const tokens: string[] = [];
const badAuthorizations: Array<string | undefined> = [];
const pool: string[] = [];
/** The table as it is, rescanned only after a request that sent a write command (nothing else writes to it). */
let snapshot: string[] = [];
const writeCommand = /^(Put|Update|Delete|BatchWrite|TransactWrite)/;
/**
 * The contract's legacy-id form of a neighborhood id: such a path is resolved before anything else (308 to the
 * UUID, or 404), so what else the request gets wrong is not looked at.
 */
const legacyIdPattern = new RegExp(
  (
    spec as { components: { parameters: { NbhdId: { schema: { anyOf: Array<{ pattern?: string }> } } } } }
  ).components.parameters.NbhdId.schema.anyOf.find((branch) => branch.pattern)?.pattern ?? '$^',
);
const carriesLegacyId = (request: FuzzRequest) =>
  Object.values(request.pathValues).some((value) => 'literal' in value && legacyIdPattern.test(value.literal));

/** Correctly signed tokens whose `sub` is no DID of the contract. */
async function signBadSubs(): Promise<string[]> {
  const now = Math.floor(Date.now() / 1000);
  const key = new TextEncoder().encode(testSecretKey);
  const subs = ['did:', 'did:plc:', 'did:plc:<b>', 'did:plc:a b', 'did:plc:a\u0000', `did:plc:${'a'.repeat(600)}`];
  return Promise.all(
    subs.map(async (sub) => {
      const jwt = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setIssuedAt(now);
      return `Bearer ${await jwt.setExpirationTime(now + 3600).sign(key)}`;
    }),
  );
}

/**
 * Small quotas, so a run meets 429s as well (a refused write must change nothing, like any refusal): the three
 * users' creates, updates, deletes and joins and leaves run out within a run of a few thousand requests.
 */
const smallQuotas = {
  QUOTA_CREATE: '10/86400',
  QUOTA_UPDATE: '10/3600',
  QUOTA_DELETE: '5/86400',
  QUOTA_MEMBERSHIP: '20/3600',
  QUOTA_MEMBERSHIP_NBHD: '4/3600',
};
const quotaOperations = new Set([
  'createNeighborhood',
  'updateNeighborhood',
  'deleteNeighborhood',
  'joinNeighborhood',
  'leaveNeighborhood',
  'testLogin',
]);
let tooManyRequests = 0;

beforeAll(async () => {
  table = await useTestTable('properties');
  api = await startTestApp(table, { env: smallQuotas });
  for (const did of users) tokens.push(await api.tokenFor(did));
  for (const [, header] of await createBadTokens(testSecretKey, users[0] as string)) badAuthorizations.push(header);
  badAuthorizations.push(...(await signBadSubs()), 'Bearer eyJ.eyJ.sig', 'Bearer \u00e9t\u00e9');
  for (let i = 0; i < 3; i += 1) {
    const created = await api.request<Nbhd>('POST', '/api/nbhds', {
      token: tokens[i],
      body: { name: createNeighborhoodName('Fuzz') },
    });
    pool.push(created.body.id);
  }
  snapshot = await snapshotTable(table);
});

/** Percent-encodes a value for a URL; a lone surrogate (no UTF-8 form) goes as the bytes a broken client sends. */
const encode = (value: string) => {
  try {
    return encodeURIComponent(value);
  } catch {
    return encodeURIComponent(value.replace(/\p{Cs}/gu, '')).concat('%ED%A0%80');
  }
};

const toPathValue = (value: PathValue) => {
  if ('pool' in value) return pool.length > 0 ? (pool[value.pool % pool.length] as string) : crypto.randomUUID();
  return value.raw ? value.literal : encode(value.literal);
};

/** The concrete request for a generated one: tokens, pooled ids, encoded path and query. */
function resolveRequest(request: FuzzRequest) {
  const op = operations.get(request.operationId);
  if (!op) throw new Error(`unknown operation ${request.operationId}`);
  const path = op.path.replace(/\{([^}]+)\}/g, (_m, name: string) =>
    toPathValue(request.pathValues[name] ?? { literal: '' }),
  );
  const search = request.query.map(([name, value]) => `${encode(name)}=${encode(value)}`).join('&');
  const headers: Record<string, string> = { ...request.headers };
  if (request.auth !== 'none') {
    const authorization =
      'user' in request.auth ? `Bearer ${tokens[request.auth.user]}` : badAuthorizations[request.auth.bad];
    if (authorization) headers.authorization = authorization;
  }
  if (request.contentType) headers['content-type'] = request.contentType;
  const body = request.body && ('json' in request.body ? JSON.stringify(request.body.json) : request.body.text);
  return { method: request.method, path: search ? `${path}?${search}` : path, headers, body };
}

type Sent = ReturnType<typeof resolveRequest>;

function checkResponse(request: FuzzRequest, response: TestResponse) {
  const { status, headers, text } = response;
  if (carriesLegacyId(request)) expect([308, 404], 'a legacy integer id is resolved first').toContain(status);
  else if (request.expected !== undefined) {
    expect(status, `the status for "${request.change}"`).toBe(request.expected);
  }
  if (status >= 500) {
    expect(status, 'a 5xx other than 503').toBe(503);
    expect(headers.get('retry-after'), '503 without Retry-After').toBeTruthy();
  }
  if (status === 429) {
    tooManyRequests += 1;
    expect(quotaOperations, 'a 429 from an operation without quotas').toContain(request.operationId);
    const retryAfter = headers.get('retry-after') ?? '';
    expect(retryAfter, '429 without a positive Retry-After').toMatch(/^[1-9][0-9]*$/);
    const [, quota, seconds] = /^"([a-z-]+)";r=0;t=([0-9]+)$/.exec(headers.get('ratelimit') ?? '') ?? [];
    expect(seconds, 'RateLimit names the quota and its wait, as Retry-After does').toBe(retryAfter);
    expect(headers.get('ratelimit-policy'), 'the refusing quota is in RateLimit-Policy').toContain(`"${quota}";`);
    expect((JSON.parse(text) as { type: string }).type).toBe('https://nbhd.city/problems/too-many-requests');
  }
  if (request.method === 'HEAD') expect(text, 'a body on HEAD').toBe('');
  if (status >= 400 && request.method !== 'HEAD') {
    expect(headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = JSON.parse(text) as { status: number; request_id: string };
    expect(problem.status).toBe(status);
    expect(problem.request_id).toBe(headers.get('x-request-id'));
  }
  if (!['getOpenApiDocument', 'getApiDocs'].includes(request.operationId)) {
    expect(text, 'internal names, paths or stack traces in the response').not.toMatch(internalMarkers);
  }
}

/** After a write succeeds, what it stored reads back valid against the contract (the test app validates bodies). */
async function checkStored(request: FuzzRequest, sent: Sent, response: TestResponse) {
  if (response.status >= 300) return;
  const id =
    request.operationId === 'createNeighborhood'
      ? (response.body as Nbhd).id
      : /^\/api\/nbhds\/([0-9a-f-]{36})/.exec(sent.path)?.[1];
  if (request.operationId === 'createNeighborhood' && id && pool.length < 30) pool.push(id);
  if (request.operationId === 'deleteNeighborhood' && id) pool.splice(pool.indexOf(id), 1);
  if (!id || !['createNeighborhood', 'updateNeighborhood', 'joinNeighborhood'].includes(request.operationId)) return;
  expect((await api.request('GET', `/api/nbhds/${id}`)).status).toBe(200);
  expect((await api.request('GET', `/api/nbhds/${id}/members?limit=100`)).status).toBe(200);
  expect((await api.request('GET', '/api/nbhds?limit=100')).status).toBe(200);
  const caller = request.auth !== 'none' && 'user' in request.auth ? tokens[request.auth.user] : undefined;
  if (caller) expect((await api.request('GET', '/api/users/me/nbhds?limit=100', { token: caller })).status).toBe(200);
}

async function sendAndCheck(request: FuzzRequest) {
  const sent = resolveRequest(request);
  api.calls.reset();
  let response: TestResponse;
  try {
    response = await api.request(sent.method, sent.path, {
      // The contract lists no HEAD operations: HEAD is checked here (no 5xx, no body), not by the validator.
      unchecked: sent.method === 'HEAD',
      headers: sent.headers,
      ...(sent.body !== undefined ? { body: sent.body } : {}),
    });
    checkResponse(request, response);
    if (api.calls.calls.some((call) => writeCommand.test(call.command))) {
      const before = snapshot;
      snapshot = await snapshotTable(table);
      if (response.status >= 400) expect(snapshot, `a refused ${sent.method} changed the table`).toEqual(before);
    }
    await checkStored(request, sent, response);
  } catch (error) {
    const shown = JSON.stringify({ ...sent, body: sent.body?.slice(0, 300) });
    throw new Error(`${(error as Error).message}\nrequest (${request.change}): ${shown}`, { cause: error });
  }
}

describe('every request generated from openapi.yaml is answered as the contract says', () => {
  it(`holds for ${runs} requests, valid and invalid, on every operation (seed ${seed})`, async () => {
    expect(operations.size).toBeGreaterThan(15);
    const arbitrary = arbitraryRequest(spec, { userCount: users.length, badTokenCount: badAuthorizations.length });
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(arbitrary, async (request) => {
        seen.add(request.operationId);
        await sendAndCheck(request);
      }),
      { numRuns: runs, seed, ...(replayPath ? { path: replayPath } : {}), endOnFailure: false },
    );
    if (!replayPath) expect([...operations.keys()].filter((id) => !seen.has(id))).toEqual([]);
    // Hundreds of valid writes by three users against the small quotas above: some must have been refused.
    if (!replayPath && runs >= 1000) expect(tooManyRequests, 'no write was ever refused by a quota').toBeGreaterThan(0);
  }, 600_000);
});
