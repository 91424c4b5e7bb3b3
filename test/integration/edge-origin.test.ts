import { beforeAll, describe, expect, it } from 'vitest';
import type { Problem } from '../../server/errors.js';
import { edgeSecretHeader, viewerAddressHeader } from '../../server/http/edge-origin.js';
import { createHttpApiEvent, lambdaContext } from '../../tooling/lambda-events.js';
import { createDid, createNeighborhoodName } from '../fixtures/users.js';
import { type TestTable, useTestTable } from '../helpers/dynamodb.js';
import { snapshotTable } from '../helpers/table-snapshot.js';
import { startTestApp } from '../helpers/test-app.js';
import { createTestLambdaHandler, type LambdaResult } from '../helpers/test-lambda.js';

// The stack's distribution sends this (generated: 64 letters and digits) to API Gateway with every request.
const edgeSecret = 'Q9w8E7r6T5y4U3i2O1p0A9s8D7f6G5h4J3k2L1z0X9c8V7b6N5m4Q3w2E1r0T9y8';
// API Gateway's source address behind CloudFront: one of CloudFront's servers, the same for many viewers.
const cloudFrontServer = '130.176.2.10';
const testLogin = { username: 'tester.bsky.social', password: 'right-password' };

let table: TestTable;

/** A Lambda handler over the real app, as the stack runs it (HTTP API events), with the given settings. */
function startHandler(env: Record<string, string>) {
  // A fixed clock: the lockout's window is fixed, so no window ends in the middle of a test.
  const handler = createTestLambdaHandler(table, {
    env: {
      BSKY_USERNAME: testLogin.username,
      BSKY_PASSWORD: testLogin.password,
      QUOTA_TEST_LOGIN: '2/900',
      ...env,
    },
    overrides: { now: () => new Date('2026-12-08T10:00:20Z') },
  });
  return async (input: { password: string; sourceIp: string; headers?: Record<string, string> }) => {
    const event = createHttpApiEvent({
      method: 'POST',
      path: '/auth/test-login',
      headers: { 'content-type': 'application/json', ...input.headers },
      body: JSON.stringify({ username: testLogin.username, password: input.password }),
      sourceIp: input.sourceIp,
    });
    const result = (await handler(event, lambdaContext as never)) as LambdaResult;
    return { status: result.statusCode, body: JSON.parse(result.body) as Problem };
  };
}

beforeAll(async () => {
  table = await useTestTable('edge-origin');
});

describe('behind the edge (EDGE_ORIGIN_SECRET set)', () => {
  it("refuses, with 403 and no change, whatever does not carry the distribution's secret: API Gateway's own address", async () => {
    const api = await startTestApp(table, { env: { EDGE_ORIGIN_SECRET: edgeSecret } });
    const token = await api.tokenFor(createDid('edge-bypass'));
    const before = await snapshotTable(table);
    const wrong: Record<string, string>[] = [{}, { [edgeSecretHeader]: `${edgeSecret}x` }, { [edgeSecretHeader]: '' }];
    for (const headers of wrong) {
      const refused = await api.request<Problem>('POST', '/api/nbhds', {
        token,
        headers,
        body: { name: createNeighborhoodName() },
        unchecked: true,
      });
      expect(refused.status).toBe(403);
      expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(refused.body).toMatchObject({
        type: 'https://nbhd.city/problems/forbidden',
        status: 403,
        detail: "This address does not serve the API: use the API's published URL",
        instance: '/api/nbhds',
      });
      expect(refused.body.request_id).toBe(refused.headers.get('x-request-id'));
    }
    expect(await snapshotTable(table)).toEqual(before);
    // Through the edge: served as always, checked against the contract.
    const created = await api.request('POST', '/api/nbhds', {
      token,
      headers: { [edgeSecretHeader]: edgeSecret },
      body: { name: createNeighborhoodName() },
    });
    expect(created.status).toBe(201);
    expect((await api.request('GET', '/health', { headers: { [edgeSecretHeader]: edgeSecret } })).status).toBe(200);
  });

  it("locks out the viewer CloudFront names, not CloudFront's server everyone behind it shares", async () => {
    const attempt = startHandler({ EDGE_ORIGIN_SECRET: edgeSecret });
    const viewer = (address: string) => ({
      sourceIp: cloudFrontServer,
      headers: { [edgeSecretHeader]: edgeSecret, [viewerAddressHeader]: address },
    });
    const attacker = viewer('198.51.100.23:50123');
    for (let i = 0; i < 2; i += 1) expect((await attempt({ ...attacker, password: `wrong-${i}` })).status).toBe(401);
    const locked = await attempt({ ...attacker, password: testLogin.password });
    expect(locked.status).toBe(429);
    expect(locked.body.detail).toMatch(/^Too many wrong passwords from this client \(quota "test-login"/);
    // The same viewer from another port is the same client.
    expect((await attempt({ ...viewer('198.51.100.23:61000'), password: testLogin.password })).status).toBe(429);
    // Someone else at the same edge location, through the same CloudFront server, is not locked out.
    expect((await attempt({ ...viewer('203.0.113.99:40000'), password: testLogin.password })).status).toBe(200);
    // An IPv6 viewer (CloudFront writes it unbracketed, the port after the last colon) is a client of its own.
    expect((await attempt({ ...viewer('2001:db8::7:443'), password: 'wrong' })).status).toBe(401);
  });
});

describe('IPv6 clients', () => {
  it('are counted by their /64, so a subscriber holding a prefix cannot try again from each of its addresses', async () => {
    const attempt = startHandler({ EDGE_ORIGIN_SECRET: edgeSecret });
    const viewer = (address: string) => ({
      sourceIp: cloudFrontServer,
      headers: { [edgeSecretHeader]: edgeSecret, [viewerAddressHeader]: `${address}:443` },
    });
    expect((await attempt({ ...viewer('2001:db8:0:1::a'), password: 'wrong-1' })).status).toBe(401);
    expect((await attempt({ ...viewer('2001:db8:0:1:ffff::b'), password: 'wrong-2' })).status).toBe(401);
    expect((await attempt({ ...viewer('2001:db8:0:1::c'), password: testLogin.password })).status).toBe(429);
    expect((await attempt({ ...viewer('2001:db8:0:2::a'), password: testLogin.password })).status).toBe(200);
  });
});

describe('without the edge', () => {
  it('ignores a forged CloudFront-Viewer-Address: the lockout counts the address API Gateway saw', async () => {
    const attempt = startHandler({});
    const sourceIp = '192.0.2.44';
    const forged = (n: number) => ({ sourceIp, headers: { [viewerAddressHeader]: `10.0.0.${n}:1000` } });
    for (let i = 0; i < 2; i += 1) expect((await attempt({ ...forged(i), password: `wrong-${i}` })).status).toBe(401);
    expect((await attempt({ ...forged(9), password: testLogin.password })).status).toBe(429);
    expect((await attempt({ sourceIp: '192.0.2.45', password: testLogin.password })).status).toBe(200);
  });
});
