import { configure as configureServerlessExpress } from '@vendia/serverless-express';
import type { Context } from 'aws-lambda';
import type { Express } from 'express';

export type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

/** The adapter between API Gateway (HTTP API v2 or REST v1 events) and the Express app. */
export function createLambdaHandler(app: Express): LambdaHandler {
  return configureServerlessExpress({ app }) as unknown as LambdaHandler;
}
