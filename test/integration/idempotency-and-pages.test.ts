import { beforeAll, describe, expect, it } from 'vitest';
import type { Member, Nbhd, NbhdDetail } from '../../server/api-types.js';
import { seedMembers } from '../fixtures/members.js';
import { createDid, createNeighborhoodName } from '../fixtures/users.js';
import { type TestTable, useTestTable } from '../helpers/dynamodb.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

let api: TestApp;
let table: TestTable;
let clock = new Date('2026-06-01T12:00:00.000Z');

beforeAll(async () => {
  table = await useTestTable('idem');
  api = await startTestApp(table, { overrides: { now: () => clock } });
});

const tick = (ms = 1000) => {
  clock = new Date(clock.getTime() + ms);
};

describe('Idempotency-Key on create', () => {
  it('replays the first 201 (same body, same id) with Idempotent-Replayed: true', async () => {
    const token = await api.tokenFor(createDid());
    const body = { name: createNeighborhoodName(), description: 'once' };
    const headers = { 'idempotency-key': 'create-1' };
    const first = await api.request<Nbhd>('POST', '/api/nbhds', { token, headers, body });
    const again = await api.request<Nbhd>('POST', '/api/nbhds', {
      token,
      headers,
      body: { description: 'once', name: body.name },
    });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(first.headers.get('idempotent-replayed')).toBeNull();
  });

  it('answers 5 concurrent retries with the same key with one neighborhood, the others replayed', async () => {
    const token = await api.tokenFor(createDid());
    const body = { name: createNeighborhoodName() };
    const headers = { 'idempotency-key': 'concurrent-1' };
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => api.request<Nbhd>('POST', '/api/nbhds', { token, headers, body })),
    );
    expect(responses.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
    expect(responses.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(4);
  });

  it('answers 422 when the key is reused with a different body', async () => {
    const token = await api.tokenFor(createDid());
    const headers = { 'idempotency-key': 'create-2' };
    await api.request('POST', '/api/nbhds', { token, headers, body: { name: createNeighborhoodName() } });
    const reused = await api.request('POST', '/api/nbhds', {
      token,
      headers,
      body: { name: createNeighborhoodName() },
    });
    expect(reused.status).toBe(422);
    expect(reused.body).toMatchObject({ type: 'https://nbhd.city/problems/idempotency-key-reused' });
  });

  it('forgets a key after 24 hours even though DynamoDB Local never deletes by TTL', async () => {
    const token = await api.tokenFor(createDid());
    const headers = { 'idempotency-key': 'create-3' };
    await api.request('POST', '/api/nbhds', { token, headers, body: { name: createNeighborhoodName() } });
    tick(24 * 3600 * 1000 + 1000);
    const later = await api.request<Nbhd>('POST', '/api/nbhds', {
      token,
      headers,
      body: { name: createNeighborhoodName() },
    });
    expect(later.status).toBe(201);
    expect(later.headers.get('idempotent-replayed')).toBeNull();
  });

  it('keeps keys per user: the same key from another user is a new request', async () => {
    const headers = { 'idempotency-key': 'shared-key' };
    const a = await api.request('POST', '/api/nbhds', {
      token: await api.tokenFor(createDid()),
      headers,
      body: { name: createNeighborhoodName() },
    });
    const b = await api.request('POST', '/api/nbhds', {
      token: await api.tokenFor(createDid()),
      headers,
      body: { name: createNeighborhoodName() },
    });
    expect([a.status, b.status]).toEqual([201, 201]);
  });
});

describe('pages', () => {
  it('pages through 130 members (129 seeded): 100 in the detail, the rest via members_next_cursor, newest first within a page', async () => {
    const creator = await api.tokenFor(createDid('big'));
    tick();
    const nbhd = (
      await api.request<Nbhd>('POST', '/api/nbhds', { token: creator, body: { name: createNeighborhoodName() } })
    ).body;
    await seedMembers(table, nbhd.id, 129, clock);
    const detail = await api.request<NbhdDetail>('GET', `/api/nbhds/${nbhd.id}`);
    expect(detail.body.member_count).toBe(130);
    expect(detail.body.members).toHaveLength(100);
    const joined = detail.body.members.map((m) => m.joined_at);
    expect(joined).toEqual([...joined].sort().reverse());
    const seen = new Set(detail.body.members.map((m) => m.user_id));
    let cursor = detail.body.members_next_cursor;
    while (cursor) {
      const page = await api.request<{ members: Member[]; next_cursor: string | null }>(
        'GET',
        `/api/nbhds/${nbhd.id}/members?limit=20&cursor=${cursor}`,
      );
      for (const member of page.body.members) seen.add(member.user_id);
      cursor = page.body.next_cursor;
    }
    expect(seen.size).toBe(130);
  });

  it('lists my neighborhoods newest joined first across pages', async () => {
    const did = createDid('joiner');
    const token = await api.tokenFor(did);
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      tick();
      const other = await api.tokenFor(createDid());
      const nbhd = (
        await api.request<Nbhd>('POST', '/api/nbhds', { token: other, body: { name: createNeighborhoodName() } })
      ).body;
      tick();
      await api.request('POST', `/api/nbhds/${nbhd.id}/join`, { token });
      ids.unshift(nbhd.id);
    }
    const first = await api.request<{ neighborhoods: Nbhd[]; next_cursor: string }>(
      'GET',
      '/api/users/me/nbhds?limit=3',
      { token },
    );
    expect(first.headers.get('link')).toContain('rel="next"');
    const second = await api.request<{ neighborhoods: Nbhd[]; next_cursor: string | null }>(
      'GET',
      `/api/users/me/nbhds?limit=3&cursor=${first.body.next_cursor}`,
      { token },
    );
    expect([...first.body.neighborhoods, ...second.body.neighborhoods].map((n) => n.id)).toEqual(ids);
    // another user's cursor is refused
    const stranger = await api.tokenFor(createDid());
    const foreign = await api.request('GET', `/api/users/me/nbhds?cursor=${first.body.next_cursor}`, {
      token: stranger,
    });
    expect(foreign.status).toBe(400);
  });

  it('supports the legacy skip offset', async () => {
    const all = await api.request<Nbhd[]>('GET', '/api/nbhds?limit=5');
    const skipped = await api.request<Nbhd[]>('GET', '/api/nbhds?skip=2&limit=3');
    expect(skipped.body.map((n) => n.id)).toEqual(all.body.slice(2, 5).map((n) => n.id));
  });
});
