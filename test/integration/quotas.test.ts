import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Nbhd, NbhdDetail } from '../../server/api-types.js';
import type { Problem } from '../../server/errors.js';
import { createDid, createNeighborhoodName } from '../fixtures/users.js';
import { type TestTable, useTestTable } from '../helpers/dynamodb.js';
import { snapshotTable } from '../helpers/table-snapshot.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

// A clock the test moves: windows are fixed, so Retry-After and the next window are exact.
let clock = Date.parse('2026-12-07T10:00:20Z');
let table: TestTable;
let api: TestApp;

beforeAll(async () => {
  table = await useTestTable('quotas');
  api = await startTestApp(table, {
    env: {
      QUOTA_MEMBERSHIP: '5/60',
      QUOTA_MEMBERSHIP_NBHD: '3/60',
      QUOTA_CREATE: '2/86400',
      QUOTA_UPDATE: '1/3600',
      QUOTA_DELETE: '1/86400',
      QUOTA_TEST_LOGIN: '3/900',
      BSKY_USERNAME: 'tester.bsky.social',
      BSKY_PASSWORD: 'right-password',
    },
    overrides: { now: () => new Date(clock) },
  });
});

async function create(token: string, name = createNeighborhoodName()) {
  return api.request<Nbhd>('POST', '/api/nbhds', { token, body: { name } });
}

function expectRefusal(response: { status: number; headers: Headers; body: unknown }, quota: string, retry: number) {
  expect(response.status).toBe(429);
  const problem = response.body as Problem;
  expect(problem.type).toBe('https://nbhd.city/problems/too-many-requests');
  expect(problem.detail).toContain(`quota "${quota}"`);
  expect(response.headers.get('retry-after')).toBe(String(retry));
  expect(response.headers.get('ratelimit')).toBe(`"${quota}";r=0;t=${retry}`);
}

describe('per-user quotas', () => {
  it('announces the quotas of every write in RateLimit-Policy', async () => {
    const token = await api.tokenFor(createDid('policy'));
    const created = await create(token);
    expect(created.headers.get('ratelimit-policy')).toBe('"create";q=2;w=86400');
    const joiner = await api.tokenFor(createDid('policy-joiner'));
    const joined = await api.request('POST', `/api/nbhds/${created.body.id}/join`, { token: joiner });
    expect(joined.headers.get('ratelimit-policy')).toBe('"membership";q=5;w=60, "membership-nbhd";q=3;w=60');
  });

  it('returns 429 with Retry-After to a user flapping on one neighborhood, changes nothing, and lets others join', async () => {
    const owner = await api.tokenFor(createDid('owner'));
    const nbhd = (await create(owner)).body;
    const flapper = await api.tokenFor(createDid('flapper'));
    const path = `/api/nbhds/${nbhd.id}`;
    expect((await api.request('POST', `${path}/join`, { token: flapper })).status).toBe(201);
    expect((await api.request('DELETE', `${path}/leave`, { token: flapper })).status).toBe(204);
    expect((await api.request('POST', `${path}/join`, { token: flapper })).status).toBe(201);
    const before = await snapshotTable(table);
    api.calls.reset();
    // 10:00:20 in the window 10:00:00–10:01:00: 40 s left.
    expectRefusal(await api.request('DELETE', `${path}/leave`, { token: flapper }), 'membership-nbhd', 40);
    expect(api.calls.calls.map((call) => call.command)).toEqual(['TransactWriteItemsCommand']);
    // Remembered until the window ends: refused again without a call.
    api.calls.reset();
    expectRefusal(await api.request('DELETE', `${path}/leave`, { token: flapper }), 'membership-nbhd', 40);
    expect(api.calls.calls).toEqual([]);
    expect(await snapshotTable(table)).toEqual(before);

    const other = await api.tokenFor(createDid('neighbor'));
    expect((await api.request('POST', `${path}/join`, { token: other })).status).toBe(201);
    const detail = await api.request<NbhdDetail>('GET', path);
    expect(detail.body.member_count).toBe(3);
    expect(detail.body.members).toHaveLength(3);

    // The next window counts from zero.
    clock += 40_000;
    expect((await api.request('DELETE', `${path}/leave`, { token: flapper })).status).toBe(204);
  });

  it('counts all of a user joins and leaves across neighborhoods', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) ids.push((await create(await api.tokenFor(createDid('o')))).body.id);
    const user = await api.tokenFor(createDid('busy'));
    const statuses = [];
    for (const id of ids) {
      statuses.push((await api.request('POST', `/api/nbhds/${id}/join`, { token: user })).status);
      statuses.push((await api.request('DELETE', `/api/nbhds/${id}/leave`, { token: user })).status);
    }
    expect(statuses).toEqual([201, 204, 201, 204, 201, 429]);
  });

  it('refuses a third create in a day without claiming its name', async () => {
    const token = await api.tokenFor(createDid('creator'));
    expect((await create(token)).status).toBe(201);
    expect((await create(token)).status).toBe(201);
    const name = createNeighborhoodName('Squat');
    const refused = await create(token, name);
    expect(refused.status).toBe(429);
    expect((refused.body as unknown as Problem).detail).toContain('quota "create"');
    expect((await create(await api.tokenFor(createDid('someone-else')), name)).status).toBe(201);
  });

  it('refuses a second update in the hour and leaves the name as it was', async () => {
    const token = await api.tokenFor(createDid('renamer'));
    const nbhd = (await create(token)).body;
    const renamed = await api.request<Nbhd>('PATCH', `/api/nbhds/${nbhd.id}`, {
      token,
      body: { name: createNeighborhoodName('Renamed') },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.headers.get('ratelimit-policy')).toBe('"update";q=1;w=3600');
    const before = await snapshotTable(table);
    const refused = await api.request('PATCH', `/api/nbhds/${nbhd.id}`, { token, body: { description: 'again' } });
    expect(refused.status).toBe(429);
    expect(await snapshotTable(table)).toEqual(before);
  });

  it('refuses a second delete in the day and leaves the neighborhood listed and joinable', async () => {
    const token = await api.tokenFor(createDid('deleter'));
    const first = (await create(token)).body;
    expect((await api.request('DELETE', `/api/nbhds/${first.id}`, { token })).status).toBe(204);
    const mine = (await create(token)).body;
    const before = await snapshotTable(table);
    const refused = await api.request('DELETE', `/api/nbhds/${mine.id}`, { token });
    expect(refused.status).toBe(429);
    expect(await snapshotTable(table)).toEqual(before);
    const joiner = await api.tokenFor(createDid('late-joiner'));
    expect((await api.request('POST', `/api/nbhds/${mine.id}/join`, { token: joiner })).status).toBe(201);
  });

  it('gives the legacy web client (axios, from the web origin) the detail to show and lets it read the wait', async () => {
    const owner = await api.tokenFor(createDid('legacy-owner'));
    const nbhd = (await create(owner)).body;
    const user = await api.tokenFor(createDid('legacy-user'));
    const headers = { accept: 'application/json, text/plain, */*', origin: api.config.frontendUrl };
    const path = `/api/nbhds/${nbhd.id}`;
    for (const [method, action] of [
      ['POST', 'join'],
      ['DELETE', 'leave'],
      ['POST', 'join'],
    ] as const) {
      await api.request(method, `${path}/${action}`, { token: user, headers });
    }
    const refused = await api.request<{ detail: string }>('DELETE', `${path}/leave`, { token: user, headers });
    expect(refused.status).toBe(429);
    expect(refused.body.detail).toMatch(/^Too many joins and leaves of this neighborhood .*; retry in \d+ s\.$/);
    const exposed = (refused.headers.get('access-control-expose-headers') ?? '').split(',');
    expect(exposed).toEqual(expect.arrayContaining(['Retry-After', 'RateLimit', 'RateLimit-Policy']));
  });

  it('refuses the test login with 429 for the rest of the window after three wrong passwords from one client', async () => {
    const attempt = (password: string) =>
      api.request('POST', '/auth/test-login', { body: { username: 'tester.bsky.social', password } });
    expect((await attempt('right-password')).status).toBe(200);
    for (let i = 0; i < 3; i += 1) expect((await attempt(`wrong-${i}`)).status).toBe(401);
    const windowEnd = (Math.floor(clock / 900_000) + 1) * 900;
    const retry = windowEnd - Math.floor(clock / 1000);
    // Locked: the right password too.
    expectRefusal(await attempt('right-password'), 'test-login', retry);
    clock = windowEnd * 1000;
    expect((await attempt('right-password')).status).toBe(200);
  });

  it('keeps counters as their own small items: QUOTA#{digest} partitions, entity quota, with the TTL attribute', async () => {
    const { Items = [] } = await table.client.send(new ScanCommand({ TableName: table.tableName }));
    const counters = Items.map((item) => unmarshall(item)).filter((item) => String(item.PK).startsWith('QUOTA#'));
    expect(counters.length).toBeGreaterThan(0);
    for (const counter of counters) {
      expect(counter._et).toBe('quota');
      expect(counter.PK).toMatch(/^QUOTA#[A-Za-z0-9_-]{43}$/);
      expect(counter.SK).toBe(`${counter.limit}#${counter.window_start}`);
      expect(counter.expires_at).toBeGreaterThan(counter.window_start);
      expect(typeof counter.count).toBe('number');
    }
  });
});
