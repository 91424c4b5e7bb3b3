import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drive } from '../../loadtest/runner/driver.js';
import { parseScenarioFile } from '../../loadtest/shared/scenario-file.js';

/** A stand-in API that answers every operation of the mix the way it should, after `delayMs`. */
function startFakeApi(delayMs: () => number) {
  const seen: { method: string; url: string; idempotencyKey?: string; at: number }[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    const key = req.headers['idempotency-key'];
    seen.push({
      method: req.method ?? '',
      url: req.url ?? '',
      at: performance.now(),
      ...(typeof key === 'string' ? { idempotencyKey: key } : {}),
    });
    req.resume();
    setTimeout(() => {
      const created = req.method === 'POST';
      const status = created ? 201 : req.method === 'DELETE' ? 204 : 200;
      res.writeHead(status, {
        'content-type': 'application/json',
        'x-request-id': 'r',
        'server-timing': 'app;dur=1.5, dynamodb;dur=1;desc="1 calls"',
      });
      res.end(status === 204 ? undefined : JSON.stringify(created ? { id: `id-${seen.length}` } : {}));
    }, delayMs());
  });
  return { server, seen };
}

const file = parseScenarioFile({
  flows: {
    browse: { weight: 1, steps: ['listNeighborhoods'] },
    create: { weight: 1, steps: ['createNeighborhood', 'deleteNeighborhood'] },
  },
  fixtures: { neighborhoods: 2, membersPerNeighborhood: 1, users: 4 },
  thresholds: {},
  profiles: { local: { thresholds: {} } },
});
const users = Array.from({ length: 4 }, (_, i) => ({ did: `did:plc:loadtest-${i}`, token: `t${i}` }));
const fixtures = { runId: 'run', nbhdIds: ['n1', 'n2'] };

describe('arrival-rate driver', () => {
  let delay = 1;
  const api = startFakeApi(() => delay);
  let pool: Pool;
  beforeAll(async () => {
    await new Promise<void>((resolve) => api.server.listen(0, '127.0.0.1', resolve));
    pool = new Pool(`http://127.0.0.1:${(api.server.address() as AddressInfo).port}`, { connections: 16 });
  });
  afterAll(async () => {
    await pool.close();
    await new Promise((resolve) => api.server.close(resolve));
  });
  const base = () => ({ pool, basePath: '', file, users, fixtures, random: Math.random });

  it('starts iterations evenly at the target rate and records one sample per request with Server-Timing', async () => {
    api.seen.length = 0;
    const result = await drive({ ...base(), rate: 100, durationMs: 600, maxInFlight: 60 });
    expect(result).toMatchObject({ iterations: 60, dropped: 0 });
    expect(result.samples.length).toBe(api.seen.length);
    expect(result.samples.every((s) => s.expected && s.checkOk && s.serverMs === 1.5 && s.dbCalls === 1)).toBe(true);
    const starts = result.samples.filter((s) => s.operation !== 'deleteNeighborhood').map((s) => s.startMs);
    // Spread over the run (10 ms apart), not sent as a burst when the second starts: no 100 ms window holds
    // more than a third of them, even with a busy machine delaying some timers.
    expect(Math.max(...starts) - Math.min(...starts)).toBeGreaterThan(500);
    const perWindow = new Map<number, number>();
    for (const start of starts)
      perWindow.set(Math.floor(start / 100), (perWindow.get(Math.floor(start / 100)) ?? 0) + 1);
    expect(Math.max(...perWindow.values())).toBeLessThan(starts.length / 3);
  });

  it('drops iterations while maxInFlight are still running, like k6 running out of VUs', async () => {
    delay = 200;
    const result = await drive({ ...base(), rate: 100, durationMs: 300, maxInFlight: 2 });
    delay = 1;
    expect(result.dropped).toBeGreaterThan(20);
    expect(result.iterations + result.dropped).toBe(30);
  });

  it('continues iteration numbers after a warm-up, so Idempotency-Keys never repeat', async () => {
    api.seen.length = 0;
    const warmup = await drive({ ...base(), rate: 200, durationMs: 200, maxInFlight: 40, random: () => 0.9 });
    await drive({
      ...base(),
      rate: 200,
      durationMs: 200,
      maxInFlight: 40,
      random: () => 0.9,
      firstIteration: warmup.iterations + warmup.dropped,
    });
    const keys = api.seen.flatMap((r) => (r.idempotencyKey ? [r.idempotencyKey] : []));
    expect(keys.length).toBeGreaterThan(60);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
