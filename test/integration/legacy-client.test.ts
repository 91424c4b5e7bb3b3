import { PutItemCommand } from 'dynamodb-toolbox/entity/actions/put';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSessionTokens } from '../../server/auth/session-tokens.js';
import { createEntities } from '../../server/data/table/entities.js';
import { seedMembers } from '../fixtures/members.js';
import { createTestDocumentClient } from '../helpers/document-client.js';
import { type TestTable, useTestTable } from '../helpers/dynamodb.js';
import { startTestApp, type TestApp, testSecretKey } from '../helpers/test-app.js';

let api: TestApp;
let table: TestTable;

beforeAll(async () => {
  table = await useTestTable('legacy');
  api = await startTestApp(table);
});

/** Headers the legacy React client (axios) sends. */
const axiosHeaders = (token?: string) => ({
  accept: 'application/json, text/plain, */*',
  ...(token ? { authorization: `Bearer ${token}` } : {}),
});

describe("the legacy web client's calls, replayed as it makes them", () => {
  it('logs in with a legacy token, creates, lists, joins, reads and leaves', async () => {
    // A token the Python service issued (same secret, HS256, sub/iat/exp) stays valid.
    const alice = await createSessionTokens({ secretKey: testSecretKey, expireMinutes: 10080 }).issue('did:plc:alice');
    const bob = await createSessionTokens({ secretKey: testSecretKey, expireMinutes: 10080 }).issue('did:plc:bob');

    const me = await api.request('GET', '/auth/me', { headers: axiosHeaders(alice) });
    expect(me.body).toEqual({ user_id: 'did:plc:alice', authenticated: true });

    const created = await api.request<{ id: string; member_count: number }>('POST', '/api/nbhds', {
      headers: { ...axiosHeaders(alice), 'content-type': 'application/json;charset=utf-8' },
      body: { name: 'Legacy Park', description: 'From the old client' },
    });
    expect(created.status).toBe(201);
    expect(created.body.member_count).toBe(1);

    const taken = await api.request<{ detail: string }>('POST', '/api/nbhds', {
      headers: { ...axiosHeaders(bob), 'content-type': 'application/json;charset=utf-8' },
      body: { name: 'legacy park' },
    });
    expect(taken.status).toBe(409);
    expect(taken.body.detail).toMatch(/already exists/);

    const list = await api.request<unknown[]>('GET', '/api/nbhds?skip=0&limit=100', { headers: axiosHeaders() });
    expect(Array.isArray(list.body)).toBe(true);
    expect(list.body).toContainEqual(expect.objectContaining({ id: created.body.id, name: 'Legacy Park' }));

    const joined = await api.request('POST', `/api/nbhds/${created.body.id}/join`, { headers: axiosHeaders(bob) });
    expect(joined.body).toMatchObject({ nbhd_id: created.body.id, message: expect.any(String) });
    const again = await api.request<{ detail: string }>('POST', `/api/nbhds/${created.body.id}/join`, {
      headers: axiosHeaders(bob),
    });
    expect(again.status).toBe(409);
    expect(again.body.detail).toBeTruthy();

    const mine = await api.request<{ neighborhoods: Array<{ id: string }> }>('GET', '/api/users/me/nbhds', {
      headers: axiosHeaders(bob),
    });
    expect(mine.body.neighborhoods.map((n) => n.id)).toEqual([created.body.id]);

    const detail = await api.request<{ members: unknown[]; member_count: number }>(
      'GET',
      `/api/nbhds/${created.body.id}`,
      {
        headers: axiosHeaders(),
      },
    );
    expect(detail.body.member_count).toBe(2);
    expect(detail.body.members).toHaveLength(2);

    const left = await api.request('DELETE', `/api/nbhds/${created.body.id}/leave`, { headers: axiosHeaders(bob) });
    expect(left.status).toBe(204);
    expect(left.text).toBe('');
    const notMember = await api.request<{ detail: string }>('DELETE', `/api/nbhds/${created.body.id}/leave`, {
      headers: axiosHeaders(bob),
    });
    expect(notMember.status).toBe(404);
    expect(notMember.body.detail).toBeTruthy();

    const missing = await api.request<{ detail: string }>('GET', '/api/nbhds/00000000-0000-4000-8000-000000000000', {
      headers: axiosHeaders(),
    });
    expect(missing.status).toBe(404);
    expect(missing.body.detail).toBeTruthy();
  });

  it('follows an old integer-id link (#/nbhds/42) to the neighborhood, and joins and leaves through it', async () => {
    const alice = await api.tokenFor('did:plc:alice');
    const bob = await api.tokenFor('did:plc:bob');
    const created = await api.request<{ id: string }>('POST', '/api/nbhds', {
      headers: { ...axiosHeaders(alice), 'content-type': 'application/json;charset=utf-8' },
      body: { name: 'Bookmarked Row' },
    });
    // What the migration's import writes for legacy neighborhood 42.
    const { legacyIds } = createEntities({
      documentClient: createTestDocumentClient(table),
      tableName: table.tableName,
    });
    await legacyIds.build(PutItemCommand).item({ legacy_id: 42, nbhd_id: created.body.id }).send();

    // The browser's XMLHttpRequest (axios) follows a 308 with the same method, headers and body, as fetch does.
    const call = (method: string, path: string, token?: string) =>
      fetch(`${api.baseUrl}${path}`, { method, headers: axiosHeaders(token) });
    const detail = await call('GET', '/api/nbhds/42');
    expect(detail.status).toBe(200);
    expect(await detail.json()).toMatchObject({ id: created.body.id, name: 'Bookmarked Row' });
    expect((await call('POST', '/api/nbhds/42/join', bob)).status).toBe(201);
    expect((await call('DELETE', '/api/nbhds/42/leave', bob)).status).toBe(204);
    const unknown = await call('GET', '/api/nbhds/4242');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ detail: 'Neighborhood not found' });
  });

  it('treats an expired legacy token as 401 so the client drops it', async () => {
    const expired = await createSessionTokens({
      secretKey: testSecretKey,
      expireMinutes: 1,
      now: () => new Date(Date.now() - 3600_000),
    }).issue('did:plc:alice');
    const response = await api.request('GET', '/auth/me', { headers: axiosHeaders(expired) });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });
});

describe('deleting a neighborhood bigger than one transaction', () => {
  it('removes all 120 memberships in two batches and frees the name', async () => {
    const owner = await api.tokenFor('did:plc:big-owner');
    const nbhd = await api.request<{ id: string }>('POST', '/api/nbhds', {
      token: owner,
      body: { name: 'Huge Commons' },
    });
    await seedMembers(table, nbhd.body.id, 119, new Date());
    expect((await api.request('DELETE', `/api/nbhds/${nbhd.body.id}`, { token: owner })).status).toBe(204);
    expect((await api.request('GET', `/api/nbhds/${nbhd.body.id}`)).status).toBe(404);
    expect((await api.request('GET', '/api/users/me/nbhds', { token: owner })).body).toEqual({
      neighborhoods: [],
      next_cursor: null,
    });
    expect((await api.request('POST', '/api/nbhds', { token: owner, body: { name: 'HUGE COMMONS' } })).status).toBe(
      201,
    );
  });
});
