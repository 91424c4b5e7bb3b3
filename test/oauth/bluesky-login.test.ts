import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toOAuthSessionKey } from '../../server/data/oauth/session.js';
import { toOAuthStateKey } from '../../server/data/oauth/state.js';
import { toUserKey } from '../../server/data/user.js';
import { createAwsError } from '../../tooling/dynamodb-probes.js';
import { type AtprotoNetwork, startAtprotoNetwork, type TestAccount } from '../helpers/atproto-network.js';
import { type TestTable, useTestTable } from '../helpers/dynamodb.js';
import { rejectAuthorization, signInAndConsent } from '../helpers/headless-sign-in.js';
import {
  frontendUrl,
  generateClientKeys,
  listPartitionKeys,
  loopbackRedirectUri,
  publicOrigin,
  readItem,
  startLoopbackApp,
  startOAuthApp,
  toCallbackPath,
  writeItem,
} from '../helpers/oauth-app.js';
import { routePublicOrigin } from '../helpers/public-origin.js';
import type { TestApp } from '../helpers/test-app.js';

let network: AtprotoNetwork;
let table: TestTable;
let appA: TestApp;
let appB: TestApp;
let alice: TestAccount;
let clientKeys: string;

beforeAll(async () => {
  network = await startAtprotoNetwork();
  table = await useTestTable('oauth');
  clientKeys = await generateClientKeys();
  appA = await startOAuthApp(table, network, clientKeys);
  appB = await startOAuthApp(table, network, clientKeys);
  routePublicOrigin(publicOrigin, () => appA.baseUrl);
  alice = await network.createAccount('alice', { displayName: 'Alice Local' });
});

afterAll(async () => {
  await network?.close();
});

/** /auth/login on `app` → the authorization URL it redirects the browser to. */
async function startLogin(app: TestApp, query: string): Promise<string> {
  const response = await app.request('GET', `/auth/login?${query}`);
  expect(response.status, response.text).toBe(302);
  return response.headers.get('location') as string;
}

function readRedirect(location: string | null): URL {
  expect(location).toBeTruthy();
  return new URL(location as string);
}

describe('Log in with Bluesky against a real local PDS', () => {
  it('logs in, knows the user, shows their profile, and logs out revoking the Bluesky session', async () => {
    const authorizationUrl = await startLogin(appA, `handle=${alice.handle}`);
    expect(authorizationUrl.startsWith(`${network.pdsUrl}/oauth/authorize?`)).toBe(true);

    const redirect = await signInAndConsent({ authorizationUrl, ...alice, username: alice.handle });
    const callback = await appA.request('GET', toCallbackPath(redirect));
    expect(callback.status).toBe(302);
    const landing = readRedirect(callback.headers.get('location'));
    expect(`${landing.origin}${landing.pathname}`).toBe(`${frontendUrl}/callback.html`);
    const token = landing.searchParams.get('token') as string;

    const me = await appA.request<{ user_id: string }>('GET', '/auth/me', { token });
    expect(me.body).toEqual({ user_id: alice.did, authenticated: true });

    // No app view runs here: the counts are reported unavailable, the rest comes from the PDS.
    const profile = await appA.request<Record<string, unknown>>('GET', '/api/users/profile', { token });
    expect(profile.status).toBe(200);
    expect(profile.body).toMatchObject({
      did: alice.did,
      handle: alice.handle,
      displayName: 'Alice Local',
      followersCount: null,
      unavailable: ['followersCount', 'followsCount', 'postsCount'],
    });
    expect(await listPartitionKeys(table)).toEqual(
      expect.arrayContaining([toOAuthSessionKey(alice.did).PK, toUserKey(alice.did).PK]),
    );

    const storedSession = await readItem(table, toOAuthSessionKey(alice.did).PK, 'SESSION');
    const logout = await appA.request('POST', '/auth/logout', { token });
    expect(logout.status).toBe(200);
    expect(await listPartitionKeys(table)).not.toContain(toOAuthSessionKey(alice.did).PK);
    expect((await appA.request('GET', '/api/users/profile', { token })).status).toBe(401);

    // Revoked at the PDS too, not just forgotten here: with the old tokens put back, restoring still fails.
    await writeItem(table, storedSession);
    expect((await appB.request('GET', '/api/users/profile', { token })).status).toBe(401);
  });

  it('finishes on another instance a login started on one (state and session live in the table)', async () => {
    const authorizationUrl = await startLogin(
      appA,
      new URLSearchParams({ handle: alice.handle, return_url: 'https://staging.nbhd.city/app' }).toString(),
    );
    const redirect = await signInAndConsent({ authorizationUrl, ...alice, username: alice.handle });
    const callback = await appB.request('GET', toCallbackPath(redirect));
    expect(callback.status).toBe(302);
    const landing = readRedirect(callback.headers.get('location'));
    expect(landing.href.startsWith('https://staging.nbhd.city/app/callback.html?token=')).toBe(true);

    const token = landing.searchParams.get('token') as string;
    const profile = await appA.request<{ handle: string }>('GET', '/api/users/profile', { token });
    expect(profile.body.handle).toBe(alice.handle);
  });

  it('starts at the default entryway when no handle is given', async () => {
    const authorizationUrl = await startLogin(appB, '');
    expect(authorizationUrl.startsWith(`${network.pdsUrl}/oauth/authorize?`)).toBe(true);
  });
});

describe('client documents', () => {
  it('publishes the client metadata document the authorization server fetches', async () => {
    const response = await appA.request<Record<string, unknown>>('GET', '/oauth/client-metadata.json');
    expect(response.body).toMatchObject({
      client_id: `${publicOrigin}/oauth/client-metadata.json`,
      redirect_uris: [`${publicOrigin}/auth/callback`],
      token_endpoint_auth_method: 'private_key_jwt',
      jwks_uri: `${publicOrigin}/oauth/jwks.json`,
      dpop_bound_access_tokens: true,
    });
  });

  it('publishes every configured key, public parts only, so keys can be rotated', async () => {
    const response = await appB.request<{ keys: Record<string, unknown>[] }>('GET', '/oauth/jwks.json');
    expect(response.body.keys.map((key) => key.kid)).toEqual(['key-2', 'key-1']);
    for (const key of response.body.keys) expect(key).not.toHaveProperty('d');
  });
});

describe('failed logins leave nothing half-created', () => {
  // Keys hold a digest of the DID or state (server/data/table/key-digest.ts), so they are matched by their builders.
  const owned = (keys: string[], did: string) =>
    keys.filter((key) => key === toOAuthSessionKey(did).PK || key === toUserKey(did).PK).sort();
  const stateKey = (redirect: URL) => toOAuthStateKey(redirect.searchParams.get('state') ?? '').PK;

  it('answers 400 invalid-state for a state it never issued', async () => {
    const before = await listPartitionKeys(table);
    const query = new URLSearchParams({ state: 'never-issued', code: 'cod-123', iss: network.pdsUrl });
    const response = await appA.request<{ type: string }>('GET', `/auth/callback?${query}`);
    expect(response.status).toBe(400);
    expect(response.body.type).toBe('https://nbhd.city/problems/invalid-state');
    expect(await listPartitionKeys(table)).toEqual(before);
  });

  it('answers 400 invalid-state when a used callback is replayed, keeping the first login intact', async () => {
    const dave = await network.createAccount('dave');
    const authorizationUrl = await startLogin(appA, `handle=${dave.handle}`);
    const callbackPath = toCallbackPath(await signInAndConsent({ authorizationUrl, ...dave, username: dave.handle }));
    expect((await appA.request('GET', callbackPath)).status).toBe(302);
    const afterFirst = await listPartitionKeys(table);

    const replay = await appB.request<{ type: string }>('GET', callbackPath);
    expect(replay.status).toBe(400);
    expect(replay.body.type).toBe('https://nbhd.city/problems/invalid-state');
    expect(await listPartitionKeys(table)).toEqual(afterFirst);
    expect(owned(afterFirst, dave.did)).toEqual([toOAuthSessionKey(dave.did).PK, toUserKey(dave.did).PK].sort());
  });

  it.each([
    'https://evil.example.com',
    'https://nbhd.city.evil.example.com',
    'https://staging.nbhd.city/application',
    'javascript:alert(1)',
  ])('answers 400 invalid-return-url for %s and starts no login', async (returnUrl) => {
    const before = await listPartitionKeys(table);
    const query = new URLSearchParams({ handle: alice.handle, return_url: returnUrl });
    const response = await appA.request<{ type: string }>('GET', `/auth/login?${query}`);
    expect(response.status).toBe(400);
    expect(response.body.type).toMatch(/\/problems\/(invalid-return-url|validation-error)$/);
    expect(await listPartitionKeys(table)).toEqual(before);
  });

  it('sends the browser back with the provider error when the user denies access', async () => {
    const bob = await network.createAccount('bob');
    const authorizationUrl = await startLogin(appA, `handle=${bob.handle}`);
    const redirect = await rejectAuthorization(authorizationUrl);
    const callback = await appB.request('GET', toCallbackPath(redirect));
    expect(callback.status, callback.text).toBe(302);
    const landing = new URL(callback.headers.get('location') as string);
    expect(`${landing.origin}${landing.pathname}`).toBe(`${frontendUrl}/callback.html`);
    expect(landing.searchParams.get('error')).toBe('access_denied');
    expect(landing.searchParams.has('token')).toBe(false);
    const keys = await listPartitionKeys(table);
    expect(owned(keys, bob.did)).toEqual([]);
    expect(keys).not.toContain(stateKey(redirect));
  });

  it('answers 400 invalid-state when the callback comes after the state expired, and drops the state', async () => {
    const carol = await network.createAccount('carol');
    const late = await startOAuthApp(table, network, clientKeys, {
      now: () => new Date(Date.now() + 11 * 60 * 1000),
    });
    const authorizationUrl = await startLogin(appA, `handle=${carol.handle}`);
    const redirect = await signInAndConsent({ authorizationUrl, ...carol, username: carol.handle });
    const response = await late.request<{ type: string }>('GET', toCallbackPath(redirect));
    expect(response.status).toBe(400);
    expect(response.body.type).toBe('https://nbhd.city/problems/invalid-state');
    const keys = await listPartitionKeys(table);
    expect(owned(keys, carol.did)).toEqual([]);
    expect(keys).not.toContain(stateKey(redirect));
  });
  it('revokes the new Bluesky session when the user record cannot be written (DynamoDB throttled → 503)', async () => {
    const frank = await network.createAccount('frank');
    const authorizationUrl = await startLogin(appA, `handle=${frank.handle}`);
    const redirect = await signInAndConsent({ authorizationUrl, ...frank, username: frank.handle });
    appB.faults.add({
      command: 'UpdateItemCommand',
      times: 10,
      error: () => createAwsError('ProvisionedThroughputExceededException'),
    });
    try {
      const response = await appB.request('GET', toCallbackPath(redirect));
      expect(response.status).toBe(503);
    } finally {
      appB.faults.clear();
    }
    expect(owned(await listPartitionKeys(table), frank.did)).toEqual([]);
  });
});

describe('development (loopback) client', () => {
  it('logs in without keys or a public URL, as a public loopback client', async () => {
    const dev = await startLoopbackApp(table, network);
    const erin = await network.createAccount('erin');
    const authorizationUrl = await startLogin(dev, `handle=${erin.handle}`);
    expect(new URL(authorizationUrl).searchParams.get('client_id')).toMatch(/^http:\/\/localhost\?/);
    const redirect = await signInAndConsent({ authorizationUrl, ...erin, username: erin.handle });
    const callback = await dev.request('GET', toCallbackPath(redirect, new URL(loopbackRedirectUri).origin));
    const token = new URL(callback.headers.get('location') as string).searchParams.get('token') as string;
    expect((await dev.request<{ user_id: string }>('GET', '/auth/me', { token })).body.user_id).toBe(erin.did);
    const metadata = await dev.request<{ client_id: string; jwks_uri?: string }>('GET', '/oauth/client-metadata.json');
    expect(metadata.body.client_id).toMatch(/^http:\/\/localhost\?/);
    expect(metadata.body.jwks_uri).toBeUndefined();
  });
});
