import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../logger.js';

interface RequestContext {
  requestId: string;
  logger: Logger;
  /** Set by the dispatcher once it has matched the request. */
  operation: string | undefined;
}

const contexts = new WeakMap<Request, RequestContext>();
/** A client-supplied id is reused (to correlate with its own logs) only when it is short and plain. */
const acceptableRequestId = /^[A-Za-z0-9._:-]{1,128}$/;

/** Gives every request an id (X-Request-Id in and out) and one access-log line that carries it. */
export function createRequestContextMiddleware(logger: Logger, now: () => Date = () => new Date()) {
  return (req: Request, res: Response, next: NextFunction) => {
    const incoming = req.headers['x-request-id'];
    const requestId = typeof incoming === 'string' && acceptableRequestId.test(incoming) ? incoming : randomUUID();
    const context: RequestContext = { requestId, logger, operation: undefined };
    contexts.set(req, context);
    res.setHeader('X-Request-Id', requestId);
    const started = now().getTime();
    res.on('finish', () => {
      logger.info('request', {
        request_id: requestId,
        operation: context.operation,
        method: req.method,
        // The path only: query strings can carry OAuth codes and state.
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
