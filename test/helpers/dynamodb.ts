import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, inject } from 'vitest';
import { dropTable, ensureTable } from '../../server/data/table/admin.js';
import { localCredentials } from '../../tooling/dynamodb-local.js';

export interface TestTable {
  endpoint: string;
  tableName: string;
  /** A low-level client for the test's own checks (tests assert through the API; this is for "table unchanged"). */
  client: DynamoDBClient;
}

/** Creates a fresh table on the run's DynamoDB Local engine for this test file and drops it afterwards. */
export async function useTestTable(prefix = 'test'): Promise<TestTable> {
  const endpoint = inject('dynamodbEndpoint');
  const tableName = `${prefix}-${randomUUID()}`;
  const client = new DynamoDBClient({ endpoint, region: 'local', credentials: localCredentials });
  await ensureTable(client, tableName);
  afterAll(async () => {
    await dropTable(client, tableName);
    client.destroy();
  });
  return { endpoint, tableName, client };
}
