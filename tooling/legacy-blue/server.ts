import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { createTokenReader, UnauthorizedError } from './auth.js';
import { HttpError, isPgError, readCreate, readInteger, readJson, readPathId } from './http-input.js';
import {
  deleteMembership,
  insertMembership,
  insertNeighborhood,
  selectMembers,
  selectMembership,
  selectNeighborhood,
  selectNeighborhoodPage,
  selectUserNeighborhoods,
} from './statements.js';

export interface LegacyBlueOptions {
  databaseUrl: string;
  /** The SECRET_KEY the legacy service and the new API share. */
  secretKey: string;
  /** 0 (default) picks a free port. */
  port?: number;
  poolSize?: number;
}

export interface LegacyBlue {
  /** e.g. http://127.0.0.1:41234 */
  baseUrl: string;
  server: Server;
  close(): Promise<void>;
}

type Db = pg.PoolClient;

const uniqueViolation = '23505';

/**
 * A stand-in for blue, the legacy Python service, on its PostgreSQL: the calls the web client makes, the
 * statements in the documented order, one transaction per request, integer ids, `{detail}` errors with the
 * legacy status codes. Unlike the real service, leave really deletes the row (API.md: the defect is not
 * reproduced, so that leaves flow through replication like any other change).
 */
export async function startLegacyBlue(options: LegacyBlueOptions): Promise<LegacyBlue> {
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 8 });
  // An idle client's error (e.g. the server restarting) must not crash the process.
  pool.on('error', () => {});
  const readUser = createTokenReader(options.secretKey);

  const inTransaction = async <T>(work: (db: Db) => Promise<T>): Promise<T> => {
    const db = await pool.connect();
    try {
      await db.query('BEGIN');
      const result = await work(db);
      await db.query('COMMIT');
      return result;
    } catch (error) {
      await db.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      db.release();
    }
  };

  const route = async (req: IncomingMessage): Promise<{ status: number; body?: unknown }> => {
    const url = new URL(req.url ?? '/', 'http://blue');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const method = req.method ?? 'GET';
    const user = () => readUser(req.headers.authorization);
    if (method === 'GET' && path === '/') return { status: 200, body: { message: 'Welcome to nbhd.city API' } };
    if (method === 'GET' && path === '/health') return { status: 200, body: { status: 'healthy' } };
    if (method === 'GET' && path === '/auth/me')
      return { status: 200, body: { user_id: await user(), authenticated: true } };
    if (path === '/api/users/me/nbhds' && method === 'GET') {
      const did = await user();
      const neighborhoods = await inTransaction((db) => selectUserNeighborhoods(db, did));
      return { status: 200, body: { neighborhoods } };
    }
    if (path === '/api/nbhds' && method === 'GET') {
      const skip = readInteger(url.searchParams.get('skip'), 'skip', 0, 0);
      const limit = readInteger(url.searchParams.get('limit'), 'limit', 100, 1);
      return { status: 200, body: await inTransaction((db) => selectNeighborhoodPage(db, skip, limit)) };
    }
    if (path === '/api/nbhds' && method === 'POST') {
      const did = await user();
      const input = readCreate(await readJson(req));
      try {
        const created = await inTransaction(async (db) => {
          const row = await insertNeighborhood(db, { ...input, createdBy: did });
          await insertMembership(db, did, row.id);
          return row;
        });
        return { status: 201, body: { ...created, member_count: 1 } };
      } catch (error) {
        if (isPgError(error, uniqueViolation)) throw new HttpError(409, 'Neighborhood name already exists');
        throw error;
      }
    }
    const match = /^\/api\/nbhds\/([^/]+)(\/join|\/leave)?$/.exec(path);
    if (match) {
      const nbhdId = readPathId(match[1] ?? '');
      const action = match[2];
      if (!action && method === 'GET') {
        const detail = await inTransaction(async (db) => {
          const nbhd = await selectNeighborhood(db, nbhdId);
          if (!nbhd) throw new HttpError(404, 'Neighborhood not found');
          return { ...nbhd, members: await selectMembers(db, nbhdId) };
        });
        return { status: 200, body: detail };
      }
      if (action === '/join' && method === 'POST') {
        const did = await user();
        // A unique violation in the race between the check and the insert is a 500, as in the legacy service.
        await inTransaction(async (db) => {
          const nbhd = await selectNeighborhood(db, nbhdId);
          if (!nbhd) throw new HttpError(404, 'Neighborhood not found');
          if (await selectMembership(db, did, nbhdId))
            throw new HttpError(409, 'Already a member of this neighborhood');
          await insertMembership(db, did, nbhdId);
        });
        return { status: 201, body: { message: 'Successfully joined neighborhood', nbhd_id: nbhdId } };
      }
      if (action === '/leave' && method === 'DELETE') {
        const did = await user();
        await inTransaction(async (db) => {
          const membership = await selectMembership(db, did, nbhdId);
          if (!membership) throw new HttpError(404, 'Not a member of this neighborhood');
          await deleteMembership(db, membership.id);
        });
        return { status: 204 };
      }
    }
    if (/^\/(api|auth)(\/|$)/.test(path) || path === '/' || path === '/health') {
      throw new HttpError(405, 'Method Not Allowed');
    }
    throw new HttpError(404, 'Not Found');
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    let status: number;
    let body: unknown;
    const headers: Record<string, string> = {};
    try {
      ({ status, body } = await route(req));
    } catch (error) {
      if (error instanceof UnauthorizedError) {
        status = 401;
        body = { detail: error.message };
        headers['www-authenticate'] = 'Bearer';
      } else if (error instanceof HttpError) {
        status = error.status;
        body = { detail: error.detail };
      } else {
        status = 500;
        body = { detail: 'Internal Server Error' };
      }
    }
    if (body === undefined) {
      res.writeHead(status, headers).end();
    } else {
      res.writeHead(status, { ...headers, 'content-type': 'application/json' }).end(JSON.stringify(body));
    }
  };

  const server = createServer((req, res) => void handle(req, res));
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    server,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await pool.end();
    },
  };
}
