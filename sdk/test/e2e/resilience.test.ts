import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../../test/helpers/test-app.js';
import { createNbhdClient } from '../../src/index.js';
import { startE2eServer } from '../helpers/e2e-server.js';
import { type FlakyFront, startFlakyFront } from '../helpers/flaky-front.js';

let api: TestApp;
let front: FlakyFront | undefined;

beforeAll(async () => {
  api = await startE2eServer('sdk-resilience');
});

afterEach(async () => {
  await front?.close();
  front = undefined;
});

describe('SDK retries against the real server behind a flaky front', () => {
  it('retries a read after 503 + Retry-After, waiting as told, and returns the real answer', async () => {
    front = await startFlakyFront(api.baseUrl, (index) =>
      index < 2 ? { kind: 'unavailable', retryAfterSeconds: 1 } : { kind: 'proxy' },
    );
    const client = createNbhdClient({ baseUrl: front.baseUrl, retry: { retries: 3, baseDelayMs: 10 } });

    const started = performance.now();
    const welcome = await client.getWelcome();

    expect(welcome).toEqual({ message: 'Welcome to nbhd.city API' });
    expect(front.seen).toEqual(['GET /', 'GET /', 'GET /']);
    expect(performance.now() - started).toBeGreaterThanOrEqual(2000);
  });

  it('gives up after its bounded retries and throws the 503 as NbhdApiError', async () => {
    front = await startFlakyFront(api.baseUrl, () => ({ kind: 'unavailable', retryAfterSeconds: 0 }));
    const client = createNbhdClient({ baseUrl: front.baseUrl, retry: { retries: 2, baseDelayMs: 10 } });

    await expect(client.listNeighborhoods()).rejects.toMatchObject({ name: 'NbhdApiError', status: 503 });
    expect(front.seen).toHaveLength(3);
  });

  it('retries a create whose response was dropped, and exactly one neighborhood exists', async () => {
    const token = await api.tokenFor('did:plc:dropped');
    front = await startFlakyFront(api.baseUrl, (index, req) =>
      index === 0 && req.method === 'POST' ? { kind: 'drop-response' } : { kind: 'proxy' },
    );
    const client = createNbhdClient({ baseUrl: front.baseUrl, token, retry: { baseDelayMs: 10 } });

    const created = await client.createNeighborhood({ name: 'Lost Response Lane' });

    // The second POST carried the same Idempotency-Key: without it the server would have answered 409 name-taken.
    expect(front.seen).toEqual(['POST /api/nbhds', 'POST /api/nbhds']);
    expect(created).toMatchObject({ name: 'Lost Response Lane', member_count: 1 });
    const direct = createNbhdClient({ baseUrl: api.baseUrl, token });
    const mine = await direct.listMyNeighborhoods();
    expect(mine.neighborhoods.filter((nbhd) => nbhd.name === 'Lost Response Lane')).toEqual([created]);
    const everyone: string[] = [];
    for await (const nbhd of direct.iterateNeighborhoods()) everyone.push(nbhd.name);
    expect(everyone.filter((name) => name === 'Lost Response Lane')).toHaveLength(1);
  });

  it('does not retry a join (no idempotency) when the response is dropped', async () => {
    const owner = createNbhdClient({ baseUrl: api.baseUrl, token: await api.tokenFor('did:plc:owner') });
    const target = await owner.createNeighborhood({ name: 'Single Shot Street' });
    front = await startFlakyFront(api.baseUrl, (_, req) =>
      req.method === 'POST' ? { kind: 'drop-response' } : { kind: 'proxy' },
    );
    const joiner = createNbhdClient({ baseUrl: front.baseUrl, token: await api.tokenFor('did:plc:joiner') });

    await expect(joiner.joinNeighborhood(target.id)).rejects.toThrow(TypeError);
    expect(front.seen).toEqual([`POST /api/nbhds/${target.id}/join`]);
  });
});
