import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { LegacyIdRepo } from '../data/neighborhood/legacy-id.js';
import { ApiError } from '../errors.js';
import { getClientAddress } from './edge-origin.js';
import { findLegacyId, redirectLegacyId } from './legacy-id-redirect.js';
import type { OperationHandler, OperationHandlers, OperationId, OperationInput } from './operation-types.js';
import { getRequestContext } from './request-context.js';
import { matchOperation, type OperationMatch, type RequestOperation } from './request-operation.js';
import { type SecurityHandler, validateRequest } from './request-validation.js';

export interface DispatcherOptions {
  /** The operations of openapi.yaml with their compiled validators (server/generated/request-validators.ts). */
  operations: readonly RequestOperation[];
  handlers: OperationHandlers;
  /** One handler per security scheme the operations name (e.g. `bearerAuth`). */
  securityHandlers: Record<string, SecurityHandler>;
  legacyIds: LegacyIdRepo;
  /** Told the operationId of each matched request (Lambda metrics and logs name it). */
  onOperation?: (operationId: OperationId) => void;
  /** Reads the body into req.body (express.json): after the legacy-id redirect, before validation. */
  parseBody: RequestHandler;
}

const bodylessStatuses = new Set([204, 205, 304]);

/**
 * What res.json writes (no ETag: the app turns it off), without its per-response settings lookups and
 * Content-Type parsing. A conditional request (If-None-Match, If-Modified-Since), a bodiless status or a
 * Content-Type the handler set still go through res.json, so Express's answers to those stay as they were.
 */
function writeJson(req: Request, res: Response, body: unknown): void {
  const headers = req.headers;
  const conditional = headers['if-none-match'] || headers['if-modified-since'];
  if (conditional || bodylessStatuses.has(res.statusCode) || res.hasHeader('Content-Type')) {
    res.json(body);
    return;
  }
  const text = JSON.stringify(body);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  // Node sends no body for HEAD itself; the Content-Length above is the GET's, as Express sets it.
  res.end(text);
}
const notFound = () => new ApiError('not-found', 'There is no such resource.');

/**
 * The one dispatcher, one middleware: it finds the request's operation in the generated table once, answers a
 * legacy integer id with its 308 before the body is read, parses the body (`parseBody`, e.g. express.json),
 * validates the request against the operation, calls its handler with the typed input and writes the result.
 * Errors go to Express's error handler.
 *
 * @example
 * app.use(createDispatcher({ operations: requestOperations, handlers, securityHandlers, legacyIds, parseBody }));
 */
export function createDispatcher(options: DispatcherOptions): RequestHandler {
  async function dispatch(req: Request, res: Response, found: OperationMatch | undefined): Promise<void> {
    // Unknown path, or a known path's unknown method: both as unknown to clients.
    if (!found?.operation) throw notFound();
    const validated = await validateRequest(req, { ...found, operation: found.operation }, options.securityHandlers);
    const handler = options.handlers[validated.operation.operationId] as OperationHandler<OperationId>;
    const search = req.originalUrl.indexOf('?');
    const input = {
      path: validated.path,
      query: validated.query,
      headers: validated.headers,
      body: validated.body,
      user: validated.user,
      url: { path: req.originalUrl.split('?')[0] ?? '/', search: search === -1 ? '' : req.originalUrl.slice(search) },
      client: getClientAddress(req),
    } as OperationInput<OperationId>;
    const result: { status: number; body?: unknown; type?: string; headers?: Record<string, string> } =
      await handler(input);
    res.status(result.status);
    for (const [name, value] of Object.entries(result.headers ?? {})) {
      // res.location percent-encodes what a URL may not hold, as Express's redirects do.
      if (name === 'Location') res.location(value);
      else res.setHeader(name, value);
    }
    if (result.type !== undefined) res.type(result.type).send(result.body);
    else if (result.body !== undefined) writeJson(req, res, result.body);
    else res.end();
  }

  return (req: Request, res: Response, next: NextFunction) => {
    const found = matchOperation(options.operations, req.method, req.originalUrl.split('?')[0] ?? '/');
    if (found?.operation) {
      getRequestContext(req).operation = found.operation.operationId;
      options.onOperation?.(found.operation.operationId);
    }
    const legacy = found && findLegacyId(found);
    if (found && legacy !== undefined) {
      redirectLegacyId(options.legacyIds, found, legacy, req, res).catch(next);
      return;
    }
    options.parseBody(req, res, (error?: unknown) => {
      if (error) next(error);
      else dispatch(req, res, found).catch(next);
    });
  };
}
