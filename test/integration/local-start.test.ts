import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { findFreePort } from '../../tooling/free-port.js';

interface Started {
  baseUrl: string;
  child: ChildProcess;
  output: () => string;
}

/** Runs `npm start`'s entry (scripts/dev/start.ts) as a newcomer would, and waits until it answers. */
async function startLocal(
  args: string[],
  env: Record<string, string> = {},
  inherit: (name: string) => boolean = () => true,
): Promise<Started> {
  const port = await findFreePort();
  const { DYNAMODB_ENDPOINT_URL: _endpoint, DYNAMODB_DATA_DIR: _dataDir, ...rest } = process.env;
  const inherited = Object.fromEntries(Object.entries(rest).filter(([name]) => inherit(name)));
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/dev/start.ts', ...args], {
    env: { ...inherited, PORT: String(port), LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  for (let waited = 0; ; waited += 250) {
    if (child.exitCode !== null) throw new Error(`scripts/dev/start.ts exited early:\n${output}`);
    if (waited > 150_000) throw new Error(`scripts/dev/start.ts did not answer:\n${output}`);
    const ok = await fetch(`${baseUrl}/health?deep=true`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { baseUrl, child, output: () => output };
}

async function stop({ child }: Started): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGINT');
  await exited;
}

async function countNeighborhoods(baseUrl: string): Promise<number> {
  const response = await fetch(`${baseUrl}/api/nbhds?limit=100`);
  expect(response.status).toBe(200);
  return ((await response.json()) as unknown[]).length;
}

describe('npm start', () => {
  it('serves a few dozen demo neighborhoods from the in-memory engine it starts', async () => {
    const local = await startLocal([]);
    try {
      expect(await countNeighborhoods(local.baseUrl)).toBe(36);
      expect(local.output()).toMatch(/demo data: 36 neighborhoods/);
    } finally {
      await stop(local);
    }
  }, 200_000);

  it('starts empty with --empty, and never seeds an engine it did not start or data kept on disk', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'nbhd-local-data-'));
    try {
      // One at a time: two JVMs starting at once on a busy 2-core machine can miss the engine's start timeout.
      const settings: Array<[string[], Record<string, string>]> = [
        [['--empty'], {}],
        [[], { DYNAMODB_DATA_DIR: dataDir }],
        [
          [],
          {
            DYNAMODB_ENDPOINT_URL: inject('dynamodbEndpoint'),
            DYNAMODB_TABLE_NAME: `local-start-${process.pid}`,
            AWS_ACCESS_KEY_ID: 'local',
            AWS_SECRET_ACCESS_KEY: 'local',
          },
        ],
      ];
      for (const [args, env] of settings) {
        const run = await startLocal(args, env);
        try {
          expect(await countNeighborhoods(run.baseUrl)).toBe(0);
          expect(run.output()).not.toMatch(/demo data/);
        } finally {
          await stop(run);
        }
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 400_000);

  it('answers with DYNAMODB_ENDPOINT_URL set and no AWS credentials anywhere (no keys, profile or files)', async () => {
    const run = await startLocal(
      [],
      {
        DYNAMODB_ENDPOINT_URL: inject('dynamodbEndpoint'),
        DYNAMODB_TABLE_NAME: `local-creds-${process.pid}`,
        AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
        AWS_CONFIG_FILE: '/nonexistent/config',
        AWS_EC2_METADATA_DISABLED: 'true',
      },
      (name) => !name.startsWith('AWS_'),
    );
    await stop(run);
  }, 200_000);
});
