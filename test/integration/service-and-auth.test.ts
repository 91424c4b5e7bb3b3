import { beforeAll, describe, expect, it } from 'vitest';
import { createSessionTokens } from '../../server/auth/session-tokens.js';
import type { TestTable } from '../helpers/dynamodb.js';
import { useTestTable } from '../helpers/dynamodb.js';
import { startTestApp, type TestApp, testSecretKey } from '../helpers/test-app.js';

let table: TestTable;
let api: TestApp;
const credentials = { BSKY_USERNAME: 'tester.bsky.social', BSKY_PASSWORD: 'app-password-1234' };

beforeAll(async () => {
  table = await useTestTable('service');
  api = await startTestApp(table, {
    env: { ...credentials, CORS_ALLOWED_ORIGINS: 'https://nbhd.city', STAGE: 'staging' },
    overrides: { docsHtml: '<!DOCTYPE html><html><body>redoc</body></html>' },
  });
});

describe('service endpoints', () => {
  it('welcomes, reports health, serves the contract and the docs page', async () => {
    expect((await api.request('GET', '/')).body).toEqual({ message: 'Welcome to nbhd.city API' });
    expect((await api.request('GET', '/health')).body).toEqual({ status: 'healthy' });
    const spec = await api.request('GET', '/openapi.yaml');
    expect(spec.text).toMatch(/^openapi: 3\.1/);
    const docs = await api.request('GET', '/docs');
    expect(docs.text).toContain('redoc');
    expect(docs.headers.get('content-security-policy')).toContain("script-src 'self' 'unsafe-inline'");
  });

  it('puts a request id, security headers and no X-Powered-By on every response', async () => {
    const response = await api.request('GET', '/api/nbhds');
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-powered-by')).toBeNull();
    const echoed = await api.request('GET', '/', { headers: { 'x-request-id': 'client-id-1' } });
    expect(echoed.headers.get('x-request-id')).toBe('client-id-1');
    const problem = await api.request<{ request_id: string }>('GET', '/api/nbhds?limit=0');
    expect(problem.body.request_id).toBe(problem.headers.get('x-request-id'));
  });

  it('allows CORS only from the allow-list', async () => {
    const allowed = await api.request('GET', '/', { headers: { origin: 'https://nbhd.city' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://nbhd.city');
    expect(allowed.headers.get('access-control-allow-credentials')).toBeNull();
    const other = await api.request('GET', '/', { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('session endpoints', () => {
  it('logs the test user in and accepts the token on /auth/me', async () => {
    const login = await api.request<{ access_token: string }>('POST', '/auth/test-login', {
      body: { username: credentials.BSKY_USERNAME, password: credentials.BSKY_PASSWORD },
    });
    expect(login.status).toBe(200);
    const me = await api.request('GET', '/auth/me', { token: login.body.access_token });
    expect(me.body).toEqual({ user_id: 'did:plc:test-user', authenticated: true });
    expect((await api.request('POST', '/auth/logout', { token: login.body.access_token })).status).toBe(200);
  });

  it('answers wrong test-login credentials with 401', async () => {
    const response = await api.request('POST', '/auth/test-login', {
      body: { username: credentials.BSKY_USERNAME, password: 'nope' },
    });
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ type: 'https://nbhd.city/problems/invalid-credentials' });
  });

  it('accepts a token minted like the legacy Python service (HS256, sub, iat, exp)', async () => {
    const legacy = await createSessionTokens({ secretKey: testSecretKey, expireMinutes: 10080 }).issue(
      'did:plc:legacy',
    );
    expect((await api.request('GET', '/auth/me', { token: legacy })).body).toMatchObject({ user_id: 'did:plc:legacy' });
  });

  it('disables the test login in production even with credentials set', async () => {
    const production = await startTestApp(table, { env: { ...credentials, STAGE: 'production' } });
    const response = await production.request('POST', '/auth/test-login', {
      body: { username: credentials.BSKY_USERNAME, password: credentials.BSKY_PASSWORD },
    });
    expect(response.status).toBe(404);
  });

  it('answers the Bluesky login honestly with 503 while no OAuth router is plugged in', async () => {
    const response = await api.request('GET', '/auth/login');
    expect(response.status).toBe(503);
    const profile = await api.request('GET', '/api/users/profile', { token: await api.tokenFor('did:plc:x') });
    expect(profile.status).toBe(503);
  });

  it('serves a plugged-in handler for an operation (how Bluesky login replaces startLogin) ahead of the 503 fallback', async () => {
    const withOAuth = await startTestApp(table, {
      overrides: {
        handlers: {
          // The contract documents the 302 without a body.
          startLogin: ({ query }) => ({
            status: 302,
            headers: {
              Location: `https://bsky.social/oauth/authorize?client_id=${encodeURIComponent(query.return_url ?? '')}`,
            },
          }),
        },
      },
    });
    const response = await withOAuth.request('GET', '/auth/login?return_url=http%3A%2F%2Flocalhost%3A5173');
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toMatch(/^https:\/\/bsky\.social\/oauth\/authorize/);
  });
});
