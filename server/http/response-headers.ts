import type { IncomingMessage, ServerResponse } from 'node:http';
import cors, { type CorsOptions } from 'cors';
import type { NextFunction, Request, Response } from 'express';
import { securityHeaders } from './security-headers.js';

type Middleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

/** The headers `middleware` sets on `req` when nothing else has been set, asked of it once, at start. */
function recordHeaders(middleware: Middleware, req: Partial<IncomingMessage>): Map<string, string> {
  // Keyed by the name as the middleware spelled it, which is how it goes on the wire.
  const headers = new Map<string, string>();
  const find = (name: string) => [...headers.keys()].find((key) => key.toLowerCase() === name.toLowerCase());
  const recorder = {
    getHeader: (name: string) => headers.get(find(name) ?? name),
    setHeader(name: string, value: string | number | readonly string[]) {
      headers.delete(find(name) ?? name);
      headers.set(name, String(value));
      return recorder;
    },
    removeHeader(name: string) {
      headers.delete(find(name) ?? name);
    },
  };
  let passed = false;
  middleware(req as IncomingMessage, recorder as unknown as ServerResponse, (error) => {
    if (error) throw error;
    passed = true;
  });
  // A middleware that did not pass the request on at once is not one whose headers can be recorded.
  if (!passed) throw new Error('the middleware did not pass the request on synchronously');
  return headers;
}

export interface ResponseHeaderOptions {
  /** A static allow-list (not a function): what CORS answers a request without `Origin` never varies. */
  cors: CorsOptions & { origin: string | string[] | boolean };
}

/**
 * The security headers (security-headers.ts) and the CORS headers, in one step. The CORS headers of a request that
 * sends no `Origin` (not a browser's cross-origin request: `Vary: Origin` and the exposed headers) never vary
 * either, so they are asked of `cors` once at start and set with the security headers in one call; a request
 * with an `Origin`, and every preflight, still goes through `cors`.
 */
export function createResponseHeaders(options: ResponseHeaderOptions) {
  const security = new Map(securityHeaders);
  const corsMiddleware = cors(options.cors);
  const withoutOrigin = new Map([...security, ...recordHeaders(corsMiddleware, { method: 'GET', headers: {} })]);
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.headers.origin === undefined && req.method !== 'OPTIONS') {
      res.setHeaders(withoutOrigin);
      next();
      return;
    }
    res.setHeaders(security);
    corsMiddleware(req, res, next);
  };
}
