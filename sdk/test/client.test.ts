import { describe, expect, it, vi } from 'vitest';
import { createNbhdClient, NbhdApiError } from '../src/index.js';
import { json, problem, sampleNbhd, stubFetch } from './helpers/fetch-stub.js';

const baseUrl = 'https://api.example.test/prod';

describe('createNbhdClient', () => {
  it('sends the bearer token, user agent and JSON body, and resolves to the typed data', async () => {
    const stub = stubFetch(json(sampleNbhd, 201));
    const nbhd = createNbhdClient({ baseUrl, token: 'tok-1', userAgent: 'my-bot/1.0', fetch: stub.fetch });

    const created = await nbhd.createNeighborhood({ name: 'Elm Street' });

    expect(created).toEqual(sampleNbhd);
    const [request] = stub.seen;
    expect(request?.method).toBe('POST');
    expect(request?.url.href).toBe(`${baseUrl}/api/nbhds`);
    expect(request?.headers.get('Authorization')).toBe('Bearer tok-1');
    expect(request?.headers.get('User-Agent')).toBe('my-bot/1.0');
    expect(request?.headers.get('Idempotency-Key')).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(request?.body ?? '')).toEqual({ name: 'Elm Street' });
  });

  it('asks getToken before every request and sends no Authorization when it returns nothing', async () => {
    const tokens = ['first', undefined];
    const getToken = vi.fn(async () => tokens.shift());
    const stub = stubFetch(json({ user_id: 'did:plc:a', authenticated: true }));
    const nbhd = createNbhdClient({ baseUrl, getToken, fetch: stub.fetch });

    await nbhd.getCurrentUser();
    await nbhd.getCurrentUser();

    expect(getToken).toHaveBeenCalledTimes(2);
    expect(stub.seen[0]?.headers.get('Authorization')).toBe('Bearer first');
    expect(stub.seen[1]?.headers.has('Authorization')).toBe(false);
  });

  it('puts path and query parameters where the contract says', async () => {
    const stub = stubFetch(json({ members: [], next_cursor: null }));
    const nbhd = createNbhdClient({ baseUrl, fetch: stub.fetch });

    await nbhd.listMembers('a b/c', { limit: 5, cursor: 'xyz' });

    expect(stub.seen[0]?.url.pathname).toBe('/prod/api/nbhds/a%20b%2Fc/members');
    expect(stub.seen[0]?.url.searchParams.get('limit')).toBe('5');
    expect(stub.seen[0]?.url.searchParams.get('cursor')).toBe('xyz');
  });

  it('throws NbhdApiError carrying the problem fields when the API answers with a problem', async () => {
    const errors = [{ location: 'body', pointer: '/name', message: 'must NOT have fewer than 1 characters' }];
    const stub = stubFetch(
      problem(400, 'validation-error', 'Invalid request', { detail: 'name is too short', errors, request_id: 'r-9' }),
    );
    const nbhd = createNbhdClient({ baseUrl, token: 't', fetch: stub.fetch });

    const error = await nbhd.createNeighborhood({ name: '' }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(NbhdApiError);
    expect(error).toMatchObject({
      name: 'NbhdApiError',
      status: 400,
      type: 'https://nbhd.city/problems/validation-error',
      title: 'Invalid request',
      detail: 'name is too short',
      errors,
      requestId: 'r-9',
      instance: '/x',
      message: '400 Invalid request: name is too short',
    });
  });

  it('throws NbhdApiError with the status text when the error body is not a problem document', async () => {
    const stub = stubFetch(new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }));
    const nbhd = createNbhdClient({ baseUrl, fetch: stub.fetch });

    const error = await nbhd.getWelcome().catch((caught: unknown) => caught);

    expect(error).toMatchObject({ status: 502, title: 'Bad Gateway', type: 'about:blank', errors: [] });
    expect((error as NbhdApiError).detail).toContain('Bad gateway');
  });

  it('takes the request id from X-Request-Id when the problem has none, e.g. on an empty 404', async () => {
    const stub = stubFetch(new Response(null, { status: 404, headers: { 'X-Request-Id': 'hdr-1' } }));
    const nbhd = createNbhdClient({ baseUrl, token: 't', fetch: stub.fetch });

    await expect(nbhd.leaveNeighborhood(sampleNbhd.id)).rejects.toMatchObject({ status: 404, requestId: 'hdr-1' });
  });

  it('resolves deletes to undefined on 204', async () => {
    const stub = stubFetch(new Response(null, { status: 204 }));
    const nbhd = createNbhdClient({ baseUrl, token: 't', fetch: stub.fetch });

    await expect(nbhd.deleteNeighborhood(sampleNbhd.id)).resolves.toBeUndefined();
    expect(stub.seen[0]?.method).toBe('DELETE');
  });

  it('keeps the raw openapi-fetch client reachable, with results instead of exceptions', async () => {
    const stub = stubFetch(problem(404, 'not-found', 'Not found'));
    const nbhd = createNbhdClient({ baseUrl, token: 't', fetch: stub.fetch });

    const { data, error, response } = await nbhd.raw.GET('/api/nbhds/{nbhd_id}', {
      params: { path: { nbhd_id: sampleNbhd.id } },
    });

    expect(data).toBeUndefined();
    expect(error).toMatchObject({ status: 404, title: 'Not found' });
    expect(response.status).toBe(404);
    expect(stub.seen[0]?.headers.get('Authorization')).toBe('Bearer t');
  });

  it('resolves startLogin to the redirect target instead of following it', async () => {
    const location = 'https://bsky.social/oauth/authorize?request_uri=x';
    const stub = stubFetch(new Response(null, { status: 302, headers: { Location: location } }));
    const nbhd = createNbhdClient({ baseUrl, fetch: stub.fetch });

    await expect(nbhd.startLogin({ handle: 'alice.test' })).resolves.toEqual({ location });
    expect(stub.seen[0]?.url.searchParams.get('handle')).toBe('alice.test');
  });

  it('builds the login URL for browsers from the base URL and query', () => {
    const nbhd = createNbhdClient({ baseUrl: `${baseUrl}/` });

    expect(nbhd.buildLoginUrl({ handle: 'alice.test', return_url: 'https://app.test' })).toBe(
      `${baseUrl}/auth/login?handle=alice.test&return_url=https%3A%2F%2Fapp.test`,
    );
    expect(nbhd.buildLoginUrl()).toBe(`${baseUrl}/auth/login`);
  });

  it('reads the OpenAPI document as text', async () => {
    const stub = stubFetch(new Response('openapi: 3.1.0\n', { headers: { 'Content-Type': 'application/yaml' } }));
    const nbhd = createNbhdClient({ baseUrl, fetch: stub.fetch });

    await expect(nbhd.getOpenApiDocument()).resolves.toBe('openapi: 3.1.0\n');
  });
});
