import { parseArgs } from 'node:util';
import { loadConfig } from '../../server/config.js';
import { ensureTable } from '../../server/data/table/admin.js';
import { chooseLocalCredentials, createDynamoDbClient } from '../../server/data/table/client.js';
import { createHttpServer } from '../../server/http/http-server.js';
import { createLogger } from '../../server/logger.js';
import { createRuntime } from '../../server/runtime.js';
import { loadDocsPage } from '../../tooling/docs-page.js';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../tooling/dynamodb-local.js';
import { seedTable } from '../../tooling/seed-table.js';

/** `npm start`'s demo data: a few dozen neighborhoods, so /docs and the SDK examples have something to show. */
const demoData = { neighborhoods: 36, users: 120 };

/**
 * `npm start [-- --empty]`: DynamoDB Local (unless DYNAMODB_ENDPOINT_URL is set), the table, and the app on PORT.
 * An in-memory engine it started gets the demo data unless --empty; an engine it did not start, or data kept
 * in DYNAMODB_DATA_DIR, is never written to. Ctrl-C stops both.
 */
async function main(): Promise<void> {
  const { values: flags } = parseArgs({ options: { empty: { type: 'boolean', default: false } } });
  const config = loadConfig(process.env, { mode: 'local' });
  const logger = createLogger({ level: config.logLevel, persistentKeys: { stage: config.stage } });
  if (config.usesDevSecretKey) {
    logger.warn('SECRET_KEY is not set: using the local development key. Tokens it signs are for this machine only.');
  }
  let engine: DynamoDbLocal | undefined;
  if (!config.dynamodbEndpointUrl) {
    engine = await startDynamoDbLocal(config.dynamodbDataDir ? { dataDir: config.dynamodbDataDir } : {});
    logger.info('DynamoDB Local started', {
      endpoint: engine.endpoint,
      data: config.dynamodbDataDir ?? 'in memory (set DYNAMODB_DATA_DIR to keep data)',
    });
  }
  const endpoint = config.dynamodbEndpointUrl ?? engine?.endpoint;
  const client = createDynamoDbClient({
    region: config.awsRegion,
    ...(endpoint ? { endpoint } : {}),
    ...chooseLocalCredentials(endpoint, process.env),
  });
  if (await ensureTable(client, config.dynamodbTableName)) {
    logger.info('table created', { table: config.dynamodbTableName });
  }
  let docsHtml: string | undefined;
  const { app, entities } = createRuntime(config, { dynamoDbClient: client, logger, docsHtml: () => docsHtml });
  const seedDemoData = async () => {
    const seeded = await seedTable(entities, demoData);
    logger.info(
      `demo data: ${seeded.neighborhoods} neighborhoods, ${seeded.memberships} memberships in ${seeded.ms} ms ` +
        '(`npm start -- --empty` starts without it)',
    );
  };
  // The demo data is written while the docs page loads, so the two waits overlap.
  [docsHtml] = await Promise.all([
    loadDocsPage((message) => logger.info(message)),
    engine && !config.dynamodbDataDir && !flags.empty ? seedDemoData() : undefined,
  ]);
  const server = createHttpServer(app);
  await new Promise<void>((resolve) => server.listen(config.port, resolve));
  logger.info(`nbhd.city API listening on http://localhost:${config.port} (docs: /docs)`, { stage: config.stage });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping', { signal });
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    client.destroy();
    await engine?.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
