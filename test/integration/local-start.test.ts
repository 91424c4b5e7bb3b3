import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../../scripts/lib/free-port.js';
import { stopChild } from '../../scripts/lib/stop-child.js';
import { useTestTable } from '../helpers/dynamodb.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const table = await useTestTable('local-start');
let child: ChildProcess | undefined;

afterAll(async () => {
  if (child) await stopChild(child);
});

/** The environment of a shell with no AWS credentials at all: no keys, no profile, no credentials files. */
function withoutAwsCredentials(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_')));
  return {
    ...env,
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
    AWS_CONFIG_FILE: '/nonexistent/config',
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extra,
  };
}

describe('npm start against an endpoint of your own', () => {
  it('answers /health with DYNAMODB_ENDPOINT_URL set and no AWS credentials in the environment', async () => {
    const port = await findFreePort();
    let output = '';
    child = spawn(`${root}node_modules/.bin/tsx`, ['server/local.ts'], {
      cwd: root,
      env: withoutAwsCredentials({
        DYNAMODB_ENDPOINT_URL: table.endpoint,
        DYNAMODB_TABLE_NAME: table.tableName,
        PORT: String(port),
        LOG_LEVEL: 'error',
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr?.on('data', (chunk) => {
      output += chunk;
    });
    const exited = new Promise<string>((resolve) => child?.once('exit', (code) => resolve(`exited with ${code}`)));
    const deadline = Date.now() + 90_000;
    let status = 0;
    while (Date.now() < deadline && status !== 200) {
      const outcome = await Promise.race([
        fetch(`http://127.0.0.1:${port}/health?deep=true`).then(
          (response) => response.status,
          () => 0,
        ),
        exited,
      ]);
      if (typeof outcome === 'string') throw new Error(`npm start ${outcome}:\n${output}`);
      status = outcome;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(status, output).toBe(200);
  }, 120_000);
});
