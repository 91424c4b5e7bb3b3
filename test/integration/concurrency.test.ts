import { beforeAll, describe, expect, it } from 'vitest';
import type { Nbhd, NbhdDetail } from '../../server/api-types.js';
import { createDid, createNeighborhoodName } from '../fixtures/users.js';
import { useTestTable } from '../helpers/dynamodb.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

let api: TestApp;

beforeAll(async () => {
  api = await startTestApp(await useTestTable('concurrency'));
});

async function createNeighborhood(): Promise<Nbhd> {
  const token = await api.tokenFor(createDid('creator'));
  return (await api.request<Nbhd>('POST', '/api/nbhds', { token, body: { name: createNeighborhoodName() } })).body;
}

async function countMembers(id: string): Promise<{ count: number; members: number }> {
  const detail = await api.request<NbhdDetail>('GET', `/api/nbhds/${id}`);
  return { count: detail.body.member_count, members: detail.body.members.length };
}

describe('under concurrency', () => {
  it('50 different users joining one neighborhood at once give member_count 51 and 51 members', async () => {
    const nbhd = await createNeighborhood();
    const tokens = await Promise.all(Array.from({ length: 50 }, () => api.tokenFor(createDid('joiner'))));
    const responses = await Promise.all(
      tokens.map((token) => api.request('POST', `/api/nbhds/${nbhd.id}/join`, { token })),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(201));
    expect(await countMembers(nbhd.id)).toEqual({ count: 51, members: 51 });
  });

  it('20 creates at once with names differing only in case give exactly one 201, the rest 409', async () => {
    const base = createNeighborhoodName('Race');
    const variants = Array.from({ length: 20 }, (_, i) =>
      [...base].map((ch, j) => ((i >> (j % 5)) & 1 ? ch.toUpperCase() : ch.toLowerCase())).join(''),
    );
    const token = await api.tokenFor(createDid('racer'));
    const responses = await Promise.all(
      variants.map((name) => api.request('POST', '/api/nbhds', { token, body: { name } })),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([201, ...Array(19).fill(409)]);
  });

  it('a user joining and leaving the same neighborhood in parallel leaves member_count equal to the members', async () => {
    const nbhd = await createNeighborhood();
    const token = await api.tokenFor(createDid('flapper'));
    const operations = Array.from({ length: 20 }, (_, i) =>
      i % 2 === 0
        ? api.request('POST', `/api/nbhds/${nbhd.id}/join`, { token })
        : api.request('DELETE', `/api/nbhds/${nbhd.id}/leave`, { token }),
    );
    const statuses = (await Promise.all(operations)).map((r) => r.status);
    expect(statuses.every((s) => [201, 204, 404, 409].includes(s))).toBe(true);
    const { count, members } = await countMembers(nbhd.id);
    expect(count).toBe(members);
  });

  it('deleting a neighborhood while users join leaves no members and frees its name', async () => {
    const creatorDid = createDid('deleter');
    const creatorToken = await api.tokenFor(creatorDid);
    const name = createNeighborhoodName('Doomed');
    const nbhd = (await api.request<Nbhd>('POST', '/api/nbhds', { token: creatorToken, body: { name } })).body;
    const tokens = await Promise.all(Array.from({ length: 10 }, () => api.tokenFor(createDid('late'))));
    const [deleted] = await Promise.all([
      api.request('DELETE', `/api/nbhds/${nbhd.id}`, { token: creatorToken }),
      ...tokens.map((token) => api.request('POST', `/api/nbhds/${nbhd.id}/join`, { token })),
    ]);
    expect(deleted?.status).toBe(204);
    expect((await api.request('GET', `/api/nbhds/${nbhd.id}/members`)).status).toBe(404);
    const mine = await api.request<{ neighborhoods: Nbhd[] }>('GET', '/api/users/me/nbhds', {
      token: tokens[0] as string,
    });
    expect(mine.body.neighborhoods).toEqual([]);
    expect((await api.request('POST', '/api/nbhds', { token: creatorToken, body: { name } })).status).toBe(201);
  });
});
