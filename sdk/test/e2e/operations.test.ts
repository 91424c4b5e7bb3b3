import { beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../../test/helpers/test-app.js';
import { NbhdApiError } from '../../src/index.js';
import { createClientFor, startE2eServer, testCredentials } from '../helpers/e2e-server.js';

let api: TestApp;
let alice: Awaited<ReturnType<typeof createClientFor>>;
let bob: Awaited<ReturnType<typeof createClientFor>>;
let anonymous: Awaited<ReturnType<typeof createClientFor>>;
const missingId = '00000000-0000-4000-8000-000000000000';

/** Runs a call that must fail and returns its NbhdApiError. */
async function failure(call: Promise<unknown>): Promise<NbhdApiError> {
  const error = await call.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(NbhdApiError);
  return error as NbhdApiError;
}

beforeAll(async () => {
  api = await startE2eServer('sdk-e2e');
  alice = await createClientFor(api, 'did:plc:alice');
  bob = await createClientFor(api, 'did:plc:bob');
  anonymous = await createClientFor(api);
});

describe('SDK against the real server: service and auth operations', () => {
  it('reads the welcome, health (also deep), the contract and the docs page', async () => {
    await expect(anonymous.getWelcome()).resolves.toEqual({ message: 'Welcome to nbhd.city API' });
    await expect(anonymous.getHealth()).resolves.toMatchObject({ status: 'healthy' });
    await expect(anonymous.getHealth({ deep: true })).resolves.toMatchObject({ status: 'healthy' });
    await expect(anonymous.getOpenApiDocument()).resolves.toMatch(/^openapi: 3\.1/);
    await expect(anonymous.getApiDocs()).resolves.toContain('redoc');
  });

  it('logs in with test-login, and the token works for getCurrentUser and logout', async () => {
    const login = await anonymous.testLogin({
      username: testCredentials.BSKY_USERNAME,
      password: testCredentials.BSKY_PASSWORD,
    });
    expect(login).toMatchObject({ token_type: 'bearer', user: { id: 'did:plc:test-user' } });
    const user = await createClientFor(api, undefined, { getToken: async () => login.access_token });

    await expect(user.getCurrentUser()).resolves.toEqual({ user_id: 'did:plc:test-user', authenticated: true });
    await expect(user.logout()).resolves.toHaveProperty('message');
  });

  it('throws typed 401s for wrong credentials and a missing token', async () => {
    const wrong = await failure(anonymous.testLogin({ username: 'nobody', password: 'wrong-password' }));
    expect(wrong).toMatchObject({ status: 401, type: 'https://nbhd.city/problems/invalid-credentials' });

    const noToken = await failure(anonymous.getCurrentUser());
    expect(noToken).toMatchObject({ status: 401, type: 'https://nbhd.city/problems/unauthorized' });
    expect(noToken.requestId).toBe(noToken.response.headers.get('X-Request-Id'));
    expect(noToken.response.headers.get('WWW-Authenticate')).toMatch(/^Bearer/);
  });

  it('surfaces the Bluesky operations this server has no OAuth client for as typed errors, without waiting an hour', async () => {
    // This server runs without the OAuth router: login answers 503 with Retry-After 3600, beyond the retry bound.
    const started = performance.now();
    expect(await failure(alice.startLogin({ handle: 'alice.test' }))).toMatchObject({ status: 503 });
    expect(await failure(alice.completeLogin({ code: 'c', state: 's' }))).toMatchObject({ status: 503 });
    expect(await failure(alice.getProfile())).toMatchObject({ status: 503 });
    expect(performance.now() - started).toBeLessThan(5000);
    // Without an OAuth client the server answers these with 404, a status the contract does not list for them,
    // so this client skips the contract check.
    const unchecked = await createClientFor(api, undefined, { fetch: (request) => globalThis.fetch(request) });
    expect(await failure(unchecked.getOAuthClientMetadata())).toMatchObject({ status: 404 });
    expect(await failure(unchecked.getOAuthJwks())).toMatchObject({ status: 404 });
  });
});

describe('SDK against the real server: neighborhoods and memberships', () => {
  it('creates, reads, renames, joins, leaves and deletes a neighborhood', async () => {
    const created = await alice.createNeighborhood({ name: 'Maple Court', description: 'Quiet street' });
    expect(created).toMatchObject({ name: 'Maple Court', created_by: 'did:plc:alice', member_count: 1 });

    const detail = await anonymous.getNeighborhood(created.id);
    expect(detail.members.map((member) => member.user_id)).toEqual(['did:plc:alice']);

    const renamed = await alice.updateNeighborhood(created.id, { name: 'Maple Court East', description: null });
    expect(renamed).toMatchObject({ name: 'Maple Court East', description: null });

    await expect(bob.joinNeighborhood(created.id)).resolves.toMatchObject({ nbhd_id: created.id });
    const afterJoin = await anonymous.listMembers(created.id);
    expect(afterJoin.members.map((member) => member.user_id).sort()).toEqual(['did:plc:alice', 'did:plc:bob']);
    const bobs = await bob.listMyNeighborhoods();
    expect(bobs.neighborhoods.map((nbhd) => nbhd.id)).toEqual([created.id]);

    await expect(bob.leaveNeighborhood(created.id)).resolves.toBeUndefined();
    await expect(alice.deleteNeighborhood(created.id)).resolves.toBeUndefined();
    expect(await failure(anonymous.getNeighborhood(created.id))).toMatchObject({ status: 404 });
  });

  it('throws NbhdApiError with the problem type, detail and field errors', async () => {
    const taken = await alice.createNeighborhood({ name: 'Birch Lane' });

    const conflict = await failure(bob.createNeighborhood({ name: 'BIRCH lane' }));
    expect(conflict).toMatchObject({ status: 409, type: 'https://nbhd.city/problems/name-taken' });
    expect(conflict.detail).toEqual(expect.any(String));

    const invalid = await failure(alice.createNeighborhood({ name: 'x'.repeat(101) }));
    expect(invalid).toMatchObject({ status: 400, type: 'https://nbhd.city/problems/validation-error' });
    expect(invalid.errors).toContainEqual(expect.objectContaining({ location: 'body', pointer: '/name' }));

    expect(await failure(bob.updateNeighborhood(taken.id, { name: 'Mine now' }))).toMatchObject({ status: 403 });
    expect(await failure(bob.deleteNeighborhood(taken.id))).toMatchObject({ status: 403 });
    expect(await failure(alice.joinNeighborhood(taken.id))).toMatchObject({
      status: 409,
      type: 'https://nbhd.city/problems/already-member',
    });
    expect(await failure(bob.leaveNeighborhood(taken.id))).toMatchObject({ status: 404 });
    expect(await failure(anonymous.getNeighborhood(missingId))).toMatchObject({
      status: 404,
      type: 'https://nbhd.city/problems/not-found',
    });
    expect(await failure(anonymous.listNeighborhoods({ cursor: 'not-a-real-cursor' }))).toMatchObject({
      status: 400,
      type: 'https://nbhd.city/problems/invalid-cursor',
    });
  });
});

describe('SDK against the real server: pagination across more than 3 pages', () => {
  it('iterates all neighborhoods, a neighborhood’s members and the user’s neighborhoods page by page', async () => {
    const carol = await createClientFor(api, 'did:plc:carol');
    const made: string[] = [];
    for (let i = 0; i < 7; i++) made.push((await carol.createNeighborhood({ name: `Page Street ${i}` })).id);
    const joiners = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => createClientFor(api, `did:plc:joiner${n}`)));
    for (const joiner of joiners) await joiner.joinNeighborhood(made[0] ?? '');

    const reader = await createClientFor(api, 'did:plc:carol');
    const all: string[] = [];
    for await (const nbhd of reader.iterateNeighborhoods({ limit: 2 })) all.push(nbhd.id);
    expect(new Set(all).size).toBe(all.length);
    expect(all).toEqual(expect.arrayContaining(made));
    // Newest first: Carol's seven come in reverse creation order.
    expect(all.filter((id) => made.includes(id))).toEqual([...made].reverse());
    // One request per page: a last page is announced as last, even when it is full.
    expect(reader.count('GET /api/nbhds')).toBe(Math.ceil(all.length / 2));
    expect(reader.count('GET /api/nbhds')).toBeGreaterThan(3);
    const firstPage = await reader.listNeighborhoods({ limit: 2 });
    expect(firstPage.map((nbhd) => nbhd.id)).toEqual(all.slice(0, 2));

    const members: string[] = [];
    for await (const member of reader.iterateMembers(made[0] ?? '', { limit: 2 })) members.push(member.user_id);
    expect(members.sort()).toEqual(['did:plc:carol', ...joiners.map((_, i) => `did:plc:joiner${i + 1}`)].sort());
    expect(reader.count(`GET /api/nbhds/${made[0]}/members`)).toBe(4);

    const mine: string[] = [];
    for await (const nbhd of reader.iterateMyNeighborhoods({ limit: 2 })) mine.push(nbhd.id);
    expect(mine.sort()).toEqual([...made].sort());
    expect(reader.count('GET /api/users/me/nbhds')).toBe(4);

    // Pages that end exactly at the last item: no request for an empty page after them.
    const exact = await createClientFor(api, 'did:plc:carol');
    const everyNbhd: string[] = [];
    for await (const nbhd of exact.iterateNeighborhoods({ limit: all.length })) everyNbhd.push(nbhd.id);
    expect(everyNbhd).toEqual(all);
    const everyMember: string[] = [];
    for await (const member of exact.iterateMembers(made[0] ?? '', { limit: 7 })) everyMember.push(member.user_id);
    expect(everyMember).toHaveLength(7);
    const everyMine: string[] = [];
    for await (const nbhd of exact.iterateMyNeighborhoods({ limit: 1 })) everyMine.push(nbhd.id);
    expect(everyMine.sort()).toEqual([...made].sort());
    expect(exact.count('GET /api/nbhds')).toBe(1);
    expect(exact.count(`GET /api/nbhds/${made[0]}/members`)).toBe(1);
    expect(exact.count('GET /api/users/me/nbhds')).toBe(7);
  });
});
