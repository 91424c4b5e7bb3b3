import { loadConfig } from '../../server/config.js';
import { createDynamoDbClient } from '../../server/data/table/client.js';
import { createLambdaHandler, type LambdaHandler } from '../../server/lambda-adapter.js';
import { createRuntime, type RuntimeOverrides } from '../../server/runtime.js';
import { localCredentials } from '../../tooling/dynamodb-local.js';
import { loadContract } from './contract.js';
import type { TestTable } from './dynamodb.js';
import { testSecretKey } from './test-app.js';

/** What the Lambda adapter answers API Gateway with. */
export interface LambdaResult {
  statusCode: number;
  headers?: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
  body: string;
  isBase64Encoded?: boolean;
}

/** The real app behind the Lambda adapter, as the stack runs it, over the test file's table. */
export function createTestLambdaHandler(
  table: Pick<TestTable, 'tableName' | 'endpoint'>,
  options: { env?: Record<string, string>; overrides?: RuntimeOverrides } = {},
): LambdaHandler {
  const config = loadConfig({
    SECRET_KEY: testSecretKey,
    DYNAMODB_TABLE_NAME: table.tableName,
    LOG_LEVEL: 'error',
    ...options.env,
  });
  const client = createDynamoDbClient({ region: 'local', endpoint: table.endpoint, credentials: localCredentials });
  const { app } = createRuntime(config, {
    dynamoDbClient: client,
    apiSpec: loadContract().spec,
    blueskyLogin: false,
    ...options.overrides,
  });
  return createLambdaHandler(app);
}
