import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { dropTable, ensureTable } from '../../server/data/table/admin.js';
import { findProcessByArgs } from '../../tooling/cpu-meter.js';
import { localCredentials, startDynamoDbLocal } from '../../tooling/dynamodb-local.js';
import { findFreePort } from '../../tooling/free-port.js';
import { stopChild } from '../../tooling/stop-child.js';

export interface LocalStack {
  baseUrl: string;
  secretKey: string;
  serverPid: number | undefined;
  dynamodbPid: number | undefined;
  stop(): Promise<void>;
}

const serverEntry = fileURLToPath(new URL('./server-child.ts', import.meta.url));

/**
 * Keeps the tail of a server child's output (read, so its pipes never block) and waits until it answers
 * /health; a child that exits or stays silent for 30 s fails with that tail.
 */
export async function waitForServer(baseUrl: string, child: ChildProcess): Promise<void> {
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode}:\n${output}`);
    try {
      if ((await fetch(`${baseUrl}/health`)).ok) return;
    } catch {}
    if (Date.now() > deadline) throw new Error(`the server did not answer /health in 30 s:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * DynamoDB Local on a free port with a fresh table, and the API in a child process (its own event loop and
 * CPU, like a real deployment; the runner's load generator would otherwise compete with it in one thread).
 * `serverEnv` adds settings (e.g. the test login's credentials for `npm run workflows`).
 */
export async function startLocalStack(
  dynamodbEndpoint?: string,
  serverEnv: Record<string, string> = {},
): Promise<LocalStack> {
  // An engine someone else runs (e.g. the test suite's) is used as is, with a table of our own.
  const engine = dynamodbEndpoint
    ? { endpoint: dynamodbEndpoint, port: Number(new URL(dynamodbEndpoint).port), stop: async () => {} }
    : await startDynamoDbLocal();
  let child: ChildProcess | undefined;
  const tableName = `loadtest-${randomUUID()}`;
  const client = new DynamoDBClient({ endpoint: engine.endpoint, region: 'local', credentials: localCredentials });
  try {
    await ensureTable(client, tableName);
    const port = await findFreePort();
    const secretKey = randomBytes(32).toString('base64url');
    child = spawn(process.execPath, ['--import', 'tsx', serverEntry], {
      env: {
        ...process.env,
        PORT: String(port),
        SECRET_KEY: secretKey,
        STAGE: 'local',
        LOG_LEVEL: 'warn',
        DYNAMODB_ENDPOINT_URL: engine.endpoint,
        DYNAMODB_TABLE_NAME: tableName,
        AWS_REGION: 'local',
        AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
        ...serverEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitForServer(baseUrl, child);
    const server = child;
    return {
      baseUrl,
      secretKey,
      serverPid: server.pid,
      dynamodbPid: findProcessByArgs(['-port', String(engine.port)]),
      stop: async () => {
        await stopChild(server);
        await dropTable(client, tableName).catch(() => {});
        client.destroy();
        await engine.stop();
      },
    };
  } catch (error) {
    if (child) await stopChild(child);
    await dropTable(client, tableName).catch(() => {});
    client.destroy();
    await engine.stop();
    throw error;
  }
}
