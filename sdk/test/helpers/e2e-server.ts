import { localTestLogin } from '../../../loadtest/shared/fixture-data.js';
import { loadContract } from '../../../test/helpers/contract.js';
import { useTestTable } from '../../../test/helpers/dynamodb.js';
import { startTestApp, type TestApp } from '../../../test/helpers/test-app.js';
import { createNbhdClient, type NbhdClientOptions } from '../../src/index.js';

/** The server's test-login settings, from the fixtures the workflows and load tests share. */
export const testCredentials = { BSKY_USERNAME: localTestLogin.username, BSKY_PASSWORD: localTestLogin.password };

/** The real server app (createRuntime) on 127.0.0.1:<random> over a fresh DynamoDB Local table. */
export async function startE2eServer(prefix: string): Promise<TestApp> {
  const table = await useTestTable(prefix);
  return startTestApp(table, {
    env: { ...testCredentials, STAGE: 'staging' },
    overrides: { docsHtml: '<!DOCTYPE html><html><body>redoc</body></html>' },
  });
}

/**
 * A fetch that checks every response the SDK receives against openapi.yaml, and counts requests per
 * "METHOD /path", so tests see what went over the wire.
 */
export function createCheckedFetch() {
  const { validator } = loadContract();
  const counts = new Map<string, number>();
  const fetch = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const key = `${request.method} ${url.pathname}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    const response = await globalThis.fetch(request);
    const body = await response.clone().text();
    validator.validate({
      method: request.method,
      path: `${url.pathname}${url.search}`,
      status: response.status,
      headers: response.headers,
      body,
    });
    return response;
  };
  return { fetch, count: (key: string) => counts.get(key) ?? 0 };
}

/** An SDK client for `did` (or anonymous) against the server, with contract-checked responses. */
export async function createClientFor(api: TestApp, did?: string, options: Partial<NbhdClientOptions> = {}) {
  const checked = createCheckedFetch();
  const token = did ? await api.tokenFor(did) : undefined;
  const client = createNbhdClient({
    baseUrl: api.baseUrl,
    fetch: checked.fetch,
    retry: { baseDelayMs: 5 },
    ...(token ? { token } : {}),
    ...options,
  } as NbhdClientOptions);
  return Object.assign(client, { count: checked.count });
}
