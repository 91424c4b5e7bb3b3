import type { NextFunction, Request, Response } from 'express';
import { ApiError, toProblem } from '../errors.js';
import { getRequestContext } from './request-context.js';
import { summarizeReasons } from './schema-messages.js';

interface HttpishError {
  status?: number;
  statusCode?: number;
  type?: string;
}

/** Turns anything thrown before or inside a handler into an ApiError; unknown errors become 500. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const httpish = (typeof error === 'object' && error !== null ? error : {}) as HttpishError;
  // body-parser
  if (httpish.type === 'entity.parse.failed')
    return new ApiError('malformed-json', 'The request body is not valid JSON.');
  if (httpish.type === 'entity.too.large') {
    return new ApiError('payload-too-large', 'The request body is larger than 16 KiB.');
  }
  if (httpish.type === 'charset.unsupported' || httpish.type === 'encoding.unsupported') {
    return new ApiError('unsupported-media-type', 'Send the body as UTF-8 application/json.');
  }
  // Other HTTP errors (http-errors and the like) by status; our own validation throws ApiErrors.
  switch (httpish.status ?? httpish.statusCode) {
    case 400:
      return new ApiError('validation-error', summarizeReasons([]));
    case 401:
      return new ApiError('unauthorized', 'A valid session token is required: "Authorization: Bearer <token>".');
    case 404:
    case 405:
      // An unknown method on a known path is as unknown to clients as an unknown path.
      return new ApiError('not-found', 'There is no such resource.');
    case 413:
      return new ApiError('payload-too-large', 'The request body is larger than 16 KiB.');
    case 415:
      return new ApiError('unsupported-media-type', 'Send the body as application/json.');
    default:
      return new ApiError('internal-error', 'Something went wrong on our side.', { cause: error });
  }
}

/**
 * The request path as a URI reference for `instance`: a `%` not starting an escape, and any character a URI path
 * may not hold, are percent-encoded (the raw path can be anything the HTTP parser let through).
 */
export function toInstancePath(rawPath: string): string {
  return rawPath.replace(/%(?![0-9A-Fa-f]{2})/g, '%25').replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@/%]/gu, (char) =>
    // A lone surrogate cannot be UTF-8 encoded: it stands as U+FFFD.
    encodeURIComponent(/\p{Cs}/u.test(char) ? '\uFFFD' : char),
  );
}

/** The one place an error becomes a response: application/problem+json, no stack traces, no internal names. */
export function createErrorHandler() {
  return (error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    const apiError = toApiError(error);
    const { requestId, logger } = getRequestContext(req);
    if (apiError.status >= 500) {
      logger.error('request failed', {
        request_id: requestId,
        status: apiError.status,
        error: apiError.cause ?? error,
      });
    }
    if (apiError.status === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="nbhd.city"');
    if (apiError.retryAfter !== undefined) res.setHeader('Retry-After', String(apiError.retryAfter));
    for (const [name, value] of Object.entries(apiError.headers ?? {})) res.setHeader(name, value);
    res
      .status(apiError.status)
      .type('application/problem+json')
      .send(JSON.stringify(toProblem(apiError, toInstancePath(req.originalUrl.split('?')[0] ?? '/'), requestId)));
  };
}
