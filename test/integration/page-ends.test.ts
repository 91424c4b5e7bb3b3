import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Member, Nbhd, NbhdDetail } from '../../server/api-types.js';
import { toUserMembershipsKey } from '../../server/data/membership/keys.js';
import { toNeighborhoodPartition } from '../../server/data/neighborhood/keys.js';
import { type IndexName, toIndexPageKey } from '../../server/data/table/query-page.js';
import { seedMembers } from '../fixtures/members.js';
import { createDid, createNeighborhoodName } from '../fixtures/users.js';
import { createTestDocumentClient } from '../helpers/document-client.js';
import { type TestTable, useTestTable } from '../helpers/dynamodb.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

let api: TestApp;
let table: TestTable;
let clock = new Date('2026-06-01T12:00:00.000Z');
const tick = () => {
  clock = new Date(clock.getTime() + 1000);
};

beforeAll(async () => {
  table = await useTestTable('ends');
  api = await startTestApp(table, { overrides: { now: () => clock } });
});

interface Page<T> {
  items: T[];
  cursor: string | null;
  link: string | null;
}

type PageReader<T> = (limit: number, cursor: string | null) => Promise<Page<T>>;

/** Follows the cursor from the first page; checks on every page that body cursor and Link agree. */
async function readAllPages<T>(readPage: PageReader<T>, limit: number): Promise<Page<T>[]> {
  const pages: Page<T>[] = [];
  let cursor: string | null = null;
  do {
    const page = await readPage(limit, cursor);
    if (page.cursor === null) expect(page.link).toBeNull();
    else expect(page.link).toContain('rel="next"');
    pages.push(page);
    cursor = page.cursor;
  } while (cursor && pages.length <= 100);
  return pages;
}

/** Every limit visits every item once, in one order, and only the last page (full or not) has no cursor. */
async function expectExactPages<T>(readPage: PageReader<T>, all: T[], limits: number[]): Promise<void> {
  for (const limit of limits) {
    const pages = await readAllPages(readPage, limit);
    expect(pages.flatMap((page) => page.items)).toEqual(all);
    expect(pages.map((page) => page.items.length)).toEqual(
      Array.from({ length: Math.ceil(all.length / limit) }, (_, i) => Math.min(limit, all.length - i * limit)),
    );
    expect(pages.map((page) => page.cursor === null)).toEqual(pages.map((_, i) => i === pages.length - 1));
  }
}

async function createNeighborhood(creator: string): Promise<Nbhd> {
  tick();
  const token = await api.tokenFor(creator);
  const response = await api.request<Nbhd>('POST', '/api/nbhds', { token, body: { name: createNeighborhoodName() } });
  expect(response.status).toBe(201);
  return response.body;
}

async function join(nbhdId: string, did: string): Promise<void> {
  tick();
  const response = await api.request('POST', `/api/nbhds/${nbhdId}/join`, { token: await api.tokenFor(did) });
  expect(response.status).toBe(201);
}

const readMembersPage =
  (nbhdId: string): PageReader<string> =>
  async (limit, cursor) => {
    const query = `limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
    const response = await api.request<{ members: Member[]; next_cursor: string | null }>(
      'GET',
      `/api/nbhds/${nbhdId}/members?${query}`,
    );
    expect(response.status).toBe(200);
    const { members, next_cursor } = response.body;
    return { items: members.map((m) => m.user_id), cursor: next_cursor, link: response.headers.get('link') };
  };

describe('the last page announces no next page, however full it is', () => {
  it('pages a neighborhood’s members with limits 1 to 3 and its size, each member once, a cursor on every page but the last', async () => {
    for (const size of [1, 5, 6]) {
      const creator = createDid('host');
      const nbhd = await createNeighborhood(creator);
      const joined = [creator];
      while (joined.length < size) {
        const did = createDid('member');
        await join(nbhd.id, did);
        joined.push(did);
      }
      await expectExactPages(readMembersPage(nbhd.id), [...joined].reverse(), [1, 2, 3, size]);
    }
  });

  it('gives the detail of exactly 100 members no members_next_cursor, and of 101 one that leads to the oldest only', async () => {
    const creator = createDid('full');
    const nbhd = await createNeighborhood(creator);
    await seedMembers(table, nbhd.id, 99, clock);
    const full = await api.request<NbhdDetail>('GET', `/api/nbhds/${nbhd.id}`);
    expect(full.body.members).toHaveLength(100);
    expect(full.body.members_next_cursor).toBeNull();

    await seedMembers(table, nbhd.id, 1, new Date(clock.getTime() + 3_600_000));
    const more = await api.request<NbhdDetail>('GET', `/api/nbhds/${nbhd.id}`);
    expect(more.body.members).toHaveLength(100);
    expect(more.body.members.map((m) => m.user_id)).not.toContain(creator);
    const rest = await readMembersPage(nbhd.id)(100, more.body.members_next_cursor);
    expect(rest).toEqual({ items: [creator], cursor: null, link: null });
  });

  it('pages my neighborhoods with limits 1 to 4, each once, a cursor on every page but the last', async () => {
    const did = createDid('belongs');
    const mine: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      const nbhd = await createNeighborhood(createDid('owner'));
      await join(nbhd.id, did);
      mine.unshift(nbhd.id);
    }
    const token = await api.tokenFor(did);
    const readPage: PageReader<string> = async (limit, cursor) => {
      const query = `limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
      const response = await api.request<{ neighborhoods: Nbhd[]; next_cursor: string | null }>(
        'GET',
        `/api/users/me/nbhds?${query}`,
        { token },
      );
      expect(response.status).toBe(200);
      const { neighborhoods, next_cursor } = response.body;
      return { items: neighborhoods.map((n) => n.id), cursor: next_cursor, link: response.headers.get('link') };
    };
    await expectExactPages(readPage, mine, [1, 2, 3, 4]);
  });

  it('pages all neighborhoods (both GSI1 shards) with limits 1 to 3 and their count, the last page without Link', async () => {
    const all = await api.request<Nbhd[]>('GET', '/api/nbhds?limit=100');
    const ids = all.body.map((n) => n.id);
    expect(ids.length).toBeGreaterThan(3);
    expect(all.headers.get('link')).toBeNull();
    const readPage: PageReader<string> = async (limit, cursor) => {
      const query = `limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
      const response = await api.request<Nbhd[]>('GET', `/api/nbhds?${query}`);
      expect(response.status).toBe(200);
      const link = response.headers.get('link');
      const next = link ? new URLSearchParams(link.match(/<[^?]*\?([^>]*)>/)?.[1]).get('cursor') : null;
      return { items: response.body.map((n) => n.id), cursor: next, link };
    };
    await expectExactPages(readPage, ids, [1, 2, 3, ids.length]);
  });
});

describe('cursor keys', () => {
  it('are built from a page’s last item exactly as DynamoDB’s own LastEvaluatedKey for LSI1 and GSI3', async () => {
    const did = createDid('keys');
    const nbhd = await createNeighborhood(did);
    await join(nbhd.id, createDid('other'));
    const documentClient = createTestDocumentClient(table);
    const queries: Record<'LSI1' | 'GSI3', { name: string; value: string }> = {
      LSI1: { name: 'PK', value: toNeighborhoodPartition(nbhd.id) },
      GSI3: { name: 'user_key', value: toUserMembershipsKey(did) },
    };
    for (const [index, partition] of Object.entries(queries) as [IndexName, { name: string; value: string }][]) {
      const page = await documentClient.send(
        new QueryCommand({
          TableName: table.tableName,
          IndexName: index,
          KeyConditionExpression: '#p = :p',
          ExpressionAttributeNames: { '#p': partition.name },
          ExpressionAttributeValues: { ':p': partition.value },
          ScanIndexForward: false,
          Limit: 1,
        }),
      );
      expect(page.LastEvaluatedKey).toBeDefined();
      expect(toIndexPageKey(index, page.Items?.[0] ?? {})).toEqual(page.LastEvaluatedKey);
    }
  });
});
