import { request as httpRequest } from 'node:http';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Nbhd } from '../../server/api-types.js';
import { createDid, createNeighborhoodName } from '../fixtures/users.js';
import { type TestTable, useTestTable } from '../helpers/dynamodb.js';
import { snapshotTable } from '../helpers/table-snapshot.js';
import { startTestApp, type TestApp, testSecretKey } from '../helpers/test-app.js';

let api: TestApp;
let table: TestTable;
let token: string;
let nbhd: Nbhd;
let before: string[];

beforeAll(async () => {
  table = await useTestTable('edges');
  api = await startTestApp(table);
  token = await api.tokenFor(createDid('owner'));
  nbhd = (await api.request<Nbhd>('POST', '/api/nbhds', { token, body: { name: createNeighborhoodName() } })).body;
  before = await snapshotTable(table);
});

afterAll(async () => {
  expect(await snapshotTable(table)).toEqual(before);
});

interface ProblemBody {
  type: string;
  detail: string;
  instance: string;
  errors?: Array<{ location: string; pointer: string; message: string }>;
}

describe('integer query parameters: plain decimal digits only, finite and in range', () => {
  const lists = () => ['/api/nbhds', `/api/nbhds/${nbhd.id}/members`, '/api/users/me/nbhds'];
  const refused = [
    'Infinity',
    '-Infinity',
    '1e400',
    '9'.repeat(400),
    '0x10',
    '%2B5',
    '1e1',
    '%205',
    '5%20',
    '5.0',
    '-0',
  ];

  it.each(refused)(
    'answers 400 "limit must be a whole number from 1 to 100" for limit=%s on the three lists',
    async (value) => {
      for (const path of lists()) {
        const response = await api.request<ProblemBody>('GET', `${path}?limit=${value}`, { token });
        expect(response.status, path).toBe(400);
        expect(response.body.detail).toBe('limit must be a whole number from 1 to 100');
        expect(response.body.errors).toEqual([
          { location: 'query', pointer: '/limit', message: 'limit must be a whole number from 1 to 100' },
        ]);
      }
    },
  );

  it.each(['1e400', 'Infinity', '9'.repeat(400), '-1', '10001'])(
    'answers 400 for skip=%s, never 500',
    async (value) => {
      const response = await api.request<ProblemBody>('GET', `/api/nbhds?skip=${value}`);
      expect(response.status).toBe(400);
      expect(response.body.detail).toBe('skip must be a whole number from 0 to 10000');
    },
  );

  it('accepts plain digits, leading zeros included', async () => {
    for (const value of ['1', '100', '007']) {
      expect((await api.request('GET', `/api/nbhds?limit=${value}`)).status).toBe(200);
    }
    expect((await api.request('GET', '/api/nbhds?skip=0')).status).toBe(200);
  });
});

describe("the token's sub must be a DID of the contract's schema", () => {
  const signWithSub = (sub: string) => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(sub)
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .sign(new TextEncoder().encode(testSecretKey));
  };
  const bearerOperations = (): Array<[string, string, unknown?]> => [
    ['POST', '/api/nbhds', { name: createNeighborhoodName() }],
    ['PATCH', `/api/nbhds/${nbhd.id}`, { description: 'x' }],
    ['DELETE', `/api/nbhds/${nbhd.id}`],
    ['POST', `/api/nbhds/${nbhd.id}/join`],
    ['DELETE', `/api/nbhds/${nbhd.id}/leave`],
    ['GET', '/api/users/me/nbhds'],
    ['GET', '/auth/me'],
  ];
  const badSubs = [
    'did:',
    'did:plc:',
    'did:plc:<script>alert(1)</script>',
    'did:plc:a b/../c',
    'did:plc:a\u0000b',
    'did:plc:ends-with-colon:',
    'did:plc:ends-with-percent%',
    'DID:plc:abc',
    `did:plc:${'a'.repeat(505)}`,
  ];

  it.each(badSubs)('answers 401 with WWW-Authenticate for a correctly signed token whose sub is %j', async (sub) => {
    const badToken = await signWithSub(sub);
    for (const [method, path, body] of bearerOperations()) {
      const response = await api.request(method, path, { token: badToken, ...(body ? { body } : {}) });
      expect(response.status, `${method} ${path}`).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
  });

  it('accepts the test-login user, a 512-character DID and a did:web', async () => {
    for (const did of ['did:plc:test-user', `did:plc:${'a'.repeat(504)}`, 'did:web:example.com%3A8080']) {
      const response = await api.request<{ user_id: string }>('GET', '/auth/me', { token: await signWithSub(did) });
      expect(response.status, did).toBe(200);
      expect(response.body.user_id).toBe(did);
    }
  });
});

describe('names and descriptions must be valid Unicode', () => {
  it.each([
    ['a lone high surrogate', { name: 'Park \ud800' }],
    ['a lone low surrogate', { name: 'Park \udc00 East' }],
    ['a lone surrogate in the description', { name: createNeighborhoodName(), description: 'x\ud83d' }],
  ])('answers 400 for %s, and says why', async (_label, body) => {
    const response = await api.request<ProblemBody>('POST', '/api/nbhds', { token, body });
    expect(response.status).toBe(400);
    expect(response.body.detail).toMatch(/^(name|description) must be valid Unicode text/);
  });

  it('accepts a name with a paired surrogate (an emoji)', async () => {
    const name = `Park 🌳 ${createNeighborhoodName()}`;
    const response = await api.request<Nbhd>('POST', '/api/nbhds', { token, body: { name } });
    expect(response.status).toBe(201);
    expect(response.body.name).toBe(name);
    before = await snapshotTable(table);
  });
});

describe('problem documents keep to the Problem schema', () => {
  it.each([
    ['/api/nbhds/%', '/api/nbhds/%25'],
    ['/api/nbhds/%E0%A4%A', '/api/nbhds/%E0%A4%25A'],
    ['/api/nbhds/%zz/members', '/api/nbhds/%25zz/members'],
  ])('answers %s with a URI-reference instance', async (path, instance) => {
    const response = await api.request<ProblemBody>('GET', path);
    expect(response.status).toBe(400);
    expect(response.body.instance).toBe(instance);
  });

  it('escapes errors[].pointer as RFC 6901 asks', async () => {
    for (const [property, pointer] of [
      ['~', '/~0'],
      ['a/b', '/a~1b'],
    ]) {
      const response = await api.request<ProblemBody>('POST', '/api/nbhds', {
        token,
        body: { name: createNeighborhoodName(), [property as string]: 1 },
      });
      expect(response.status).toBe(400);
      expect(response.body.errors?.[0]?.pointer).toBe(pointer);
      expect(response.body.detail).toBe(`${JSON.stringify(property)} is not an accepted field`);
    }
  });
});

describe('a 400 says what is wrong in plain words', () => {
  it.each([
    [{ name: ' Park' }, 'name must not begin or end with spaces'],
    [{ name: 'Park ' }, 'name must not begin or end with spaces'],
    [{ name: 'Pa\nrk' }, 'name must not contain control characters'],
    [{ name: '' }, 'name must not be empty'],
    [{ name: 'x'.repeat(101) }, 'name must be at most 100 characters'],
    [{ name: 5 }, 'name must be text'],
    [{ description: 'x' }, 'name is required'],
    [[], 'the body must be a JSON object'],
  ])('POST /api/nbhds with %j → %s', async (body, detail) => {
    const response = await api.request<ProblemBody>('POST', '/api/nbhds', { token, body });
    expect(response.status).toBe(400);
    expect(response.body.detail).toBe(detail);
  });

  it.each([
    [{}, 'the body must have at least one field'],
    [{ description: 5 }, 'description must be text or null'],
    [{ description: 'x\ud83d' }, 'description must be valid Unicode text (it has an unpaired surrogate)'],
  ])('PATCH with %j → %s', async (body, detail) => {
    const response = await api.request<ProblemBody>('PATCH', `/api/nbhds/${nbhd.id}`, { token, body });
    expect(response.status).toBe(400);
    expect(response.body.detail).toBe(detail);
  });

  it('says what an Idempotency-Key must be', async () => {
    const response = await api.request<ProblemBody>('POST', '/api/nbhds', {
      token,
      headers: { 'idempotency-key': 'a b' },
      body: { name: createNeighborhoodName() },
    });
    expect(response.body.detail).toBe(
      'idempotency-key is not in the expected format (1–255 visible ASCII characters (no spaces))',
    );
  });

  it('summarises several reasons in one detail', async () => {
    const response = await api.request<ProblemBody>('PATCH', '/api/nbhds/not-a-uuid', { token, body: { name: ' x' } });
    expect(response.status).toBe(400);
    expect(response.body.detail).toBe(
      'nbhd_id must be a UUID or a legacy integer id (decimal digits, no leading zero); name must not begin or end with spaces',
    );
    expect(response.body.errors).toHaveLength(2);
  });

  it('names an unknown or empty query parameter', async () => {
    expect((await api.request<ProblemBody>('GET', '/api/nbhds?sort=name')).body.detail).toBe(
      'sort is not a query parameter of this operation',
    );
    expect((await api.request<ProblemBody>('GET', '/api/nbhds?limit=')).body.detail).toBe('limit must not be empty');
  });
});

describe('edges of HTTP', () => {
  it('answers oversized headers with a 431 problem and an X-Request-Id', async () => {
    const { status, headers, body } = await new Promise<{
      status: number;
      headers: Record<string, unknown>;
      body: string;
    }>((resolve, reject) => {
      const req = httpRequest(`${api.baseUrl}/api/nbhds`, { headers: { 'x-big': 'a'.repeat(20_000) } }, (res) => {
        let text = '';
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(431);
    expect(headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(headers['x-request-id']).toBeTruthy();
    expect(JSON.parse(body)).toMatchObject({
      type: 'https://nbhd.city/problems/request-header-fields-too-large',
      status: 431,
      request_id: headers['x-request-id'],
    });
  });

  it.each(['/api/nbhds', '/health', '/api/users/me/nbhds'])('answers HEAD %s as GET, without a body', async (path) => {
    const get = await api.request('GET', path, { token });
    const head = await api.request('HEAD', path, { token, unchecked: true });
    expect(head.status).toBe(get.status);
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
    expect(head.headers.get('content-type')).toBe(get.headers.get('content-type'));
  });

  it('answers HEAD on an unknown path with 404', async () => {
    const head = await api.request('HEAD', '/no/such/route', { unchecked: true });
    expect(head.status).toBe(404);
  });
});
