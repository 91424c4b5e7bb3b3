import { existsSync, readFileSync } from 'node:fs';
import type { Express } from 'express';
import { parse } from 'yaml';
import { createApp } from './app.js';
import { type Config, loadConfig } from './config.js';
import { createDocumentClient, createDynamoDbClient } from './data/dynamodb-client.js';
import { createLogger } from './logger.js';

/** Next to the bundle (the build copies them) or at the repo root when run from source. */
function readAsset(name: string): string | undefined {
  for (const candidate of [new URL(`./${name}`, import.meta.url), new URL(`../${name}`, import.meta.url)]) {
    if (existsSync(candidate)) return readFileSync(candidate, 'utf8');
  }
  return undefined;
}

/** Wires the app for Lambda from the environment: config, the SDK client (region's endpoint), the spec. */
export function createLambdaApp(env: Record<string, string | undefined>): { app: Express; config: Readonly<Config> } {
  const config = loadConfig(env, { mode: 'lambda' });
  const logger = createLogger({ level: config.logLevel });
  const specText = readAsset('openapi.yaml');
  if (!specText) throw new Error('openapi.yaml was not found next to the Lambda bundle.');
  const documentClient = createDocumentClient(
    createDynamoDbClient({
      region: config.awsRegion,
      ...(config.dynamodbEndpointUrl ? { endpoint: config.dynamodbEndpointUrl } : {}),
    }),
  );
  const docsHtml = readAsset('docs.html');
  const app = createApp({
    config,
    apiSpec: parse(specText) as Record<string, unknown>,
    documentClient,
    logger,
    ...(docsHtml ? { docsHtml } : {}),
  });
  return { app, config };
}
