import express from 'express';
import { readBearerToken } from './auth/request-user.js';
import type { SessionTokens } from './auth/session-tokens.js';
import type { Config } from './config.js';
import type { LegacyIdRepo } from './data/neighborhood/legacy-id.js';
import { requestOperations } from './generated/request-validators.js';
import { createDispatcher } from './http/dispatcher.js';
import { createEdgeOriginGuard } from './http/edge-origin.js';
import { createErrorHandler } from './http/error-handler.js';
import type { OperationHandlers, OperationId } from './http/operation-types.js';
import { createRequestContextMiddleware } from './http/request-context.js';
import { createResponseHeaders } from './http/response-headers.js';
import type { Logger } from './logger.js';

/** The request body limit of the contract (→ 413 above it). */
export const bodyLimitBytes = 16 * 1024;

export interface AppDeps {
  config: Readonly<Config>;
  logger: Logger;
  /** Writes the one line per request. */
  now: () => Date;
  sessionTokens: SessionTokens;
  legacyIds: LegacyIdRepo;
  /** One handler per operationId of openapi.yaml (server/handlers/create-handlers.ts). */
  handlers: OperationHandlers;
  /** Told the operationId of each matched request. */
  onOperation?: (operationId: OperationId) => void;
}

/**
 * Builds the Express app: request ids, security headers, CORS, then the one dispatcher mounted from the table
 * generated from openapi.yaml, and the one error handler. It never listens and never reads the environment;
 * server/runtime.ts builds its deps.
 */
export function createApp(deps: AppDeps): express.Express {
  const { config, sessionTokens } = deps;
  const dispatcher = createDispatcher({
    operations: requestOperations,
    handlers: deps.handlers,
    securityHandlers: { bearerAuth: (req) => sessionTokens.verify(readBearerToken(req)) },
    legacyIds: deps.legacyIds,
    ...(deps.onOperation ? { onOperation: deps.onOperation } : {}),
    parseBody: express.json({ limit: bodyLimitBytes, type: ['application/json', 'application/*+json'], strict: true }),
  });
  const app = express();
  app.disable('x-powered-by');
  // Nothing in the contract is cacheable by ETag (bearer-authenticated JSON): no hash of every body.
  app.set('etag', false);
  app.set('trust proxy', true);
  app.use(createRequestContextMiddleware(deps.logger, deps.now));
  app.use(
    createResponseHeaders({
      cors: {
        origin: config.corsAllowedOrigins,
        credentials: false,
        allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Request-Id'],
        exposedHeaders: [
          'Link',
          'Location',
          'X-Request-Id',
          'Retry-After',
          'RateLimit',
          'RateLimit-Policy',
          'Idempotent-Replayed',
          'WWW-Authenticate',
        ],
        maxAge: 600,
      },
    }),
  );
  // Behind the edge, only what came through CloudFront (and so through AWS WAF) is served.
  if (config.edgeOriginSecret !== undefined) app.use(createEdgeOriginGuard(config.edgeOriginSecret));
  // Matches first: a legacy integer id gets its 308 before the body is read or the caller checked.
  app.use(dispatcher);
  app.use(createErrorHandler());
  return app;
}
