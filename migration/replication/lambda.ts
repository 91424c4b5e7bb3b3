import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import pg from 'pg';
import { chooseLocalCredentials, createDocumentClient } from '../../server/data/table/client.js';
import { toPoolConnection } from './database-secret.js';
import { loadReplicatorConfig } from './lambda-config.js';
import { createReverseApplier } from './reverse-apply.js';
import type { StreamRecord } from './stream-record.js';

/** One JSON line per event on stdout (Lambda sends it to the function's log group); never a secret. */
const log = (event: Record<string, unknown>) =>
  console.log(JSON.stringify({ timestamp: new Date().toISOString(), service: 'nbhd-city-replicator', ...event }));

/** An error as a log may carry it: its kind, message and PostgreSQL/AWS code, no stack of connection strings. */
const describeError = (error: unknown) => ({
  error: error instanceof Error ? error.name : 'Error',
  error_message: error instanceof Error ? error.message : String(error),
  error_code: (error as { code?: unknown; Code?: unknown } | null)?.code ?? undefined,
});

type Applier = ReturnType<typeof createReverseApplier>;

/**
 * Built once per execution environment: the settings, the legacy database's credentials from Secrets Manager, a
 * small pg pool and the DocumentClient. A failure (a bad setting, a refused secret) is thrown to the invocation
 * that waits for it and retried by the next one.
 */
async function start(): Promise<Applier> {
  const config = loadReplicatorConfig(process.env);
  const secrets = new SecretsManagerClient({ region: config.region });
  let secretString: string | undefined;
  try {
    ({ SecretString: secretString } = await secrets.send(
      new GetSecretValueCommand({ SecretId: config.databaseSecretArn }),
    ));
  } finally {
    secrets.destroy();
  }
  const pool = new pg.Pool({
    ...toPoolConnection(secretString, config.databaseSsl),
    max: config.databasePoolMax,
    idleTimeoutMillis: config.databaseIdleTimeoutMs,
    connectionTimeoutMillis: config.databaseConnectTimeoutMs,
    application_name: 'nbhd-city-replicator',
  });
  // An idle connection the server drops (failover, restart) must not crash the process.
  pool.on('error', (error) =>
    log({ level: 'warn', message: 'idle database connection lost', ...describeError(error) }),
  );
  const dynamodb = new DynamoDBClient({
    region: config.region,
    ...(config.dynamodbEndpointUrl ? { endpoint: config.dynamodbEndpointUrl } : {}),
    ...chooseLocalCredentials(config.dynamodbEndpointUrl, process.env),
  });
  const documentClient = createDocumentClient(dynamodb);
  log({ level: 'info', message: 'replicator ready', table: config.tableName, pool_max: config.databasePoolMax });
  return createReverseApplier({
    pool,
    documentClient,
    tableName: config.tableName,
    log: (event) => log({ level: 'info', ...event }),
  });
}

let ready: Promise<Applier> | undefined;
function getApplier(): Promise<Applier> {
  if (!ready) {
    ready = start();
    // Forget a failed start so the next invocation tries again (and no rejection goes unhandled at init).
    ready.catch(() => {
      ready = undefined;
    });
  }
  return ready;
}
// Started in Lambda's init phase, so the secret and the first connection are not on the first batch's clock.
void getApplier().catch(() => undefined);

/**
 * The DynamoDB Streams event source mapping's handler: applies one shard's batch in order to PostgreSQL. When a
 * record fails, it and every later record are reported (partial batch response, ReportBatchItemFailures): Lambda
 * retries from that record, and after MaximumRetryAttempts sends the batch's description to the on-failure queue.
 * A failure to start (settings, secret, network) is thrown: the whole batch is retried and counts as an Error.
 */
export async function handler(event: DynamoDBStreamEvent, context?: Context): Promise<DynamoDBBatchResponse> {
  const request = { function_request_id: context?.awsRequestId, records: event.Records.length };
  let applier: Applier;
  try {
    applier = await getApplier();
  } catch (error) {
    log({ level: 'error', message: 'replicator could not start', ...request, ...describeError(error) });
    throw error;
  }
  if (event.Records.length === 0) return { batchItemFailures: [] };
  const started = Date.now();
  const result = await applier.applyRecords(event.Records as unknown as StreamRecord[]);
  const summary = {
    ...request,
    applied: result.applied,
    skipped: result.skipped,
    duration_ms: Date.now() - started,
    first_sequence_number: event.Records[0]?.dynamodb?.SequenceNumber,
  };
  if (result.failed) {
    log({
      level: 'error',
      message: 'batch stopped at a record that failed',
      ...summary,
      failed_sequence_number: result.failed.sequenceNumber,
      ...describeError(result.failed.error),
    });
    return { batchItemFailures: [{ itemIdentifier: result.failed.sequenceNumber }] };
  }
  log({ level: 'info', message: 'batch applied', ...summary });
  return { batchItemFailures: [] };
}
