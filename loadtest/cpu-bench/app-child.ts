/**
 * The app for `npm run bench:cpu`, built as `npm start` builds it (server/local.ts: config, logger at the
 * configured level, the OpenAPI document, the HTTP server with its parser-error answers) but on a table the
 * bench made, without the docs page, demo data or the Bluesky router (the mix never calls them).
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { createApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { createDocumentClient, createDynamoDbClient } from '../../server/data/table/client.js';
import { createHttpServer } from '../../server/http/http-server.js';
import { createLogger } from '../../server/logger.js';
import { attachCpuLedger } from './cpu-ledger.js';

const config = loadConfig(process.env, { mode: 'local' });
const client = createDynamoDbClient({
  region: config.awsRegion,
  ...(config.dynamodbEndpointUrl ? { endpoint: config.dynamodbEndpointUrl } : {}),
});
const app = createApp({
  config,
  apiSpec: parse(readFileSync(new URL('../../openapi.yaml', import.meta.url), 'utf8')) as Record<string, unknown>,
  documentClient: createDocumentClient(client),
  logger: createLogger({ level: config.logLevel }),
});
const server = createHttpServer(app);
attachCpuLedger(server);
server.keepAliveTimeout = 65_000;
server.listen(config.port, '127.0.0.1');
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
