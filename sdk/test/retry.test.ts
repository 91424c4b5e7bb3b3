import { describe, expect, it } from 'vitest';
import { createNbhdClient, NbhdRateLimitError, parseRetryAfter } from '../src/index.js';
import { json, problem, sampleNbhd, stubFetch } from './helpers/fetch-stub.js';

const baseUrl = 'https://api.example.test';
const fast = { baseDelayMs: 1, maxDelayMs: 5 };
const unavailable = (retryAfter?: string) =>
  new Response(
    JSON.stringify({ type: 'https://nbhd.city/problems/service-unavailable', title: 'Unavailable', status: 503 }),
    {
      status: 503,
      headers: { 'Content-Type': 'application/problem+json', ...(retryAfter ? { 'Retry-After': retryAfter } : {}) },
    },
  );

const quotaRefusal = (retryAfter: string) =>
  new Response(
    JSON.stringify({
      type: 'https://nbhd.city/problems/too-many-requests',
      title: 'Too many requests',
      status: 429,
      detail: 'Too many joins and leaves of this neighborhood (quota "membership-nbhd": 6 per 60 s); retry in 42 s.',
      instance: '/api/nbhds/x/join',
      request_id: 'r-1',
    }),
    {
      status: 429,
      headers: {
        'Content-Type': 'application/problem+json',
        'Retry-After': retryAfter,
        RateLimit: `"membership-nbhd";r=0;t=${retryAfter}`,
        'RateLimit-Policy': '"membership";q=30;w=60, "membership-nbhd";q=6;w=60',
      },
    },
  );

describe('quota refusals (429)', () => {
  it('throws an NbhdRateLimitError that names the quota and its wait, and never retries a join', async () => {
    const stub = stubFetch(quotaRefusal('1'), json({ message: 'Joined', nbhd_id: sampleNbhd.id }, 201));
    const nbhd = createNbhdClient({ baseUrl, fetch: stub.fetch, retry: fast });

    const error = await nbhd.joinNeighborhood(sampleNbhd.id).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NbhdRateLimitError);
    expect(error).toMatchObject({
      status: 429,
      limit: 'membership-nbhd',
      retryAfterSeconds: 1,
      policy: '"membership";q=30;w=60, "membership-nbhd";q=6;w=60',
      detail: expect.stringContaining('quota "membership-nbhd"'),
    });
    expect(stub.seen).toHaveLength(1);
  });

  it('retries a leave (a DELETE, safe to repeat) after Retry-After, and not when the window ends too late', async () => {
    const soon = stubFetch(quotaRefusal('1'), new Response(null, { status: 204 }));
    const started = performance.now();
    await createNbhdClient({ baseUrl, fetch: soon.fetch, retry: fast }).leaveNeighborhood(sampleNbhd.id);
    expect(performance.now() - started).toBeGreaterThanOrEqual(990);
    expect(soon.seen).toHaveLength(2);

    const late = stubFetch(quotaRefusal('42'), new Response(null, { status: 204 }));
    const nbhd = createNbhdClient({ baseUrl, fetch: late.fetch, retry: fast });
    await expect(nbhd.leaveNeighborhood(sampleNbhd.id)).rejects.toMatchObject({ limit: 'membership-nbhd' });
    expect(late.seen).toHaveLength(1);
  });
});

describe("the edge's per-IP refusal (429 from AWS WAF, in front of the API)", () => {
  it('is an NbhdRateLimitError naming the edge rule, though WAF labels it application/json', async () => {
    const edgeRefusal = new Response(
      JSON.stringify({
        type: 'https://nbhd.city/problems/too-many-requests',
        title: 'Too many requests',
        status: 429,
        detail: 'Too many test logins from this address (over 20 in 5 minutes); retry in 5 minutes.',
        instance: '/auth/test-login',
        request_id: 'edge',
      }),
      {
        status: 429,
        headers: {
          'Content-Type': 'application/json',
          'Retry-After': '300',
          RateLimit: '"edge-test-login";r=0;t=300',
          'RateLimit-Policy': '"edge-test-login";q=20;w=300',
          'X-Request-Id': 'edge',
        },
      },
    );
    const stub = stubFetch(edgeRefusal);
    const nbhd = createNbhdClient({ baseUrl, fetch: stub.fetch, retry: fast });
    const error = await nbhd.testLogin({ username: 'u', password: 'p' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NbhdRateLimitError);
    expect(error).toMatchObject({
      status: 429,
      limit: 'edge-test-login',
      retryAfterSeconds: 300,
      requestId: 'edge',
      detail: expect.stringContaining('from this address'),
    });
    expect(stub.seen).toHaveLength(1);
  });
});

describe('retries', () => {
  it('retries a GET on 503 and 429 and resolves with the first success', async () => {
    const stub = stubFetch(unavailable(), problem(429, 'too-many-requests', 'Too many'), json([sampleNbhd]));
    const nbhd = createNbhdClient({ baseUrl, fetch: stub.fetch, retry: fast });

    await expect(nbhd.listNeighborhoods()).resolves.toEqual([sampleNbhd]);
    expect(stub.seen).toHaveLength(3);
  });

  it('waits as long as Retry-After says before retrying', async () => {
    const stub = stubFetch(unavailable('1'), json({ message: 'hi' }));
    const nbhd = createNbhdClient({ baseUrl, fetch: stub.fetch, retry: fast });

    const started = performance.now();
    await nbhd.getWelcome();

    expect(performance.now() - started).toBeGreaterThanOrEqual(990);
    expect(stub.seen).toHaveLength(2);
  });

  it('gives up after the configured retries and throws the last error', async () => {
    const stub = stubFetch(unavailable());
    const nbhd = createNbhdClient({ baseUrl, fetch: stub.fetch, retry: { ...fast, retries: 3 } });

    await expect(nbhd.getWelcome()).rejects.toMatchObject({ status: 503 });
    expect(stub.seen).toHaveLength(4);
  });

  it('does not wait for a Retry-After beyond maxRetryAfterMs', async () => {
    const stub = stubFetch(unavailable('120'), json({ message: 'hi' }));
    const nbhd = createNbhdClient({ baseUrl, fetch: stub.fetch, retry: fast });

    await expect(nbhd.getWelcome()).rejects.toMatchObject({ status: 503 });
    expect(stub.seen).toHaveLength(1);
  });

  it('retries network errors on idempotent calls', async () => {
    const stub = stubFetch(new TypeError('fetch failed'), json({ message: 'hi' }));
    const nbhd = createNbhdClient({ baseUrl, fetch: stub.fetch, retry: fast });

    await expect(nbhd.getWelcome()).resolves.toEqual({ message: 'hi' });
    expect(stub.seen).toHaveLength(2);
  });

  it('does not retry a POST without an Idempotency-Key (join)', async () => {
    const stub = stubFetch(unavailable(), json({ message: 'joined', nbhd_id: sampleNbhd.id }, 201));
    const nbhd = createNbhdClient({ baseUrl, token: 't', fetch: stub.fetch, retry: fast });

    await expect(nbhd.joinNeighborhood(sampleNbhd.id)).rejects.toMatchObject({ status: 503 });
    expect(stub.seen).toHaveLength(1);
  });

  it('retries a create after a network error with the same Idempotency-Key and body', async () => {
    const stub = stubFetch(new TypeError('socket hang up'), json(sampleNbhd, 201));
    const nbhd = createNbhdClient({ baseUrl, token: 't', fetch: stub.fetch, retry: fast });

    await expect(nbhd.createNeighborhood({ name: 'Elm Street' })).resolves.toEqual(sampleNbhd);
    const [first, second] = stub.seen;
    expect(second?.headers.get('Idempotency-Key')).toBe(first?.headers.get('Idempotency-Key'));
    expect(second?.body).toBe(first?.body);
  });

  it('uses a new Idempotency-Key for each logical create, or the one the caller gives', async () => {
    const stub = stubFetch(json(sampleNbhd, 201));
    const nbhd = createNbhdClient({ baseUrl, token: 't', fetch: stub.fetch });

    await nbhd.createNeighborhood({ name: 'A' });
    await nbhd.createNeighborhood({ name: 'B' });
    await nbhd.createNeighborhood({ name: 'C' }, { idempotencyKey: 'my-key' });

    const keys = stub.seen.map((request) => request.headers.get('Idempotency-Key'));
    expect(new Set(keys).size).toBe(3);
    expect(keys[2]).toBe('my-key');
  });

  it('makes exactly one attempt when retries are turned off', async () => {
    const stub = stubFetch(unavailable(), json({ message: 'hi' }));
    const nbhd = createNbhdClient({ baseUrl, fetch: stub.fetch, retry: false });

    await expect(nbhd.getWelcome()).rejects.toMatchObject({ status: 503 });
    expect(stub.seen).toHaveLength(1);
  });
});

describe('timeouts and abort', () => {
  it('rejects with a TimeoutError when the server does not answer within timeoutMs', async () => {
    const nbhd = createNbhdClient({
      baseUrl,
      timeoutMs: 50,
      // A fetch that only settles when aborted, like a real one on a stalled connection.
      fetch: (request) =>
        new Promise((_, reject) => request.signal.addEventListener('abort', () => reject(request.signal.reason))),
    });

    await expect(nbhd.getWelcome()).rejects.toMatchObject({ name: 'TimeoutError' });
  });

  it('stops waiting for a retry as soon as the caller aborts', async () => {
    const stub = stubFetch(unavailable('5'), json({ message: 'hi' }));
    const nbhd = createNbhdClient({ baseUrl, fetch: stub.fetch });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('user gave up')), 30);

    const started = performance.now();
    await expect(nbhd.getWelcome({ signal: controller.signal })).rejects.toThrow('user gave up');
    expect(performance.now() - started).toBeLessThan(2000);
    expect(stub.seen).toHaveLength(1);
  });

  it('does not send a request when the signal is already aborted', async () => {
    const stub = stubFetch(json({ message: 'hi' }));
    const nbhd = createNbhdClient({
      baseUrl,
      fetch: (request) => (request.signal.aborted ? Promise.reject(request.signal.reason) : stub.fetch(request)),
    });

    await expect(nbhd.getWelcome({ signal: AbortSignal.abort(new Error('cancelled')) })).rejects.toThrow('cancelled');
    expect(stub.seen).toHaveLength(0);
  });
});

describe('parseRetryAfter', () => {
  it('reads delay-seconds and HTTP-dates as milliseconds, and ignores junk', () => {
    const now = Date.parse('2026-11-25T12:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Wed, 25 Nov 2026 12:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Wed, 25 Nov 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
