import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { dropTable, ensureTable } from '../../server/data/table/admin.js';
import { localCredentials, startDynamoDbLocal } from '../../tooling/dynamodb-local.js';
import { findFreePort } from '../../tooling/free-port.js';
import { roomyQuotaEnv } from '../../tooling/roomy-quotas.js';
import { stopChild } from '../../tooling/stop-child.js';
import { waitForServer } from '../runner/local-stack.js';
import type { LedgerEntry, LedgerMessage } from './cpu-ledger.js';

/** The app; the floor (node:http, the same DynamoDB calls); the floor's code inside a bare Express app. */
export type BenchServerName = 'app' | 'floor' | 'express';

export interface BenchServer {
  name: BenchServerName;
  baseUrl: string;
  pid: number | undefined;
  /** Starts the measured phase in the child. */
  mark(): void;
  /** The child's CPU per finished request since mark(), and its CPU total since then (µs). */
  report(): Promise<{ entries: LedgerEntry[]; totalUs: number }>;
}

export interface BenchStack {
  secretKey: string;
  servers: [BenchServer, BenchServer, BenchServer];
  stop(): Promise<void>;
}

const children = {
  // Same quota items as the floor's; roomy, since the mix's churning users would reach the defaults.
  app: { entry: './app-child.ts', env: { ...roomyQuotaEnv } },
  floor: { entry: './floor-child.ts', env: {} },
  express: { entry: './floor-child.ts', env: { FLOOR_FRAMEWORK: 'express' } },
} as const;

/**
 * One DynamoDB Local (or DYNAMODB_ENDPOINT_URL's) with a fresh table per server, the app, the floor and the
 * Express floor each in a child process with an IPC channel for the CPU ledger. All verify tokens signed with one
 * secret. With `cpuProfileDir`, each child runs with `--cpu-prof` and writes its profiles into `app/`, `floor/`
 * or `express/` there on exit.
 */
export async function startBenchStack(dynamodbEndpoint?: string, cpuProfileDir?: string): Promise<BenchStack> {
  const engine = dynamodbEndpoint ? { endpoint: dynamodbEndpoint, stop: async () => {} } : await startDynamoDbLocal();
  const client = new DynamoDBClient({ endpoint: engine.endpoint, region: 'local', credentials: localCredentials });
  const secretKey = randomBytes(32).toString('base64url');
  const started: ChildProcess[] = [];
  const tables: string[] = [];
  const stop = async () => {
    await Promise.all(started.map((child) => stopChild(child)));
    await Promise.all(tables.map((table) => dropTable(client, table).catch(() => {})));
    client.destroy();
    await engine.stop();
  };
  try {
    const start = async (name: BenchServerName): Promise<BenchServer> => {
      const table = `bench-cpu-${name}-${randomUUID()}`;
      tables.push(table);
      await ensureTable(client, table);
      const port = await findFreePort();
      const child = spawn(
        process.execPath,
        [
          ...(cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${join(cpuProfileDir, name)}`] : []),
          '--import',
          'tsx',
          fileURLToPath(new URL(children[name].entry, import.meta.url)),
        ],
        {
          env: {
            ...process.env,
            ...children[name].env,
            PORT: String(port),
            SECRET_KEY: secretKey,
            STAGE: 'local',
            DYNAMODB_ENDPOINT_URL: engine.endpoint,
            DYNAMODB_TABLE_NAME: table,
            AWS_REGION: 'local',
            AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
            AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
          },
          stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
        },
      );
      started.push(child);
      const baseUrl = `http://127.0.0.1:${port}`;
      // The app logs a line per request (as `npm start` does): waitForServer reads it, so the pipe never blocks.
      await waitForServer(baseUrl, child);
      return {
        name,
        baseUrl,
        pid: child.pid,
        mark: () => child.send({ type: 'mark' } satisfies LedgerMessage),
        report: () =>
          new Promise((resolve) => {
            child.once('message', (message) => resolve(message as { entries: LedgerEntry[]; totalUs: number }));
            child.send({ type: 'report' } satisfies LedgerMessage);
          }),
      };
    };
    const app = await start('app');
    const floor = await start('floor');
    const express = await start('express');
    return { secretKey, servers: [app, floor, express], stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
