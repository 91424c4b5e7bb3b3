import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { WriteKind } from './ledger.js';

export type GreenCallCounts = Partial<Record<WriteKind, { writes: number; calls: number }>>;

/** The write a request is, by the web client's routes (undefined for reads). */
function toWriteKind(method: string | undefined, url: string | undefined): WriteKind | undefined {
  const path = (url ?? '').split('?')[0] ?? '';
  if (method === 'POST' && path === '/api/nbhds') return 'create';
  if (method === 'POST' && /^\/api\/nbhds\/[^/]+\/join$/.test(path)) return 'join';
  if (method === 'DELETE' && /^\/api\/nbhds\/[^/]+\/leave$/.test(path)) return 'leave';
  if (method === 'PATCH' && /^\/api\/nbhds\/[^/]+$/.test(path)) return 'rename';
  if (method === 'DELETE' && /^\/api\/nbhds\/[^/]+$/.test(path)) return 'delete';
  return undefined;
}

/**
 * Counts green's DynamoDB calls per acknowledged write, per kind: each request runs in its own async context, and
 * a middleware on the app's client adds every call sent to the request it was made for (the SDK's own retries not
 * counted, as `bench:api` counts).
 */
export function countGreenCalls(client: DynamoDBClient, app: RequestListener) {
  const current = new AsyncLocalStorage<{ calls: number }>();
  const counts: GreenCallCounts = {};
  client.middlewareStack.add(
    (next) => async (args) => {
      const request = current.getStore();
      if (request) request.calls += 1;
      return next(args);
    },
    { step: 'initialize', name: 'rehearsalCallCounter' },
  );
  const listener: RequestListener = (req: IncomingMessage, res: ServerResponse) => {
    const request = { calls: 0 };
    res.once('finish', () => {
      const kind = toWriteKind(req.method, req.url);
      if (!kind || res.statusCode < 200 || res.statusCode > 299) return;
      const entry = counts[kind] ?? { writes: 0, calls: 0 };
      entry.writes += 1;
      entry.calls += request.calls;
      counts[kind] = entry;
    });
    current.run(request, () => app(req, res));
  };
  return { listener, counts };
}
