/**
 * The floor for `npm run bench:cpu`: `node:http` and the same DocumentClient calls per operation as the app
 * (floor-reads.ts, floor-writes.ts), with no framework, validation, logging or security headers. It verifies
 * the bearer token (HS256, node:crypto) because the app must know who calls; it answers the statuses and the
 * JSON fields the load-test flows read (ids, counts). Cursors are unsigned base64url here: the mix reads first pages only.
 * With FLOOR_FRAMEWORK=express the same code is the one middleware of a bare Express app (the app's settings),
 * which shows what the framework alone costs.
 */
import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import express from 'express';
import { createDocumentClient, createDynamoDbClient, localCredentials } from '../../server/data/table/client.js';
import { attachCpuLedger } from './cpu-ledger.js';
import { isNeighborhoodItem, toNbhd } from './floor-keys.js';
import { createFloorReads } from './floor-reads.js';
import { createFloorWrites } from './floor-writes.js';

const env = process.env;
const documentClient = createDocumentClient(
  createDynamoDbClient({
    region: 'local',
    endpoint: env.DYNAMODB_ENDPOINT_URL as string,
    credentials: localCredentials,
  }),
);
const table = env.DYNAMODB_TABLE_NAME as string;
const store = { ...createFloorReads(documentClient, table), ...createFloorWrites(documentClient, table) };
const secret = Buffer.from(env.SECRET_KEY as string);

function readUser(req: IncomingMessage): string | undefined {
  const [header, payload, signature] = (req.headers.authorization ?? '').slice(7).split('.');
  if (!header || !payload || !signature) return undefined;
  const expected = createHmac('sha256', secret).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { sub?: string; exp?: number };
  return typeof claims.sub === 'string' && (claims.exp ?? 0) > Date.now() / 1000 ? claims.sub : undefined;
}

function send(res: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    res.writeHead(status, { 'x-request-id': randomUUID() }).end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': randomUUID() }).end(text);
}

const cursor = (more: boolean) => (more ? Buffer.from(JSON.stringify({ more })).toString('base64url') : null);

async function readBody(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text;
}

async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://floor');
  const parts = url.pathname.split('/').filter(Boolean);
  const limit = Number(url.searchParams.get('limit') ?? 20);
  const method = req.method;
  if (url.pathname === '/health') return send(res, 200, { status: 'ok' });
  if (method === 'GET' && url.pathname === '/api/nbhds') {
    const page = await store.list(limit);
    return send(res, 200, { items: page.items.map(toNbhd), next_cursor: cursor(page.more) });
  }
  if (method === 'GET' && parts[0] === 'api' && parts[1] === 'nbhds' && parts.length >= 3) {
    const id = decodeURIComponent(parts[2] as string);
    const members = parts[3] === 'members';
    const page = await store.queryPartition(id, members ? limit + 2 : 102);
    const [first, ...rest] = page.Items ?? [];
    if (!isNeighborhoodItem(first)) return send(res, 404, { title: 'Not Found' });
    const list = rest.map(({ user_id, joined_at }) => ({ user_id, joined_at }));
    if (members) return send(res, 200, { items: list.slice(0, limit), next_cursor: cursor(list.length > limit) });
    return send(res, 200, {
      ...toNbhd(first),
      members: list.slice(0, 100),
      members_next_cursor: cursor(list.length > 100),
    });
  }
  const user = readUser(req);
  if (!user) return send(res, 401, { title: 'Unauthorized' });
  if (method === 'GET' && url.pathname === '/auth/me') return send(res, 200, { user_id: user, authenticated: true });
  if (method === 'GET' && url.pathname === '/api/users/me/nbhds') {
    const page = await store.listMine(user, limit);
    return send(res, 200, { items: page.items.map(toNbhd), next_cursor: cursor(page.more) });
  }
  if (method === 'POST' && url.pathname === '/api/nbhds') {
    const text = await readBody(req);
    const body = JSON.parse(text) as { name: string; description?: string };
    const key = req.headers['idempotency-key'] as string | undefined;
    const idem = key ? { key, hash: createHash('sha256').update(text).digest('base64url') } : undefined;
    if (idem) {
      const stored = await store.getIdempotency(user, idem.key);
      if (stored.Item) return send(res, 201, JSON.parse(String(stored.Item.response)).body);
    }
    return send(res, 201, await store.create(user, body.name, body.description, idem));
  }
  const id = decodeURIComponent(parts[2] ?? '');
  if (method === 'POST' && parts[3] === 'join') {
    await store.join(id, user);
    return send(res, 201, { message: 'Joined the neighborhood', nbhd_id: id });
  }
  if (method === 'DELETE' && parts[3] === 'leave') {
    await store.leave(id, user);
    return send(res, 204);
  }
  if (method === 'DELETE' && parts.length === 3) {
    await store.remove(id, user);
    return send(res, 204);
  }
  send(res, 404, { title: 'Not Found' });
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  route(req, res).catch((error: unknown) => {
    const name = error instanceof Error ? error.name : '';
    send(res, name === 'TransactionCanceledException' || name === 'ConditionalCheckFailedException' ? 409 : 500, {
      title: name,
    });
  });
}

function mountInExpress() {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(handle);
  return app;
}

const server = createServer(env.FLOOR_FRAMEWORK === 'express' ? mountInExpress() : handle);
attachCpuLedger(server);
server.keepAliveTimeout = 65_000;
server.listen(Number(env.PORT), '127.0.0.1');
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
