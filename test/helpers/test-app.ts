import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll } from 'vitest';
import { createSessionTokens } from '../../server/auth/session-tokens.js';
import { type Config, loadConfig } from '../../server/config.js';
import { createDynamoDbClient } from '../../server/data/table/client.js';
import { createHttpServer } from '../../server/http/http-server.js';
import { createLogger } from '../../server/logger.js';
import { createRuntime, type RuntimeOverrides } from '../../server/runtime.js';
import { localCredentials } from '../../tooling/dynamodb-local.js';
import { type CallRecorder, injectDynamoDbFaults, recordDynamoDbCalls } from '../../tooling/dynamodb-probes.js';
import { roomyQuotaEnv } from '../../tooling/roomy-quotas.js';
import { loadContract } from './contract.js';
import type { TestTable } from './dynamodb.js';

export const testSecretKey = 'test-secret-key-for-integration-tests-only';

export interface TestResponse<T = unknown> {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON when the body is JSON. */
  body: T;
}

export interface RequestOptions {
  token?: string;
  headers?: Record<string, string>;
  /** JSON-encoded unless a string (sent as is). */
  body?: unknown;
  /** Skip the contract check (only for the few tests that assert a deliberate out-of-contract case). */
  unchecked?: boolean;
}

export interface TestApp {
  baseUrl: string;
  config: Readonly<Config>;
  calls: CallRecorder;
  faults: ReturnType<typeof injectDynamoDbFaults>;
  /** Sends a request over real HTTP and checks the response against openapi.yaml. */
  request<T = unknown>(method: string, path: string, options?: RequestOptions): Promise<TestResponse<T>>;
  /** A valid session token for `did`. */
  tokenFor(did: string): Promise<string>;
}

/** Starts the real app on 127.0.0.1 (random port) over the test file's table; closed after the file. */
export async function startTestApp(
  table: TestTable,
  options: { env?: Record<string, string>; overrides?: RuntimeOverrides } = {},
): Promise<TestApp> {
  const config = loadConfig({
    SECRET_KEY: testSecretKey,
    DYNAMODB_TABLE_NAME: table.tableName,
    DYNAMODB_ENDPOINT_URL: table.endpoint,
    LOG_LEVEL: 'error',
    // Quotas out of the way of tests about other things; test/integration/quotas.test.ts sets small ones.
    ...roomyQuotaEnv,
    ...options.env,
  });
  const client = createDynamoDbClient({ region: 'local', endpoint: table.endpoint, credentials: localCredentials });
  const calls = recordDynamoDbCalls(client);
  const faults = injectDynamoDbFaults(client);
  const { spec, validator } = loadContract();
  // Bluesky login only where a test asks for it (test/helpers/oauth-app.ts): elsewhere the "not configured" answers.
  const { app } = createRuntime(config, {
    dynamoDbClient: client,
    apiSpec: spec,
    logger: createLogger({ level: 'silent' }),
    retryPolicy: { attempts: 4, baseDelayMs: 5 },
    blueskyLogin: false,
    ...options.overrides,
  });
  const server: Server = createHttpServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    client.destroy();
  });
  const tokens = createSessionTokens({ secretKey: testSecretKey, expireMinutes: 60 });
  return {
    baseUrl,
    config,
    calls,
    faults,
    tokenFor: (did) => tokens.issue(did),
    async request<T>(method: string, path: string, requestOptions: RequestOptions = {}) {
      const headers: Record<string, string> = { ...requestOptions.headers };
      if (requestOptions.token) headers.authorization = `Bearer ${requestOptions.token}`;
      let body: string | undefined;
      if (requestOptions.body !== undefined) {
        body = typeof requestOptions.body === 'string' ? requestOptions.body : JSON.stringify(requestOptions.body);
        headers['content-type'] ??= 'application/json';
      }
      const response = await fetch(`${baseUrl}${path}`, { method, headers, body, redirect: 'manual' });
      const text = await response.text();
      if (!requestOptions.unchecked) {
        validator.validate({ method, path, status: response.status, headers: response.headers, body: text });
      }
      let parsed: unknown = text;
      if (response.headers.get('content-type')?.includes('json') && text) parsed = JSON.parse(text);
      return { status: response.status, headers: response.headers, text, body: parsed as T };
    },
  };
}
