import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the front does with one request: answer it itself, drop it, or pass it on. */
export type FrontAction =
  | { kind: 'proxy' }
  | { kind: 'unavailable'; retryAfterSeconds: number }
  /** Forwards the request (so the server acts on it), then closes the socket before answering. */
  | { kind: 'drop-response' };

export interface FlakyFront {
  baseUrl: string;
  /** Requests seen, as "METHOD /path", in order. */
  seen: string[];
  close(): Promise<void>;
}

const hopByHop = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'host',
  'content-encoding',
]);

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * A tiny node:http front for the real server that misbehaves on purpose, like a load balancer or a
 * flaky network would: `decide` picks the action for the n-th request (0-based).
 */
export async function startFlakyFront(
  target: string,
  decide: (index: number, req: IncomingMessage) => FrontAction,
): Promise<FlakyFront> {
  const seen: string[] = [];
  const server: Server = createServer(async (req, res) => {
    const action = decide(seen.length, req);
    seen.push(`${req.method} ${req.url}`);
    if (action.kind === 'unavailable') {
      const problem = {
        type: 'https://nbhd.city/problems/service-unavailable',
        title: 'Service unavailable',
        status: 503,
      };
      res.writeHead(503, {
        'Content-Type': 'application/problem+json',
        'Retry-After': String(action.retryAfterSeconds),
      });
      res.end(JSON.stringify(problem));
      return;
    }
    const body = await readBody(req);
    const headers = Object.entries(req.headers).flatMap(([name, value]) =>
      hopByHop.has(name) || value === undefined
        ? []
        : [[name, Array.isArray(value) ? value.join(', ') : value] as [string, string]],
    );
    const upstream = await fetch(`${target}${req.url}`, {
      method: req.method,
      headers,
      body: body.length ? new Uint8Array(body) : undefined,
      redirect: 'manual',
    });
    const payload = Buffer.from(await upstream.arrayBuffer());
    if (action.kind === 'drop-response') {
      req.socket.destroy();
      return;
    }
    res.writeHead(upstream.status, Object.fromEntries([...upstream.headers].filter(([name]) => !hopByHop.has(name))));
    res.end(payload);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
