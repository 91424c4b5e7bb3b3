import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSessionTokens } from '../../server/auth/session-tokens.js';
import { type LegacyBlue, startLegacyBlue } from '../../tooling/legacy-blue/server.js';
import { signHs256 } from '../fixtures/hs256-token.js';
import { usePostgres } from '../helpers/postgres.js';

const secretKey = 'blue-test-secret';
const postgres = usePostgres();
let blue: LegacyBlue;
let sql: pg.Client;
const tokens = createSessionTokens({ secretKey, expireMinutes: 60 });
const alice = 'did:plc:aliceaaaaaaaaaaaaaaaaaaa';
const bob = 'did:plc:bobbbbbbbbbbbbbbbbbbbbbb';

async function call(method: string, path: string, did?: string, body?: unknown) {
  const headers: Record<string, string> = {};
  if (did) headers.authorization = `Bearer ${await tokens.issue(did)}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${blue.baseUrl}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

beforeAll(async () => {
  const databaseUrl = await postgres.createLegacyDatabase();
  blue = await startLegacyBlue({ databaseUrl, secretKey });
  sql = new pg.Client({ connectionString: databaseUrl });
  await sql.connect();
});
afterAll(async () => {
  await sql?.end();
  await blue?.close();
});

describe('the blue stand-in (legacy API on PostgreSQL)', () => {
  it('creates a neighborhood and its creator membership in one transaction, timestamps from DEFAULT now()', async () => {
    const created = await call('POST', '/api/nbhds', alice, { name: 'Oak Park', description: 'Trees' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Oak Park', description: 'Trees', created_by: alice, member_count: 1 });
    expect(Number.isInteger(created.body.id)).toBe(true);
    const { rows } = await sql.query(
      `SELECT n.created_at = n.updated_at AS same_update, n.created_at = m.joined_at AS same_txn, m.user_id
       FROM neighborhoods n JOIN memberships m ON m.neighborhood_id = n.id WHERE n.id = $1`,
      [created.body.id],
    );
    // now() is the transaction's start: equal timestamps mean one transaction wrote both rows.
    expect(rows).toEqual([{ same_update: true, same_txn: true, user_id: alice }]);
  });

  it('answers 409 for the exact name and accepts it in another case (the legacy index is case-sensitive)', async () => {
    expect((await call('POST', '/api/nbhds', bob, { name: 'Oak Park' })).body).toEqual({
      detail: 'Neighborhood name already exists',
    });
    expect((await call('POST', '/api/nbhds', bob, { name: 'Oak Park' })).status).toBe(409);
    const other = await call('POST', '/api/nbhds', bob, { name: 'oak park' });
    expect(other.status).toBe(201);
    expect(other.body.description).toBeNull();
    const { rows } = await sql.query("SELECT count(*)::int AS n FROM neighborhoods WHERE name = 'Oak Park'");
    expect(rows[0].n).toBe(1);
  });

  it('refuses a name longer than 100 characters with 422 and writes nothing', async () => {
    const before = (await sql.query('SELECT count(*)::int AS n FROM neighborhoods')).rows[0].n;
    expect((await call('POST', '/api/nbhds', bob, { name: 'x'.repeat(101) })).status).toBe(422);
    expect((await call('POST', '/api/nbhds', bob, { name: '🌳'.repeat(100) })).status).toBe(201);
    expect((await sql.query('SELECT count(*)::int AS n FROM neighborhoods')).rows[0].n).toBe(before + 1);
  });

  it('joins once (201), then 409; 404 for a neighborhood that does not exist', async () => {
    const nbhd = (await call('POST', '/api/nbhds', alice, { name: 'Joinville' })).body;
    const joined = await call('POST', `/api/nbhds/${nbhd.id}/join`, bob);
    expect(joined.status).toBe(201);
    expect(joined.body.nbhd_id).toBe(nbhd.id);
    expect((await call('POST', `/api/nbhds/${nbhd.id}/join`, bob)).status).toBe(409);
    expect((await call('POST', '/api/nbhds/999999/join', bob)).status).toBe(404);
    const detail = await call('GET', `/api/nbhds/${nbhd.id}`);
    expect(detail.body.member_count).toBe(2);
    expect(detail.body.members.map((m: { user_id: string }) => m.user_id).sort()).toEqual([alice, bob].sort());
  });

  it('leave really deletes the membership row (204), and a second leave is 404', async () => {
    const nbhd = (await call('POST', '/api/nbhds', alice, { name: 'Leaveton' })).body;
    await call('POST', `/api/nbhds/${nbhd.id}/join`, bob);
    expect((await call('DELETE', `/api/nbhds/${nbhd.id}/leave`, bob)).status).toBe(204);
    const { rows } = await sql.query('SELECT user_id FROM memberships WHERE neighborhood_id = $1', [nbhd.id]);
    expect(rows).toEqual([{ user_id: alice }]);
    expect((await call('DELETE', `/api/nbhds/${nbhd.id}/leave`, bob)).status).toBe(404);
  });

  it('lists newest first with member counts, pages with skip/limit, and lists the user own neighborhoods', async () => {
    const list = await call('GET', '/api/nbhds?skip=0&limit=100');
    const names = list.body.map((n: { name: string }) => n.name);
    expect(names.slice(0, 2)).toEqual(['Leaveton', 'Joinville']);
    expect(list.body.find((n: { name: string }) => n.name === 'Joinville').member_count).toBe(2);
    expect((await call('GET', '/api/nbhds?skip=1&limit=1')).body.map((n: { name: string }) => n.name)).toEqual([
      'Joinville',
    ]);
    const mine = await call('GET', '/api/users/me/nbhds', bob);
    expect(mine.body.neighborhoods.map((n: { name: string }) => n.name)).toEqual([
      'Joinville',
      '🌳'.repeat(100),
      'oak park',
    ]);
    expect((await call('GET', '/api/nbhds/123456')).status).toBe(404);
    expect((await call('GET', '/api/nbhds/abc')).status).toBe(422);
  });

  it('accepts a PyJWT-style HS256 token for /auth/me and answers 401 with WWW-Authenticate otherwise', async () => {
    const exp = Math.floor(Date.now() / 1000) + 600;
    const token = signHs256({ alg: 'HS256', typ: 'JWT' }, { sub: alice, exp }, secretKey);
    const me = await fetch(`${blue.baseUrl}/auth/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(await me.json()).toEqual({ user_id: alice, authenticated: true });
    const expired = signHs256({ alg: 'HS256', typ: 'JWT' }, { sub: alice, exp: exp - 3600 }, secretKey);
    const refused = await fetch(`${blue.baseUrl}/auth/me`, { headers: { authorization: `Bearer ${expired}` } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBe('Bearer');
    expect((await refused.json()).detail).toBeTypeOf('string');
    expect((await call('POST', '/api/nbhds', undefined, { name: 'Nobody' })).status).toBe(401);
  });
});
