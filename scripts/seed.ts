import { BatchPutRequest } from 'dynamodb-toolbox/entity/actions/batchPut';
import { BatchWriteCommand, execute as executeBatchWrite } from 'dynamodb-toolbox/table/actions/batchWrite';
import { loadConfig } from '../server/config.js';
import { createDocumentClient, createDynamoDbClient } from '../server/data/dynamodb-client.js';
import { createEntities } from '../server/data/entities.js';
import { ensureTable } from '../server/data/table-admin.js';
import { type DynamoDbLocal, localCredentials, startDynamoDbLocal } from './lib/dynamodb-local.js';
import { createSeedData } from './lib/seed-data.js';

/**
 * `npm run db:seed`: fills the table with sample neighborhoods and members through the entities' BatchWrite.
 * Writes to DYNAMODB_ENDPOINT_URL, or starts DynamoDB Local on DYNAMODB_DATA_DIR (default .data/dynamodb)
 * so a later `npm start` with the same DYNAMODB_DATA_DIR serves the data.
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env, { mode: 'local' });
  const dataDir = config.dynamodbDataDir ?? '.data/dynamodb';
  let engine: DynamoDbLocal | undefined;
  if (!config.dynamodbEndpointUrl) engine = await startDynamoDbLocal({ dataDir });
  const endpoint = config.dynamodbEndpointUrl ?? engine?.endpoint;
  const client = createDynamoDbClient({
    region: config.awsRegion,
    ...(endpoint ? { endpoint } : {}),
    ...(engine ? { credentials: localCredentials } : {}),
  });
  try {
    await ensureTable(client, config.dynamodbTableName);
    const entities = createEntities({
      documentClient: createDocumentClient(client),
      tableName: config.dynamodbTableName,
    });
    const data = createSeedData({
      neighborhoods: Number(process.argv[2] ?? 300),
      users: Number(process.argv[3] ?? 3000),
    });
    const requests = [
      ...data.neighborhoods.map((item) => entities.neighborhoods.build(BatchPutRequest).item(item)),
      ...data.nameClaims.map((item) => entities.nameClaims.build(BatchPutRequest).item(item)),
      ...data.memberships.map((item) => entities.memberships.build(BatchPutRequest).item(item)),
    ];
    const started = performance.now();
    const batches: (typeof requests)[] = [];
    for (let i = 0; i < requests.length; i += 25) batches.push(requests.slice(i, i + 25));
    let next = 0;
    // A few writers at once: fast enough locally, gentle on an on-demand table.
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let batch = batches[next++]; batch; batch = batches[next++]) {
          await executeBatchWrite({ maxAttempts: 8 }, entities.table.build(BatchWriteCommand).requests(...batch));
        }
      }),
    );
    console.log(
      `seeded ${data.neighborhoods.length} neighborhoods, ${data.memberships.length} memberships ` +
        `(${data.userCount} users) into ${config.dynamodbTableName} in ${Math.round(performance.now() - started)} ms`,
    );
    if (engine) console.log(`data kept in ${dataDir}: run \`DYNAMODB_DATA_DIR=${dataDir} npm start\` to serve it`);
  } finally {
    client.destroy();
    await engine?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
