import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import cors from 'cors';
import express, { type Router } from 'express';
import helmet from 'helmet';
import { stringify } from 'yaml';
import { readBearerToken, setRequestUser } from './auth/request-user.js';
import { createSessionTokens } from './auth/session-tokens.js';
import type { Config } from './config.js';
import type { RetryPolicy } from './data/faults/backoff.js';
import { createMembershipRepo } from './data/membership/repo.js';
import { createNeighborhoodAdminRepo } from './data/neighborhood/admin-repo.js';
import { createLegacyIdRepo } from './data/neighborhood/legacy-id.js';
import { createNeighborhoodRepo } from './data/neighborhood/repo.js';
import type { RepoDeps } from './data/repo-deps.js';
import { createCursorCodec } from './data/table/cursor.js';
import { createEntities } from './data/table/entities.js';
import { ApiError } from './errors.js';
import { requestOperations } from './generated/request-validators.js';
import { createErrorHandler } from './http/error-handler.js';
import { createRequestContextMiddleware } from './http/request-context.js';
import { createRequestValidationMiddleware } from './http/request-validation.js';
import { createLogger, type Logger } from './logger.js';
import { createAuthFlowFallbackRouter, createAuthRouter } from './routes/auth.js';
import { createLegacyIdRedirect } from './routes/legacy-id-redirect.js';
import { createMembershipsRouter } from './routes/memberships.js';
import { createNeighborhoodsRouter } from './routes/neighborhoods.js';
import type { RouteDeps } from './routes/route-deps.js';
import { createServiceRouter } from './routes/service.js';

/** The request body limit of the contract (→ 413 above it). */
export const bodyLimitBytes = 16 * 1024;

export interface AppDeps {
  config: Readonly<Config>;
  /** The parsed openapi.yaml, served at /openapi.yaml (requests are validated by the validators generated from it). */
  apiSpec: Record<string, unknown>;
  documentClient: DynamoDBDocumentClient;
  /**
   * The Redoc page for /docs; a minimal page pointing at /openapi.yaml when omitted (or when the function
   * returns undefined). A function is called on the first GET /docs: the page is 2.6 MB, and reading it at
   * every Lambda cold start cost ~15 ms.
   */
  docsHtml?: string | (() => string | undefined);
  logger?: Logger;
  now?: () => Date;
  generateId?: () => string;
  retryPolicy?: RetryPolicy;
  /**
   * Routers other branches add (Bluesky OAuth: /auth/login, /auth/callback, /oauth/*, /api/users/profile).
   * They are mounted after validation and auth, before the built-in "not configured" answers.
   */
  routers?: Array<(deps: RouteDeps) => Router>;
}

const fallbackDocsHtml = (title: string) =>
  `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${title}</title></head>` +
  `<body><p>The API documentation page was not built. The contract is at <a href="/openapi.yaml">/openapi.yaml</a>.</p></body></html>`;

/**
 * Builds the Express app from injected dependencies; never listens and never reads the environment.
 *
 * @example
 * const app = createApp({ config, apiSpec, documentClient });
 */
export function createApp(deps: AppDeps): express.Express {
  const { config, apiSpec } = deps;
  const logger = deps.logger ?? createLogger({ level: config.logLevel });
  const now = deps.now ?? (() => new Date());
  const entities = createEntities({ documentClient: deps.documentClient, tableName: config.dynamodbTableName });
  const repoDeps: RepoDeps = {
    entities,
    cursors: createCursorCodec(config.secretKey),
    now,
    generateId: deps.generateId ?? randomUUID,
    ...(deps.retryPolicy ? { retryPolicy: deps.retryPolicy } : {}),
  };
  const sessionTokens = createSessionTokens({
    secretKey: config.secretKey,
    expireMinutes: config.accessTokenExpireMinutes,
    now,
  });
  const routeDeps: RouteDeps = {
    config,
    logger,
    entities,
    sessionTokens,
    neighborhoods: createNeighborhoodRepo(repoDeps),
    neighborhoodAdmin: createNeighborhoodAdminRepo(repoDeps),
    memberships: createMembershipRepo(repoDeps),
    now,
  };

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', true);
  app.use(createRequestContextMiddleware(logger, now));
  app.use(helmet({ contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } } }));
  app.use(
    cors({
      origin: config.corsAllowedOrigins,
      credentials: false,
      allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Request-Id'],
      exposedHeaders: ['Link', 'Location', 'X-Request-Id', 'Retry-After', 'Idempotent-Replayed', 'WWW-Authenticate'],
      maxAge: 600,
    }),
  );
  // Before body parsing, validation and auth: a 308 keeps method, body and headers for the UUID path.
  app.use(createLegacyIdRedirect(createLegacyIdRepo(repoDeps)));
  app.use(express.json({ limit: bodyLimitBytes, type: ['application/json', 'application/*+json'], strict: true }));
  app.use(
    // Validators compiled from openapi.yaml at build time (`npm run generate`, drift-checked by `npm run check`).
    createRequestValidationMiddleware({
      operations: requestOperations,
      securityHandlers: {
        bearerAuth: async (req) => {
          setRequestUser(req, await sessionTokens.verify(readBearerToken(req)));
          return true;
        },
      },
    }),
  );
  let specYaml: string | undefined;
  let docsPage: string | undefined;
  app.use(
    createServiceRouter(routeDeps, {
      // Stringified on the first GET /openapi.yaml, not at start: it costs ~100 ms of a Lambda cold start.
      apiSpecYaml: () => {
        specYaml ??= stringify(apiSpec);
        return specYaml;
      },
      docsHtml: () => {
        docsPage ??=
          (typeof deps.docsHtml === 'function' ? deps.docsHtml() : deps.docsHtml) ?? fallbackDocsHtml('nbhd.city API');
        return docsPage;
      },
    }),
  );
  // Plugged-in routers first: the Bluesky router's POST /auth/logout (revokes the Bluesky session) replaces the
  // stateless one in createAuthRouter, which stays the answer when no OAuth router is plugged in.
  for (const createRouter of deps.routers ?? []) app.use(createRouter(routeDeps));
  app.use(createAuthRouter(routeDeps));
  app.use(createNeighborhoodsRouter(routeDeps));
  app.use(createMembershipsRouter(routeDeps));
  app.use(createAuthFlowFallbackRouter());
  app.use(() => {
    throw new ApiError('not-found', 'There is no such resource.');
  });
  app.use(createErrorHandler());
  return app;
}
