import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../logger.js';

interface RequestContext {
  requestId: string;
  logger: Logger;
}

const contexts = new WeakMap<Request, RequestContext>();
/** A client-supplied id is reused (to correlate with its own logs) only when it is short and plain. */
const acceptableRequestId = /^[A-Za-z0-9._:-]{1,128}$/;

/** Gives every request an id (X-Request-Id in and out) and one access-log line that carries it. */
export function createRequestContextMiddleware(logger: Logger, now: () => Date = () => new Date()) {
  return (req: Request, res: Response, next: NextFunction) => {
    const incoming = req.get('x-request-id');
    const requestId = incoming && acceptableRequestId.test(incoming) ? incoming : randomUUID();
    contexts.set(req, { requestId, logger });
    res.setHeader('X-Request-Id', requestId);
    const started = now().getTime();
    res.on('finish', () => {
      // The path only: query strings can carry OAuth codes and state.
      logger.info('request', {
        request_id: requestId,
        method: req.method,
        path: req.path,
        status: res.statusCode,
        duration_ms: now().getTime() - started,
      });
    });
    next();
  };
}

export function getRequestContext(req: Request): RequestContext {
  const context = contexts.get(req);
  if (!context) throw new Error('request context middleware not installed');
  return context;
}
