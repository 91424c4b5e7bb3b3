import type { RequestListener, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { loadConfig } from '../../server/config.js';
import { createDynamoDbClient } from '../../server/data/table/client.js';
import { createHttpServer } from '../../server/http/http-server.js';
import { createLogger } from '../../server/logger.js';
import { createRuntime } from '../../server/runtime.js';
import { localCredentials } from '../../tooling/dynamodb-local.js';
import { roomyQuotaEnv } from '../../tooling/roomy-quotas.js';

/**
 * Green for the rehearsal and bench:replicate: the real app over the table on DynamoDB Local, on 127.0.0.1 (a free
 * port). `wrap` may put a listener around the app (the rehearsal counts green's calls per write).
 */
export async function startGreen(options: {
  endpoint: string;
  tableName: string;
  secretKey: string;
  wrap?: (app: RequestListener, client: DynamoDBClient) => RequestListener;
}) {
  const { endpoint, tableName } = options;
  const client = createDynamoDbClient({ region: 'local', endpoint, credentials: localCredentials });
  const config = loadConfig({
    SECRET_KEY: options.secretKey,
    DYNAMODB_TABLE_NAME: tableName,
    DYNAMODB_ENDPOINT_URL: endpoint,
    LOG_LEVEL: 'error',
    // Replication is what is measured here: quota refusals would only thin green's writes.
    ...roomyQuotaEnv,
  });
  const { app } = createRuntime(config, {
    dynamoDbClient: client,
    logger: createLogger({ level: 'silent' }),
    blueskyLogin: false,
  });
  const server: Server = createHttpServer(options.wrap ? options.wrap(app, client) : app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      client.destroy();
    },
  };
}
