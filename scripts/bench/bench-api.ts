import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSessionTokens } from '../../server/auth/session-tokens.js';
import { loadConfig } from '../../server/config.js';
import { dropTable, ensureTable } from '../../server/data/table/admin.js';
import { createDynamoDbClient } from '../../server/data/table/client.js';
import { createRuntime } from '../../server/runtime.js';
import { type DynamoDbLocal, localCredentials, startDynamoDbLocal } from '../../tooling/dynamodb-local.js';
import { recordDynamoDbCalls } from '../../tooling/dynamodb-probes.js';
import { roomyQuotaEnv } from '../../tooling/roomy-quotas.js';
import { benchOperations } from './bench-operations.js';

/**
 * `npm run bench:api [iterations]`: every API operation through HTTP against DynamoDB Local, counting the
 * DynamoDB calls each request makes (SDK middleware) and comparing the request's latency with the time spent
 * in those DynamoDB calls ("bare calls": measured around each SDK send, so they include the SDK and the
 * engine but not our code). Overhead ratio = request p95 / bare p95.
 */
async function main(): Promise<void> {
  const iterations = Number(process.argv[2] ?? 100);
  const secretKey = 'bench-secret';
  const tableName = `bench-${Date.now()}`;
  const external = process.env.DYNAMODB_ENDPOINT_URL;
  const engine: DynamoDbLocal | undefined = external ? undefined : await startDynamoDbLocal({ timeoutMs: 120_000 });
  const endpoint = external ?? (engine as DynamoDbLocal).endpoint;
  const client = createDynamoDbClient({ region: 'local', endpoint, credentials: localCredentials });
  await ensureTable(client, tableName);
  const recorder = recordDynamoDbCalls(client);
  const config = loadConfig({
    SECRET_KEY: secretKey,
    DYNAMODB_TABLE_NAME: tableName,
    LOG_LEVEL: 'error',
    ...roomyQuotaEnv,
  });
  const { app } = createRuntime(config, { dynamoDbClient: client, blueskyLogin: false });
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const tokens = createSessionTokens({ secretKey, expireMinutes: 60 });
  try {
    const results = await benchOperations({ baseUrl, recorder, tokens, iterations });
    const pct = (values: number[], p: number) => {
      const sorted = [...values].sort((a, b) => a - b);
      return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
    };
    const rows = results.map((r) => {
      const calls = r.samples.map((s) => s.calls.length);
      const bare = r.samples.map((s) => s.calls.reduce((sum, c) => sum + c.ms, 0));
      const total = r.samples.map((s) => s.ms);
      const commands = [...new Set(r.samples.flatMap((s) => s.calls.map((c) => c.command.replace('Command', ''))))];
      return {
        operation: r.name,
        'calls/op':
          Math.min(...calls) === Math.max(...calls) ? String(calls[0]) : `${Math.min(...calls)}–${Math.max(...calls)}`,
        goal: r.goal,
        'DynamoDB commands': commands.join(' + '),
        'p50 ms': pct(total, 50).toFixed(1),
        'p95 ms': pct(total, 95).toFixed(1),
        'bare p50': pct(bare, 50).toFixed(1),
        'bare p95': pct(bare, 95).toFixed(1),
        'p95 ratio': (pct(total, 95) / Math.max(pct(bare, 95), 0.001)).toFixed(2),
        // Per request: time outside DynamoDB calls (HTTP, validation, auth, toolbox, JSON).
        'ours p50': pct(
          total.map((t, i) => t - (bare[i] ?? 0)),
          50,
        ).toFixed(1),
        'ours p95': pct(
          total.map((t, i) => t - (bare[i] ?? 0)),
          95,
        ).toFixed(1),
      };
    });
    console.log(
      `bench:api — ${iterations} requests per operation, DynamoDB Local at ${endpoint}, Node ${process.version}`,
    );
    console.table(rows);
  } finally {
    server.close();
    await dropTable(client, tableName);
    client.destroy();
    await engine?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
