import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Express } from 'express';
import { createApp } from './app.js';
import { createSessionTokens } from './auth/session-tokens.js';
import type { Config } from './config.js';
import { deferMethods } from './data/deferred-methods.js';
import type { RetryPolicy } from './data/faults/backoff.js';
import { createMembershipRepo } from './data/membership/repo.js';
import type { NeighborhoodAdminRepo } from './data/neighborhood/admin-repo.js';
import { createLegacyIdRepo } from './data/neighborhood/legacy-id.js';
import { createNeighborhoodRepo } from './data/neighborhood/repo.js';
import type { RepoDeps } from './data/repo-deps.js';
import { createDocumentClient, createDynamoDbClient } from './data/table/client.js';
import { createCursorCodec } from './data/table/cursor.js';
import { createEntities, type Entities } from './data/table/entities.js';
import { createHandlers } from './handlers/create-handlers.js';
import type { HandlerDeps } from './handlers/handler-deps.js';
import type { OperationHandlers, OperationId } from './http/operation-types.js';
import { createLogger, type Logger } from './logger.js';
import type { BlueskyLoginOptions } from './oauth/bluesky-login.js';
import { createLambdaMetrics, type LambdaMetrics } from './observability/lambda-telemetry.js';
import { countDynamoDbThrottles, type ThrottleCounter } from './observability/throttle-counter.js';

/** What tests, benches and the local entry may inject; everything else is built from the config. */
export interface RuntimeOverrides {
  /** A client of their own (e.g. with call recorders or fault injection attached); else one for the config's endpoint. */
  dynamoDbClient?: DynamoDBClient;
  /** The parsed openapi.yaml served at /openapi.yaml; loadOpenApiDocument() when omitted. */
  apiSpec?: Record<string, unknown>;
  /**
   * The Redoc page for /docs; a minimal page pointing at /openapi.yaml when omitted (or when the function returns
   * undefined). A function is called on the first GET /docs: the page is 2.6 MB.
   */
  docsHtml?: string | (() => string | undefined);
  logger?: Logger;
  now?: () => Date;
  generateId?: () => string;
  retryPolicy?: RetryPolicy;
  /** Log in with Bluesky (when config.oauth is set): on by default; false answers "not configured". */
  blueskyLogin?: BlueskyLoginOptions | false;
  /** Handlers that replace the built-in ones for their operationIds. */
  handlers?: Partial<OperationHandlers>;
}

export interface Runtime {
  config: Readonly<Config>;
  app: Express;
  logger: Logger;
  metrics: LambdaMetrics;
  dynamoDbClient: DynamoDBClient;
  documentClient: DynamoDBDocumentClient;
  entities: Entities;
  /** Throttled DynamoDB calls since the last take(). */
  throttles: ThrottleCounter;
  /** The operationId the dispatcher matched since the last take() ("unmatched" if none). */
  takeOperation: () => string;
}

const fallbackDocsHtml = (title: string) =>
  `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${title}</title></head>` +
  `<body><p>The API documentation page was not built. The contract is at <a href="/openapi.yaml">/openapi.yaml</a>.</p></body></html>`;

/**
 * The one composition root: builds the clients, entities, repositories, session tokens, logger, metrics and
 * the Express app from the config. The Lambda entry, `npm start`, the tests and the benches all call it.
 *
 * @example
 * const { app } = createRuntime(loadConfig(process.env, { mode: 'lambda' }));
 */
export function createRuntime(config: Readonly<Config>, overrides: RuntimeOverrides = {}): Runtime {
  const logger = overrides.logger ?? createLogger({ level: config.logLevel, persistentKeys: { stage: config.stage } });
  const now = overrides.now ?? (() => new Date());
  const dynamoDbClient =
    overrides.dynamoDbClient ??
    createDynamoDbClient({
      region: config.awsRegion,
      ...(config.dynamodbEndpointUrl ? { endpoint: config.dynamodbEndpointUrl } : {}),
    });
  const throttles = countDynamoDbThrottles(dynamoDbClient);
  const documentClient = createDocumentClient(dynamoDbClient);
  const entities = createEntities({ documentClient, tableName: config.dynamodbTableName });
  const repoDeps: RepoDeps = {
    entities,
    cursors: createCursorCodec(config.secretKey),
    now,
    generateId: overrides.generateId ?? randomUUID,
    ...(overrides.retryPolicy ? { retryPolicy: overrides.retryPolicy } : {}),
    quotas: config.quotas,
  };
  const sessionTokens = createSessionTokens({
    secretKey: config.secretKey,
    expireMinutes: config.accessTokenExpireMinutes,
    now,
  });
  const handlerDeps: HandlerDeps = {
    config,
    logger,
    entities,
    sessionTokens,
    neighborhoods: createNeighborhoodRepo(repoDeps),
    // Only writes: loaded on the first update or delete, not at a cold start.
    neighborhoodAdmin: deferMethods<NeighborhoodAdminRepo>(
      () => import('./data/write-side.js').then((module) => module.createNeighborhoodAdminRepo(repoDeps)),
      { updateNeighborhood: true, deleteNeighborhood: true },
    ),
    memberships: createMembershipRepo(repoDeps),
    now,
  };
  let specYaml: string | undefined;
  let docsPage: string | undefined;
  const builtIn = createHandlers(handlerDeps, {
    documents: {
      // Made on the first GET /openapi.yaml, not in the init phase: stringifying the document is slow, and the
      // Lambda bundle keeps the document and its YAML text in a chunk that only this request loads.
      apiSpecYaml: async () => {
        if (specYaml === undefined) {
          const { stringify } = await import('yaml');
          const apiSpec = overrides.apiSpec ?? (await import('./openapi-document.js')).loadOpenApiDocument();
          specYaml = stringify(apiSpec);
        }
        return specYaml;
      },
      docsHtml: () => {
        docsPage ??=
          (typeof overrides.docsHtml === 'function' ? overrides.docsHtml() : overrides.docsHtml) ??
          fallbackDocsHtml('nbhd.city API');
        return docsPage;
      },
    },
    blueskyLogin: overrides.blueskyLogin ?? {},
  });
  const handlers: OperationHandlers = { ...builtIn, ...overrides.handlers };
  let operation: string | undefined;
  const app = createApp({
    config,
    logger,
    now,
    sessionTokens,
    legacyIds: createLegacyIdRepo(repoDeps),
    handlers,
    onOperation: (operationId: OperationId) => {
      operation = operationId;
    },
  });
  return {
    config,
    app,
    logger,
    metrics: createLambdaMetrics({ stage: config.stage }),
    dynamoDbClient,
    documentClient,
    entities,
    throttles,
    takeOperation: () => {
      const taken = operation ?? 'unmatched';
      operation = undefined;
      return taken;
    },
  };
}
