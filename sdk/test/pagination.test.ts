import { describe, expect, it } from 'vitest';
import { createNbhdClient, parseNextLink } from '../src/index.js';
import { json, sampleNbhd, stubFetch } from './helpers/fetch-stub.js';

const baseUrl = 'https://api.example.test';
const nbhdNamed = (name: string) => ({ ...sampleNbhd, id: crypto.randomUUID(), name });
const member = (n: number) => ({
  id: crypto.randomUUID(),
  user_id: `did:plc:user${n}`,
  joined_at: '2026-11-25T10:00:00.000Z',
});

describe('parseNextLink', () => {
  it('finds rel="next" among several links, quoted or not, in any case', () => {
    expect(parseNextLink('</a?cursor=1>; rel="prev", </a?cursor=2>; rel="next"')).toBe('/a?cursor=2');
    expect(parseNextLink('<https://x.test/a?cursor=3>;rel=next')).toBe('https://x.test/a?cursor=3');
    expect(parseNextLink('</a?cursor=4>; title="a, b"; rel="Next last"')).toBe('/a?cursor=4');
  });

  it('returns undefined when there is no next link', () => {
    expect(parseNextLink(null)).toBeUndefined();
    expect(parseNextLink('</a?cursor=1>; rel="prev"')).toBeUndefined();
  });
});

describe('async iterators', () => {
  it('iterateNeighborhoods follows the Link header until there is none', async () => {
    const stub = stubFetch(
      json([nbhdNamed('a'), nbhdNamed('b')], 200, { Link: '</api/nbhds?limit=2&cursor=c1>; rel="next"' }),
      json([nbhdNamed('c'), nbhdNamed('d')], 200, { Link: `<${baseUrl}/api/nbhds?limit=2&cursor=c2>; rel="next"` }),
      json([nbhdNamed('e')]),
    );
    const nbhd = createNbhdClient({ baseUrl, fetch: stub.fetch });

    const names: string[] = [];
    for await (const item of nbhd.iterateNeighborhoods({ limit: 2 })) names.push(item.name);

    expect(names).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(stub.seen.map((request) => request.url.search)).toEqual([
      '?limit=2',
      '?limit=2&cursor=c1',
      '?limit=2&cursor=c2',
    ]);
  });

  it('iterateNeighborhoods fetches no further page when the caller stops early', async () => {
    const stub = stubFetch(json([nbhdNamed('a'), nbhdNamed('b')], 200, { Link: '</api/nbhds?cursor=c1>; rel="next"' }));
    const nbhd = createNbhdClient({ baseUrl, fetch: stub.fetch });

    for await (const item of nbhd.iterateNeighborhoods()) if (item.name === 'a') break;

    expect(stub.seen).toHaveLength(1);
  });

  it('iterateMembers walks next_cursor', async () => {
    const stub = stubFetch(
      json({ members: [member(1), member(2)], next_cursor: 'm1' }),
      json({ members: [member(3)], next_cursor: null }),
    );
    const nbhd = createNbhdClient({ baseUrl, fetch: stub.fetch });

    const users: string[] = [];
    for await (const item of nbhd.iterateMembers(sampleNbhd.id, { limit: 2 })) users.push(item.user_id);

    expect(users).toEqual(['did:plc:user1', 'did:plc:user2', 'did:plc:user3']);
    expect(stub.seen[1]?.url.searchParams.get('cursor')).toBe('m1');
    expect(stub.seen[1]?.url.searchParams.get('limit')).toBe('2');
  });

  it('iterateMyNeighborhoods walks next_cursor with the token', async () => {
    const stub = stubFetch(
      json({ neighborhoods: [nbhdNamed('a')], next_cursor: 'n1' }),
      json({ neighborhoods: [nbhdNamed('b')], next_cursor: null }),
    );
    const nbhd = createNbhdClient({ baseUrl, token: 't', fetch: stub.fetch });

    const names: string[] = [];
    for await (const item of nbhd.iterateMyNeighborhoods()) names.push(item.name);

    expect(names).toEqual(['a', 'b']);
    expect(stub.seen.every((request) => request.headers.get('Authorization') === 'Bearer t')).toBe(true);
  });
});
