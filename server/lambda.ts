import { configure as configureServerlessExpress } from '@vendia/serverless-express';
import type { Context } from 'aws-lambda';
import type { Express } from 'express';
import { createLambdaApp } from './lambda-app.js';

type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

/** The adapter between API Gateway (HTTP API v2 or REST v1 events) and the Express app. */
export function createLambdaHandler(app: Express): LambdaHandler {
  return configureServerlessExpress({ app }) as unknown as LambdaHandler;
}

let cached: LambdaHandler | undefined;

/** The Lambda entry: builds the app once per container, on the first event. */
export const handler: LambdaHandler = async (event, context) => {
  cached ??= createLambdaHandler(createLambdaApp(process.env).app);
  return cached(event, context);
};
