import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../../tooling/dynamodb-local.js';
import { findChromium } from './chromium.js';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
  }
}

/**
 * Starts one DynamoDB Local engine for the whole run (unless DYNAMODB_ENDPOINT_URL points at one);
 * each test file makes its own table on it (see dynamodb.ts).
 */
export default async function setup(project: TestProject) {
  // Unpack the packaged Chromium once, before parallel test files could race to write the same file.
  await findChromium().catch(() => undefined);
  const external = process.env.DYNAMODB_ENDPOINT_URL;
  if (external) {
    project.provide('dynamodbEndpoint', external);
    return;
  }
  const engine = await startDynamoDbLocal();
  project.provide('dynamodbEndpoint', engine.endpoint);
  return async () => {
    await engine.stop();
  };
}
