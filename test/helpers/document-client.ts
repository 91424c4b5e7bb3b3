import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TestTable } from './dynamodb.js';

/** A DocumentClient over the test table's low-level client, with the same marshalling options the app uses. */
export function createTestDocumentClient(testTable: TestTable): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(testTable.client, {
    marshallOptions: { removeUndefinedValues: true },
  });
}
