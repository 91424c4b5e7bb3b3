import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { createFloorDocumentClient } from './document-client.js';

// Floor of `npm run bench:coldstart`: the AWS SDK alone, configured as the app configures it, sends the first
// shard's query of GET /api/nbhds (GSI1, newest first). No Express, no dynamodb-toolbox, no app.

/** The first GSI1 shard (listShards in server/data/neighborhood/keys.ts), written out. */
const neighborhoodEntityType = 'NBHD#0';

let documentClient: ReturnType<typeof createFloorDocumentClient> | undefined;

export const handler = async () => {
  documentClient ??= createFloorDocumentClient();
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
