import { PutItemCommand } from 'dynamodb-toolbox/entity/actions/put';
import { beforeAll, describe, expect, it } from 'vitest';
import { createNbhdClient } from '../../sdk/src/index.js';
import { createEntities } from '../../server/data/table/entities.js';
import { createTestDocumentClient } from '../helpers/document-client.js';
import { type TestTable, useTestTable } from '../helpers/dynamodb.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

let api: TestApp;
let table: TestTable;
let nbhdId: string;
let creator: string;

/** Maps a legacy integer id to a UUID the way the migration's import and sync do: through the entity. */
async function mapLegacyId(legacyId: number, id: string) {
  const { legacyIds } = createEntities({ documentClient: createTestDocumentClient(table), tableName: table.tableName });
  await legacyIds.build(PutItemCommand).item({ legacy_id: legacyId, nbhd_id: id }).send();
}

beforeAll(async () => {
  table = await useTestTable('legacy-ids');
  api = await startTestApp(table);
  creator = await api.tokenFor('did:plc:creator');
  const created = await api.request<{ id: string }>('POST', '/api/nbhds', {
    token: creator,
    body: { name: 'Old Town' },
  });
  nbhdId = created.body.id;
  await mapLegacyId(42, nbhdId);
});

describe('legacy integer ids on neighborhood paths', () => {
  it('answers 308 to the same path with the UUID, query kept, after one GetItem', async () => {
    api.calls.reset();
    const detail = await api.request('GET', '/api/nbhds/42');
    expect(detail.status).toBe(308);
    expect(detail.headers.get('location')).toBe(`/api/nbhds/${nbhdId}`);
    expect(api.calls.calls.map((c) => c.command)).toEqual(['GetItemCommand']);

    const members = await api.request('GET', '/api/nbhds/42/members?limit=1&cursor=abc');
    expect(members.status).toBe(308);
    expect(members.headers.get('location')).toBe(`/api/nbhds/${nbhdId}/members?limit=1&cursor=abc`);
    for (const [method, path] of [
      ['POST', '/api/nbhds/42/join'],
      ['DELETE', '/api/nbhds/42/leave'],
      ['PATCH', '/api/nbhds/42'],
      ['DELETE', '/api/nbhds/42'],
    ] as const) {
      const response = await api.request(method, path);
      expect([method, path, response.status]).toEqual([method, path, 308]);
      expect(response.headers.get('location')).toBe(path.replace('/42', `/${nbhdId}`));
    }
  });

  it('answers 404 for an integer no neighborhood had, including ones beyond PostgreSQL integer', async () => {
    for (const path of ['/api/nbhds/43', '/api/nbhds/43/join', '/api/nbhds/2147483648']) {
      const response = await api.request<{ status: number; detail: string }>('GET', path);
      expect([path, response.status]).toEqual([path, 404]);
      expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(response.body.detail).toBe('Neighborhood not found');
    }
  });

  it('answers 400 for digits that cannot be a legacy id (leading zero, 11 digits)', async () => {
    for (const path of ['/api/nbhds/042', '/api/nbhds/12345678901', '/api/nbhds/0']) {
      const response = await api.request('GET', path);
      expect([path, response.status]).toEqual([path, 400]);
    }
  });

  it('lets a client that follows redirects join, rename and leave with the old id (method and body kept)', async () => {
    const bob = await api.tokenFor('did:plc:bob');
    const send = (method: string, path: string, token: string, body?: unknown) =>
      fetch(`${api.baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    const joined = await send('POST', '/api/nbhds/42/join', bob);
    expect(joined.status).toBe(201);
    expect(joined.url).toBe(`${api.baseUrl}/api/nbhds/${nbhdId}/join`);
    expect(await joined.json()).toMatchObject({ nbhd_id: nbhdId });

    const renamed = await send('PATCH', '/api/nbhds/42', creator, { name: 'Old Town East' });
    expect(renamed.status).toBe(200);
    expect(await renamed.json()).toMatchObject({ id: nbhdId, name: 'Old Town East' });

    const left = await send('DELETE', '/api/nbhds/42/leave', bob);
    expect(left.status).toBe(204);
    const after = await api.request<{ member_count: number }>('GET', `/api/nbhds/${nbhdId}`);
    expect(after.body.member_count).toBe(1);
  });

  it('works through the SDK: reads, joins and leaves by legacy id', async () => {
    const sdk = createNbhdClient({ baseUrl: api.baseUrl, token: await api.tokenFor('did:plc:carol') });
    const detail = await sdk.getNeighborhood('42');
    expect(detail.id).toBe(nbhdId);
    const joined = await sdk.joinNeighborhood('42');
    expect(joined.nbhd_id).toBe(nbhdId);
    expect((await sdk.getNeighborhood(nbhdId)).member_count).toBe(2);
    await sdk.leaveNeighborhood('42');
    expect((await sdk.getNeighborhood(nbhdId)).member_count).toBe(1);
    const page = await sdk.listMembers('42', { limit: 1 });
    expect(page.members).toHaveLength(1);
    const owner = createNbhdClient({ baseUrl: api.baseUrl, token: creator });
    expect(await owner.updateNeighborhood('42', { description: 'Since 1890' })).toMatchObject({
      id: nbhdId,
      description: 'Since 1890',
    });
  });

  it('redirects an old link of a neighborhood deleted since to its UUID, which answers 404', async () => {
    const created = await api.request<{ id: string }>('POST', '/api/nbhds', { token: creator, body: { name: 'Gone' } });
    await mapLegacyId(7, created.body.id);
    expect((await api.request('DELETE', `/api/nbhds/${created.body.id}`, { token: creator })).status).toBe(204);
    const followed = await fetch(`${api.baseUrl}/api/nbhds/7`);
    expect(followed.url).toBe(`${api.baseUrl}/api/nbhds/${created.body.id}`);
    expect(followed.status).toBe(404);
  });
});
