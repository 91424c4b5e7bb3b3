import { loadConfig } from '../../server/config.js';
import { ensureTable } from '../../server/data/table/admin.js';
import { createDocumentClient, createDynamoDbClient } from '../../server/data/table/client.js';
import { createEntities } from '../../server/data/table/entities.js';
import { type DynamoDbLocal, localCredentials, startDynamoDbLocal } from '../../tooling/dynamodb-local.js';
import { seedTable } from '../../tooling/seed-table.js';

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
    const seeded = await seedTable(entities, {
      neighborhoods: Number(process.argv[2] ?? 300),
      users: Number(process.argv[3] ?? 3000),
    });
    console.log(
      `seeded ${seeded.neighborhoods} neighborhoods, ${seeded.memberships} memberships ` +
        `(${seeded.users} users) into ${config.dynamodbTableName} in ${seeded.ms} ms`,
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
