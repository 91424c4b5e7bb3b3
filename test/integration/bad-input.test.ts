import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Nbhd } from '../../server/api-types.js';
import { createBadTokens } from '../fixtures/bad-tokens.js';
import { createDid, createNeighborhoodName } from '../fixtures/users.js';
import { type TestTable, useTestTable } from '../helpers/dynamodb.js';
import { snapshotTable } from '../helpers/table-snapshot.js';
import { startTestApp, type TestApp, testSecretKey } from '../helpers/test-app.js';

let api: TestApp;
let table: TestTable;
let token: string;
let nbhd: Nbhd;
let before: string[];
const missingId = '00000000-0000-4000-8000-000000000000';

beforeAll(async () => {
  table = await useTestTable('bad-input');
  api = await startTestApp(table);
  const did = createDid('owner');
  token = await api.tokenFor(did);
  nbhd = (await api.request<Nbhd>('POST', '/api/nbhds', { token, body: { name: createNeighborhoodName() } })).body;
  before = await snapshotTable(table);
});

afterAll(async () => {
  // Nothing any bad request did may have reached the table.
  expect(await snapshotTable(table)).toEqual(before);
});

const bearerOperations = (id: string): Array<[string, string, unknown?]> => [
  ['POST', '/api/nbhds', { name: 'Valid Name' }],
  ['PATCH', `/api/nbhds/${id}`, { description: 'x' }],
  ['DELETE', `/api/nbhds/${id}`],
  ['POST', `/api/nbhds/${id}/join`],
  ['DELETE', `/api/nbhds/${id}/leave`],
  ['GET', '/api/users/me/nbhds'],
  ['GET', '/auth/me'],
  ['POST', '/auth/logout'],
];

describe('refused tokens', () => {
  it('answers 401 problem + WWW-Authenticate: Bearer for every bad token on every bearer operation', async () => {
    const badTokens = await createBadTokens(testSecretKey, createDid('attacker'));
    for (const [label, authorization] of badTokens) {
      for (const [method, path, body] of bearerOperations(nbhd.id)) {
        const response = await api.request(method, path, {
          headers: authorization ? { authorization } : {},
          ...(body !== undefined ? { body } : {}),
        });
        expect(response.status, `${label}: ${method} ${path}`).toBe(401);
        expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
        expect(response.body).toMatchObject({ type: 'https://nbhd.city/problems/unauthorized' });
      }
    }
  });
});

const long = (n: number) => 'a'.repeat(n);

describe('invalid bodies', () => {
  const createCases: Array<[label: string, body: unknown, type: string, status?: number, contentType?: string]> = [
    ['malformed JSON', '{"name": "x"', 'malformed-json'],
    ['a JSON array', '[]', 'validation-error'],
    ['a number for name', { name: 5 }, 'validation-error'],
    ['no name', { description: 'x' }, 'validation-error'],
    ['an extra field', { name: 'Fine', owner: 'me' }, 'validation-error'],
    ['an empty name', { name: '' }, 'validation-error'],
    ['a 101-character name', { name: long(101) }, 'validation-error'],
    ['a blank name', { name: '   ' }, 'validation-error'],
    ['a name starting with a space', { name: ' Park' }, 'validation-error'],
    ['a name with a NUL', { name: 'Pa\u0000rk' }, 'validation-error'],
    ['a name with a newline', { name: 'Pa\nrk' }, 'validation-error'],
    ['a 1001-character description', { name: 'Fine', description: long(1001) }, 'validation-error'],
    ['a description with a bell character', { name: 'Fine', description: 'ding\u0007' }, 'validation-error'],
    ['a text/plain body', 'name=x', 'unsupported-media-type', 415, 'text/plain'],
    ['a form body', 'name=x', 'unsupported-media-type', 415, 'application/x-www-form-urlencoded'],
    ['a 20 KiB body', { name: 'Fine', description: long(20 * 1024) }, 'payload-too-large', 413],
  ];

  it.each(createCases)('POST /api/nbhds refuses %s', async (_label, body, type, status = 400, contentType) => {
    const response = await api.request('POST', '/api/nbhds', {
      token,
      body,
      ...(contentType ? { headers: { 'content-type': contentType } } : {}),
    });
    expect(response.status).toBe(status);
    expect(response.body).toMatchObject({ type: `https://nbhd.city/problems/${type}`, status });
  });

  it('answers 415 for a create without a body or Content-Type, before looking at anything else', async () => {
    const response = await api.request('POST', '/api/nbhds?unknown=1', { token });
    expect(response.status).toBe(415);
    expect(response.body).toMatchObject({ type: 'https://nbhd.city/problems/unsupported-media-type' });
  });

  it('accepts a JSON body whose Content-Type has parameters', async () => {
    const response = await api.request('POST', '/api/nbhds', {
      token,
      headers: { 'content-type': 'Application/JSON; Charset=UTF-8' },
      body: { name: createNeighborhoodName() },
    });
    expect(response.status).toBe(201);
    before = await snapshotTable(table);
  });

  it('points at the offending field', async () => {
    const response = await api.request('POST', '/api/nbhds', { token, body: { name: long(101) } });
    expect(response.body).toMatchObject({ errors: [{ location: 'body', pointer: '/name' }] });
  });

  const patchCases: Array<[string, unknown]> = [
    ['an empty object', {}],
    ['a null name', { name: null }],
    ['an extra field', { created_by: 'did:plc:me' }],
    ['a blank name', { name: ' ' }],
  ];
  it.each(patchCases)('PATCH refuses %s', async (_label, body) => {
    const response = await api.request('PATCH', `/api/nbhds/${nbhd.id}`, { token, body });
    expect(response.status).toBe(400);
  });

  it('POST /auth/test-login refuses a body without password', async () => {
    const response = await api.request('POST', '/auth/test-login', { body: { username: 'x' } });
    expect(response.status).toBe(400);
  });
});

describe('invalid ids, queries and headers', () => {
  const requests: Array<[string, string, string, number?]> = [
    ['GET', '/api/nbhds/not-a-uuid', 'validation-error'],
    ['PATCH', '/api/nbhds/not-a-uuid', 'validation-error'],
    ['DELETE', '/api/nbhds/not-a-uuid', 'validation-error'],
    ['POST', '/api/nbhds/not-a-uuid/join', 'validation-error'],
    ['DELETE', '/api/nbhds/not-a-uuid/leave', 'validation-error'],
    ['GET', '/api/nbhds/not-a-uuid/members', 'validation-error'],
    ['GET', '/api/nbhds?limit=0', 'validation-error'],
    ['GET', '/api/nbhds?limit=101', 'validation-error'],
    ['GET', '/api/nbhds?limit=-1', 'validation-error'],
    ['GET', '/api/nbhds?limit=abc', 'validation-error'],
    ['GET', '/api/nbhds?limit=1.5', 'validation-error'],
    ['GET', '/api/nbhds?skip=-1', 'validation-error'],
    ['GET', '/api/nbhds?skip=10001', 'validation-error'],
    ['GET', '/api/nbhds?cursor=%21%21%21', 'validation-error'],
    ['GET', `/api/nbhds?cursor=${long(1025)}`, 'validation-error'],
    ['GET', '/api/nbhds?cursor=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'invalid-cursor'],
    ['GET', '/api/nbhds?unknown=1', 'validation-error'],
    ['GET', `/api/nbhds/${'x'}/members?limit=0`, 'validation-error'],
    ['GET', '/api/users/me/nbhds?limit=0', 'validation-error'],
    ['GET', '/api/users/me/nbhds?cursor=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'invalid-cursor'],
    ['GET', '/health?deep=maybe', 'validation-error'],
    ['GET', '/api/nbhds?limit=', 'validation-error'],
    ['GET', '/auth/login?return_url=https://nbhd.city', 'validation-error'],
    ['GET', '/no/such/route', 'not-found', 404],
    ['PUT', '/api/nbhds', 'not-found', 404],
    ['DELETE', '/health', 'not-found', 404],
  ];
  it.each(requests)('%s %s → %s', async (method, path, type, status = 400) => {
    const body = method === 'PATCH' ? { description: 'x' } : undefined;
    const response = await api.request(method, path, { token, ...(body ? { body } : {}) });
    expect(response.status).toBe(status);
    expect(response.body).toMatchObject({ type: `https://nbhd.city/problems/${type}` });
  });

  it('refuses a cursor from another list with 400 invalid-cursor', async () => {
    for (let i = 0; i < 2; i += 1)
      await api.request('POST', `/api/nbhds/${nbhd.id}/join`, { token: await api.tokenFor(createDid()) });
    const members = await api.request<{ next_cursor: string }>('GET', `/api/nbhds/${nbhd.id}/members?limit=1`);
    expect(members.body.next_cursor).toBeTruthy();
    const response = await api.request('GET', `/api/nbhds?cursor=${members.body.next_cursor}`);
    expect(response.body).toMatchObject({ status: 400, type: 'https://nbhd.city/problems/invalid-cursor' });
    before = await snapshotTable(table);
  });

  it.each([
    ['too long', long(256)],
    ['with a space', 'a b'],
  ])('refuses an Idempotency-Key %s', async (_label, key) => {
    const response = await api.request('POST', '/api/nbhds', {
      token,
      headers: { 'idempotency-key': key },
      body: { name: createNeighborhoodName() },
    });
    expect(response.status).toBe(400);
  });

  it('answers 404 for a well-formed id that does not exist, on every operation', async () => {
    for (const [method, path, body] of [
      ['GET', `/api/nbhds/${missingId}`],
      ['GET', `/api/nbhds/${missingId}/members`],
      ['PATCH', `/api/nbhds/${missingId}`, { description: 'x' }],
      ['PATCH', `/api/nbhds/${missingId}`, { name: createNeighborhoodName() }],
      ['DELETE', `/api/nbhds/${missingId}`],
      ['POST', `/api/nbhds/${missingId}/join`],
      ['DELETE', `/api/nbhds/${missingId}/leave`],
    ] as Array<[string, string, unknown?]>) {
      const response = await api.request(method, path, { token, ...(body ? { body } : {}) });
      expect(response.status, `${method} ${path}`).toBe(404);
    }
  });
});
