import { configure as configureServerlessExpress } from '@vendia/serverless-express';
import type { Context } from 'aws-lambda';
import type { Express } from 'express';
import { createLambdaApp } from './lambda-app.js';
import { type HttpApiHandler, withObservability } from './observability/with-observability.js';

type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

/** The adapter between API Gateway (HTTP API v2 or REST v1 events) and the Express app. */
export function createLambdaHandler(app: Express): LambdaHandler {
  return configureServerlessExpress({ app }) as unknown as LambdaHandler;
}

let cached: HttpApiHandler | undefined;

/**
 * The Lambda entry (HTTP API v2 events): builds the app once per container, on the first event, and wraps it
 * with request-scoped logging and EMF metrics.
 */
export const handler: HttpApiHandler = async (event, context) => {
  if (!cached) {
    const { app, observability } = createLambdaApp(process.env);
    cached = withObservability(createLambdaHandler(app) as HttpApiHandler, observability);
  }
  return cached(event, context);
};
