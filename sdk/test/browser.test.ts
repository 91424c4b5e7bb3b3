import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../test/helpers/chromium.js';

const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url));
let server: Server;
let browser: Browser;
let origin: string;
const posts: (string | undefined)[] = [];

// The page's script: runs the SDK in Chromium against this origin's stub API and reports what it saw.
const pageScript = `
import { createNbhdClient, NbhdApiError } from '/sdk.js';
const nbhd = createNbhdClient({ baseUrl: location.origin, token: 'browser-token', retry: { baseDelayMs: 1 } });
const created = await nbhd.createNeighborhood({ name: 'Browser Lane' });
const names = [];
for await (const item of nbhd.iterateNeighborhoods({ limit: 1 })) names.push(item.name);
let status = 0;
try { await nbhd.getNeighborhood('missing'); } catch (error) { if (error instanceof NbhdApiError) status = error.status; }
let timeout = '';
try { await nbhd.getHealth({}, { timeoutMs: 50 }); } catch (error) { timeout = error.name; }
window.result = { created: created.name, names, status, timeout };
`;

function nbhd(name: string) {
  return {
    id: crypto.randomUUID(),
    name,
    description: null,
    created_by: 'did:plc:b',
    created_at: '2026-11-25T10:00:00.000Z',
    updated_at: null,
    member_count: 1,
  };
}

beforeAll(async () => {
  const bundle = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    logLevel: 'error',
  });
  const sdkJs = bundle.outputFiles[0]?.text ?? '';
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://page');
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
      res.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(JSON.stringify(body));
    if (url.pathname === '/') {
      return res
        .writeHead(200, { 'Content-Type': 'text/html' })
        .end(`<!DOCTYPE html><script type="module">${pageScript}</script>`);
    }
    if (url.pathname === '/sdk.js') return res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(sdkJs);
    if (url.pathname === '/api/nbhds' && req.method === 'POST') {
      posts.push(req.headers['idempotency-key'] as string | undefined);
      // The first create "fails" with 503: the SDK must retry it with the same key.
      return posts.length === 1
        ? json(
            503,
            { type: 'https://nbhd.city/problems/service-unavailable', title: 'Unavailable', status: 503 },
            { 'Retry-After': '0' },
          )
        : json(201, nbhd('Browser Lane'));
    }
    if (url.pathname === '/api/nbhds') {
      return url.searchParams.get('cursor')
        ? json(200, [nbhd('Second')])
        : json(200, [nbhd('First')], { Link: '</api/nbhds?limit=1&cursor=c1>; rel="next"' });
    }
    if (url.pathname === '/api/nbhds/missing')
      return json(404, { type: 'https://nbhd.city/problems/not-found', title: 'Not found', status: 404 });
    // /health never answers here: the SDK's deadline must fire.
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  server?.closeAllConnections();
  server?.close();
});

describe('the SDK in a browser (Chromium)', () => {
  it('creates with a retried idempotent POST, follows Link pages, throws NbhdApiError and times out', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(origin);

    const result = await page.waitForFunction(() => (window as unknown as { result?: unknown }).result, undefined, {
      timeout: 20_000,
    });

    expect(await result.jsonValue()).toEqual({
      created: 'Browser Lane',
      names: ['First', 'Second'],
      status: 404,
      timeout: 'TimeoutError',
    });
    expect(posts).toHaveLength(2);
    expect(posts[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(posts[1]).toBe(posts[0]);
    expect(errors).toEqual([]);
  });
});
