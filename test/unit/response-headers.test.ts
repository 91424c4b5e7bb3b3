import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import cors from 'cors';
import express from 'express';
import helmet from 'helmet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createResponseHeaders, type ResponseHeaderOptions } from '../../server/http/response-headers.js';
import { securityHeaderOptions } from '../../server/http/security-headers.js';

const options: ResponseHeaderOptions = {
  cors: {
    origin: ['https://nbhd.city', 'http://localhost:5173'],
    credentials: false,
    allowedHeaders: ['Authorization', 'Content-Type'],
    exposedHeaders: ['Link', 'Location', 'X-Request-Id'],
    maxAge: 600,
  },
};

async function serve(app: express.Express): Promise<Server> {
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use((_req, res) => {
    res.json({ ok: true });
  });
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

let ours: Server;
let libraries: Server;
beforeAll(async () => {
  const withOurs = express();
  withOurs.use(createResponseHeaders(options));
  ours = await serve(withOurs);
  const withLibraries = express();
  withLibraries.use(helmet(securityHeaderOptions), cors(options.cors));
  libraries = await serve(withLibraries);
});
afterAll(() => {
  ours.close();
  libraries.close();
});

async function answer(server: Server, method: string, headers: Record<string, string>) {
  const { port } = server.address() as AddressInfo;
  const response = await fetch(`http://127.0.0.1:${port}/api/nbhds`, { method, headers });
  await response.arrayBuffer();
  return { status: response.status, headers: [...response.headers].filter(([name]) => name !== 'date') };
}

describe('response headers', () => {
  const cases: [string, Record<string, string>][] = [
    ['GET', {}],
    ['POST', {}],
    ['GET', { origin: 'https://nbhd.city' }],
    ['GET', { origin: 'https://evil.example' }],
    ['OPTIONS', { origin: 'https://nbhd.city', 'access-control-request-method': 'POST' }],
    ['OPTIONS', { origin: 'https://evil.example', 'access-control-request-method': 'DELETE' }],
    ['OPTIONS', {}],
  ];
  for (const [method, headers] of cases) {
    it(`answers ${method} ${JSON.stringify(headers)} with exactly helmet's and cors's headers`, async () => {
      const [got, expected] = await Promise.all([answer(ours, method, headers), answer(libraries, method, headers)]);
      expect(got).toEqual(expected);
    });
  }

  it('sends Vary: Origin and the exposed headers to a request without an Origin', async () => {
    const { headers } = await answer(ours, 'GET', {});
    expect(Object.fromEntries(headers)).toMatchObject({
      vary: 'Origin',
      'access-control-expose-headers': 'Link,Location,X-Request-Id',
      'content-security-policy': expect.stringContaining("default-src 'none'"),
    });
  });
});
