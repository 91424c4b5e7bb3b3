import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, createDynamoDbClient } from '../../../server/data/dynamodb-client.js';
import { neighborhoodEntityType } from '../../../server/data/neighborhood.js';

// Floor of `npm run bench:coldstart`: the AWS SDK alone, configured as the app configures it, sends the query
// GET /api/nbhds sends (GSI1, newest first). No Express, no dynamodb-toolbox, no app.

let documentClient: ReturnType<typeof createDocumentClient> | undefined;

export const handler = async () => {
  documentClient ??= createDocumentClient(
    createDynamoDbClient({ region: `${process.env.AWS_REGION}`, endpoint: process.env.DYNAMODB_ENDPOINT_URL }),
  );
  const page = await documentClient.send(
    new QueryCommand({
      TableName: process.env.DYNAMODB_TABLE_NAME,
      IndexName: 'GSI1',
      KeyConditionExpression: 'entity_type = :type',
      ExpressionAttributeValues: { ':type': neighborhoodEntityType },
      ScanIndexForward: false,
      Limit: 20,
    }),
  );
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(page.Items) };
};
