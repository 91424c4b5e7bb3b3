import { beforeAll, describe, expect, it } from 'vitest';
import type { Member, Nbhd, NbhdDetail } from '../../server/api-types.js';
import { listShards, toListShard } from '../../server/data/neighborhood/keys.js';
import { createDid, createNeighborhoodName } from '../fixtures/users.js';
import { useTestTable } from '../helpers/dynamodb.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

let api: TestApp;
let clock = new Date('2026-06-01T12:00:00.000Z');
const tick = (ms = 1000) => {
  clock = new Date(clock.getTime() + ms);
};

beforeAll(async () => {
  api = await startTestApp(await useTestTable('order'), { overrides: { now: () => clock } });
});

interface MembersPage {
  members: Member[];
  next_cursor: string | null;
}

async function createNeighborhood(creator: string): Promise<Nbhd> {
  const token = await api.tokenFor(creator);
  const response = await api.request<Nbhd>('POST', '/api/nbhds', { token, body: { name: createNeighborhoodName() } });
  expect(response.status).toBe(201);
  return response.body;
}

async function join(nbhdId: string, did: string): Promise<void> {
  const response = await api.request('POST', `/api/nbhds/${nbhdId}/join`, { token: await api.tokenFor(did) });
  expect(response.status).toBe(201);
}

async function leave(nbhdId: string, did: string): Promise<void> {
  const response = await api.request('DELETE', `/api/nbhds/${nbhdId}/leave`, { token: await api.tokenFor(did) });
  expect(response.status).toBe(204);
}

async function readMembersPage(nbhdId: string, limit: number, cursor?: string | null): Promise<MembersPage> {
  const query = `limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
  const response = await api.request<MembersPage>('GET', `/api/nbhds/${nbhdId}/members?${query}`);
  expect(response.status).toBe(200);
  return response.body;
}

describe('members newest first', () => {
  it('shows in the detail the 100 members who joined last, newest first, whatever their DIDs (106 members)', async () => {
    const creator = createDid('first');
    const nbhd = await createNeighborhood(creator);
    const joined = [creator];
    for (let i = 0; i < 105; i += 1) {
      tick();
      // DIDs sort in the opposite order to joining: the partition's key order says nothing about recency.
      const did = `did:plc:z${String(999 - i).padStart(3, '0')}-${createDid('m').slice(-8)}`;
      await join(nbhd.id, did);
      joined.push(did);
    }
    const detail = await api.request<NbhdDetail>('GET', `/api/nbhds/${nbhd.id}`);
    expect(detail.body.member_count).toBe(106);
    expect(detail.body.members.map((m) => m.user_id)).toEqual([...joined].reverse().slice(0, 100));
    const rest = await readMembersPage(nbhd.id, 100, detail.body.members_next_cursor);
    expect(rest.members.map((m) => m.user_id)).toEqual([...joined].reverse().slice(100));
    expect(rest.next_cursor).toBeNull();
  });

  it('continues one order across cursors, with no repeat or gap, while members join and leave between pages', async () => {
    const nbhd = await createNeighborhood(createDid('host'));
    const members: string[] = [];
    for (let i = 0; i < 40; i += 1) {
      // Groups of five share an instant, so pages also break inside a tie.
      if (i % 5 === 0) tick();
      const did = createDid(`p${i}`);
      await join(nbhd.id, did);
      members.push(did);
    }
    const first = await readMembersPage(nbhd.id, 7);
    const order = [...first.members.map((m) => m.user_id)];
    const seenThenLeft = order[2] as string;
    const expectedOrder = (await readAllMembers(nbhd.id)).filter((did) => did !== seenThenLeft);
    const notYetSeen = expectedOrder[30] as string;
    let cursor = first.next_cursor;
    let round = 0;
    while (cursor) {
      // Between pages: two newcomers, one member already listed leaves, one not yet listed leaves.
      tick();
      await join(nbhd.id, createDid(`late${round}a`));
      await join(nbhd.id, createDid(`late${round}b`));
      if (round === 0) {
        await leave(nbhd.id, seenThenLeft);
        await leave(nbhd.id, notYetSeen);
      }
      const page = await readMembersPage(nbhd.id, 7, cursor);
      order.push(...page.members.map((m) => m.user_id));
      cursor = page.next_cursor;
      round += 1;
    }
    const expected = [...first.members.map((m) => m.user_id), ...expectedOrder.slice(first.members.length - 1)];
    expect(order).toEqual(expected.filter((did) => did !== notYetSeen));
    expect(new Set(order).size).toBe(order.length);
    // And that one order is newest joined first (groups of five joined at one instant, the host before all).
    const groupOf = (did: string) => Math.floor(members.indexOf(did) / 5);
    expect(expectedOrder.map(groupOf)).toEqual(expectedOrder.map(groupOf).sort((a, b) => b - a));
  });
});

describe('neighborhoods newest first', () => {
  it('lists every neighborhood once, newest first, across both GSI1 shards and pages, while others are created and deleted', async () => {
    const creator = createDid('lister');
    const token = await api.tokenFor(creator);
    const created: string[] = [];
    // At least 9, and until both shards hold some (ids are random).
    while (created.length < 9 || new Set(created.map((id) => toListShard(id))).size < listShards.length) {
      tick();
      created.push((await createNeighborhood(creator)).id);
    }
    const before = await api.request<Nbhd[]>('GET', '/api/nbhds?limit=100');
    const expected = before.body.map((n) => n.id);
    expect(expected.slice(0, created.length)).toEqual([...created].reverse());
    const seen: string[] = [];
    let path: string | undefined = '/api/nbhds?limit=4';
    let round = 0;
    while (path) {
      const page: Awaited<ReturnType<typeof api.request<Nbhd[]>>> = await api.request<Nbhd[]>('GET', path);
      expect(page.status).toBe(200);
      seen.push(...page.body.map((n) => n.id));
      path = page.headers.get('link')?.match(/<([^>]+)>; rel="next"/)?.[1];
      if (round === 0) {
        tick();
        await createNeighborhood(creator); // newer than the first page: not in later ones
        const gone = created[2] as string; // not listed yet
        expect((await api.request('DELETE', `/api/nbhds/${gone}`, { token })).status).toBe(204);
      }
      round += 1;
    }
    expect(seen).toEqual(expected.filter((id) => id !== created[2]));
  });
});

async function readAllMembers(nbhdId: string): Promise<string[]> {
  const all: string[] = [];
  let cursor: string | null | undefined;
  do {
    const page = await readMembersPage(nbhdId, 100, cursor);
    all.push(...page.members.map((m) => m.user_id));
    cursor = page.next_cursor;
  } while (cursor);
  return all;
}
