import { beforeAll, describe, expect, it } from 'vitest';
import type { Nbhd, NbhdDetail } from '../../server/api-types.js';
import { createDid, createNeighborhoodName } from '../fixtures/users.js';
import { useTestTable } from '../helpers/dynamodb.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

let api: TestApp;
let creator: string;
let creatorToken: string;

beforeAll(async () => {
  api = await startTestApp(await useTestTable('nbhds'));
  creator = createDid('creator');
  creatorToken = await api.tokenFor(creator);
});

async function createNeighborhood(name = createNeighborhoodName(), token = creatorToken) {
  const response = await api.request<Nbhd>('POST', '/api/nbhds', { token, body: { name, description: 'A place' } });
  expect(response.status).toBe(201);
  return response.body;
}

describe('neighborhoods', () => {
  it('creates a neighborhood with the creator as its one member and a Location header', async () => {
    const name = createNeighborhoodName();
    const response = await api.request<Nbhd>('POST', '/api/nbhds', { token: creatorToken, body: { name } });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      name,
      description: null,
      created_by: creator,
      member_count: 1,
      updated_at: null,
    });
    expect(response.headers.get('location')).toBe(`/api/nbhds/${response.body.id}`);
  });

  it('returns 409 when the name is taken in another case', async () => {
    const first = await createNeighborhood();
    const response = await api.request('POST', '/api/nbhds', {
      token: creatorToken,
      body: { name: first.name.toUpperCase() },
    });
    expect(response.status).toBe(409);
    expect(response.body).toMatchObject({ type: 'https://nbhd.city/problems/name-taken' });
  });

  it('shows the detail with METADATA first and the creator among the members', async () => {
    const nbhd = await createNeighborhood();
    const response = await api.request<NbhdDetail>('GET', `/api/nbhds/${nbhd.id}`);
    expect(response.status).toBe(200);
    expect(response.body.member_count).toBe(1);
    expect(response.body.members.map((m) => m.user_id)).toEqual([creator]);
    expect(response.body.members_next_cursor).toBeNull();
  });

  it('lists neighborhoods newest first with a Link to the next page that continues where it stopped', async () => {
    const created = [];
    for (let i = 0; i < 3; i += 1) created.push(await createNeighborhood());
    const first = await api.request<Nbhd[]>('GET', '/api/nbhds?limit=2');
    expect(first.status).toBe(200);
    expect(first.body.map((n) => n.id)).toEqual([created[2]?.id, created[1]?.id]);
    const link = first.headers.get('link');
    expect(link).toMatch(/^<\/api\/nbhds\?cursor=[A-Za-z0-9_-]+&limit=2>; rel="next"$/);
    const next = await api.request<Nbhd[]>('GET', link?.slice(1, link.indexOf('>')) ?? '');
    expect(next.body[0]?.id).toBe(created[0]?.id);
  });

  it('joins and leaves, keeping member_count equal to the members', async () => {
    const nbhd = await createNeighborhood();
    const member = createDid('member');
    const token = await api.tokenFor(member);
    expect((await api.request('POST', `/api/nbhds/${nbhd.id}/join`, { token })).status).toBe(201);
    expect((await api.request('POST', `/api/nbhds/${nbhd.id}/join`, { token })).status).toBe(409);
    const mine = await api.request<{ neighborhoods: Nbhd[] }>('GET', '/api/users/me/nbhds', { token });
    expect(mine.body.neighborhoods.map((n) => n.id)).toEqual([nbhd.id]);
    const detail = await api.request<NbhdDetail>('GET', `/api/nbhds/${nbhd.id}`);
    expect(detail.body.member_count).toBe(2);
    expect((await api.request('DELETE', `/api/nbhds/${nbhd.id}/leave`, { token })).status).toBe(204);
    const left = await api.request('DELETE', `/api/nbhds/${nbhd.id}/leave`, { token });
    expect(left.body).toMatchObject({ status: 404, type: 'https://nbhd.city/problems/not-a-member' });
  });

  it('renames, refuses a non-creator with 403 and deletes', async () => {
    const nbhd = await createNeighborhood();
    const newName = createNeighborhoodName('Renamed');
    const renamed = await api.request<Nbhd>('PATCH', `/api/nbhds/${nbhd.id}`, {
      token: creatorToken,
      body: { name: newName, description: null },
    });
    expect(renamed.body).toMatchObject({ name: newName, description: null });
    // the old name is free again
    await createNeighborhood(nbhd.name);
    const other = await api.tokenFor(createDid('other'));
    expect(
      (await api.request('PATCH', `/api/nbhds/${nbhd.id}`, { token: other, body: { description: 'x' } })).status,
    ).toBe(403);
    expect((await api.request('DELETE', `/api/nbhds/${nbhd.id}`, { token: other })).status).toBe(403);
    expect((await api.request('DELETE', `/api/nbhds/${nbhd.id}`, { token: creatorToken })).status).toBe(204);
    expect((await api.request('GET', `/api/nbhds/${nbhd.id}`)).status).toBe(404);
    await createNeighborhood(newName);
  });
});
