import { existsSync, readFileSync } from 'node:fs';
import type { Express } from 'express';
import { createApp } from './app.js';
import { type Config, loadConfig } from './config.js';
import { createDocumentClient, createDynamoDbClient } from './data/table/client.js';
import { requestOperations } from './generated/request-validators.js';
import { createBlueskyRouter } from './oauth/bluesky-routes.js';
import { toAppLogger } from './observability/app-logger.js';
import { createLambdaLogger, createLambdaMetrics } from './observability/lambda-telemetry.js';
import { createOperationMatcher } from './observability/operation-matcher.js';
import { countDynamoDbThrottles } from './observability/throttle-counter.js';
import type { ObservabilityDeps } from './observability/with-observability.js';
import { loadOpenApiDocument } from './openapi-document.js';

/** Next to the bundle (the build copies it into the zip) or at the repo root when run from source. */
function readAsset(name: string): string | undefined {
  for (const candidate of [new URL(`./${name}`, import.meta.url), new URL(`../${name}`, import.meta.url)]) {
    if (existsSync(candidate)) return readFileSync(candidate, 'utf8');
  }
  return undefined;
}

export interface LambdaApp {
  app: Express;
  config: Readonly<Config>;
  /** Powertools logger + EMF metrics + throttle counter for withObservability. */
  observability: ObservabilityDeps;
}

/**
 * Wires the app for Lambda from the environment: config, the SDK client (region's endpoint) with a throttle
 * counter, the inlined spec, and Powertools logging/metrics.
 */
export function createLambdaApp(env: Record<string, string | undefined>): LambdaApp {
  const config = loadConfig(env, { mode: 'lambda' });
  const logger = createLambdaLogger({ stage: config.stage, logLevel: config.logLevel });
  const metrics = createLambdaMetrics({ stage: config.stage });
  const apiSpec = loadOpenApiDocument();
  const dynamoDbClient = createDynamoDbClient({
    region: config.awsRegion,
    ...(config.dynamodbEndpointUrl ? { endpoint: config.dynamodbEndpointUrl } : {}),
  });
  const throttles = countDynamoDbThrottles(dynamoDbClient);
  const app = createApp({
    config,
    apiSpec,
    documentClient: createDocumentClient(dynamoDbClient),
    logger: toAppLogger(logger),
    routers: [createBlueskyRouter()],
    docsHtml: () => readAsset('docs.html'),
  });
  return {
    app,
    config,
    observability: { logger, metrics, throttles, matchOperation: createOperationMatcher(requestOperations) },
  };
}
