import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface CreateDynamoDbClientOptions {
  region: string;
  /** DynamoDB Local or another compatible endpoint; AWS's regional endpoint when omitted. */
  endpoint?: string;
  credentials?: DynamoDBClientConfig['credentials'];
}

/**
 * The SDK client with retry settings chosen for a Lambda behind API Gateway (29 s budget):
 * - `standard` mode, 3 attempts: the SDK retries throttles and 5xx with jittered backoff and a retry quota, so
 *   a brief burst is absorbed; past that the app answers 503 + Retry-After quickly instead of queueing.
 * - 1 s to connect, 5 s per attempt: a stuck connection fails over to a retry long before the gateway gives up.
 * Transaction conflicts are not SDK-retryable; the data layer retries those itself (faults/fault-handling.ts).
 */
export function createDynamoDbClient(options: CreateDynamoDbClientOptions): DynamoDBClient {
  return new DynamoDBClient({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    maxAttempts: 3,
    retryMode: 'standard',
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 5_000 },
  });
}

/** Placeholder credentials: DynamoDB Local (or another local engine) accepts any, but the SDK insists on some. */
export const localCredentials = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/** An engine on this machine (DynamoDB Local): it wants credentials, but never real ones. */
export function isLocalEndpoint(endpoint: string): boolean {
  let host: string;
  try {
    host = new URL(endpoint).hostname;
  } catch {
    return false;
  }
  return host === 'localhost' || host.endsWith('.localhost') || /^127\./.test(host) || host === '[::1]';
}

/**
 * `{credentials}` with the local placeholders for an endpoint on this machine (always: DynamoDB Local keeps
 * one database per access key, so `npm start` and the migrate CLI must present the same one), or for another
 * endpoint when the environment names no AWS credentials; `{}` otherwise, so the SDK's default chain applies.
 */
export function chooseLocalCredentials(
  endpoint: string | undefined,
  env: Record<string, string | undefined>,
): { credentials?: typeof localCredentials } {
  if (!endpoint) return {};
  const hasAwsCredentials = Boolean(env.AWS_ACCESS_KEY_ID || env.AWS_PROFILE || env.AWS_WEB_IDENTITY_TOKEN_FILE);
  return isLocalEndpoint(endpoint) || !hasAwsCredentials ? { credentials: localCredentials } : {};
}

/** The DocumentClient the entities use: plain JS values in and out, undefined attributes dropped. */
export function createDocumentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}
