import { createDocumentClient, createDynamoDbClient } from '../../../server/data/table/client.js';

/** The floors' DocumentClient: the app's SDK settings (server/data/table/client.ts), region and endpoint from the environment. */
export function createFloorDocumentClient() {
  return createDocumentClient(
    createDynamoDbClient({ region: `${process.env.AWS_REGION}`, endpoint: process.env.DYNAMODB_ENDPOINT_URL }),
  );
}
