import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { loadConfig } from '../../server/config.js';
import { dropTable, ensureTable } from '../../server/data/table/admin.js';
import { createDynamoDbClient } from '../../server/data/table/client.js';
import { createRuntime } from '../../server/runtime.js';
import { localCredentials, startDynamoDbLocal } from '../../tooling/dynamodb-local.js';
import { readTableSpec } from './capacity-rules.js';
import { recordCapacity } from './request-recorder.js';

export interface RecordedAppOptions {
  /** A DynamoDB Local to use; one is started (and stopped by `close`) when absent. */
  endpoint?: string;
  tableName: string;
  secretKey: string;
  /** Settings on top of the table's (e.g. the quotas). */
  env?: Record<string, string>;
  /** The app's clock (a simulated one replays faster than real time). */
  now?: () => Date;
}

/**
 * The real app on 127.0.0.1 over a fresh table, with every DynamoDB request it sends recorded with the
 * partitions and capacity units it touches: what the capacity model's replays (the mix, the abuse profile) run on.
 */
export async function startRecordedApp(options: RecordedAppOptions) {
  const engine = options.endpoint ? undefined : await startDynamoDbLocal({ timeoutMs: 120_000 });
  const endpoint = options.endpoint ?? (engine?.endpoint as string);
  const { tableName } = options;
  const client = createDynamoDbClient({ region: 'local', endpoint, credentials: localCredentials });
  const peekClient = new DynamoDBClient({ region: 'local', endpoint, credentials: localCredentials });
  const server = createServer();
  const close = async () => {
    server.close();
    await dropTable(client, tableName).catch(() => {});
    client.destroy();
    peekClient.destroy();
    await engine?.stop();
  };
  try {
    await ensureTable(client, tableName);
    const recorder = recordCapacity({
      client,
      peek: DynamoDBDocumentClient.from(peekClient),
      tableName,
      table: readTableSpec(),
    });
    const config = loadConfig({
      SECRET_KEY: options.secretKey,
      DYNAMODB_TABLE_NAME: tableName,
      LOG_LEVEL: 'error',
      ...options.env,
    });
    const { app } = createRuntime(config, {
      dynamoDbClient: client,
      blueskyLogin: false,
      ...(options.now ? { now: options.now } : {}),
    });
    server.on('request', app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, recorder, close };
  } catch (error) {
    await close();
    throw error;
  }
}
