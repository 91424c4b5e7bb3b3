import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBServiceException } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explainFailure } from '../../migration/cli-errors.js';
import { findFreePort } from '../../tooling/free-port.js';
import { runCliProcess } from '../helpers/migrate-cli.js';
import { type MigrationFixture, useMigrationFixture } from '../helpers/migration.js';

let fx: MigrationFixture;
let closedPort: number;
const dir = mkdtempSync(join(tmpdir(), 'nbhd-cli-errors-'));
// No AWS credentials in the environment: a local endpoint must not need them.
const awsEnv = { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: 'none-such-profile' };

beforeAll(async () => {
  fx = await useMigrationFixture({ neighborhoods: 3, memberships: 6 });
  closedPort = await findFreePort();
  await fx.sql(`CREATE ROLE outsider LOGIN PASSWORD 'outsider-pw'`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `npm run -s migrate -- … --json` and returns its one stderr line, after checking stdout stays empty. */
async function runFailing(args: string[], env: Record<string, string>): Promise<string> {
  const run = await runCliProcess([...args, '--json', '--quiet'], { ...awsEnv, ...env });
  expect(run.code).toBe(3);
  expect(run.stdout).toBe('');
  const lines = run.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).not.toMatch(/^\s+at /m);
  return lines[0] ?? '';
}

const withUrl = (mutate: (url: URL) => void) => {
  const url = new URL(fx.databaseUrl);
  mutate(url);
  return url.toString();
};

describe('npm run migrate when the environment is wrong', () => {
  it('says in one line that PostgreSQL cannot be reached, without the password', async () => {
    const databaseUrl = withUrl((url) => {
      url.port = String(closedPort);
    });
    const line = await runFailing(['export', '--dir', dir], { DATABASE_URL: databaseUrl });
    expect(line).toMatch(
      new RegExp(
        `^migrate export failed: cannot reach PostgreSQL at postgres://postgres@127\\.0\\.0\\.1:${closedPort}/`,
      ),
    );
    expect(line).toContain('(ECONNREFUSED): check DATABASE_URL');
    expect(line).not.toContain('migration-local');
  }, 60_000);

  it('says in one line that PostgreSQL refused the password', async () => {
    const databaseUrl = withUrl((url) => {
      url.password = 'wrong-password';
    });
    const line = await runFailing(['export', '--dir', dir], { DATABASE_URL: databaseUrl });
    expect(line).toMatch(/^migrate export failed: PostgreSQL at .* refused the login \(SQLSTATE 28P01: /);
    expect(line).toContain('check the user and password in DATABASE_URL');
    expect(line).not.toContain('wrong-password');
  }, 60_000);

  it('says in one line that the PostgreSQL user may not read the legacy tables', async () => {
    const databaseUrl = withUrl((url) => {
      url.username = 'outsider';
      url.password = 'outsider-pw';
    });
    const line = await runFailing(['export', '--dir', dir], { DATABASE_URL: databaseUrl });
    expect(line).toMatch(
      /^migrate export failed: PostgreSQL at postgres:\/\/outsider@.* denied access \(SQLSTATE 42501: /,
    );
    expect(line).toContain('needs SELECT on neighborhoods and memberships');
  }, 60_000);

  it('says in one line that the DynamoDB endpoint cannot be reached, for import and verify', async () => {
    const endpoint = `http://127.0.0.1:${closedPort}`;
    for (const args of [
      ['import', '--dir', dir],
      ['verify', '--from-dir', dir],
    ]) {
      const line = await runFailing([...args, '--endpoint', endpoint, '--table', fx.table.tableName], {});
      expect(line).toBe(
        `migrate ${args[0]} failed: cannot reach DynamoDB at ${endpoint} (ECONNREFUSED): check --endpoint / ` +
          'DYNAMODB_ENDPOINT_URL (or AWS_REGION) and that the service is running.',
      );
    }
  }, 60_000);

  it('says in one line that PostgreSQL cannot be reached when sync has a table to work on', async () => {
    const line = await runFailing(['sync', '--endpoint', fx.table.endpoint, '--table', fx.table.tableName], {
      DATABASE_URL: withUrl((url) => {
        url.port = String(closedPort);
      }),
    });
    expect(line).toMatch(/^migrate sync failed: cannot reach PostgreSQL at .* \(ECONNREFUSED\)/);
  }, 60_000);
});

describe('failures only AWS can produce', () => {
  const awsError = (name: string, message: string) =>
    new DynamoDBServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: 400 }, message });
  const context = { databaseUrl: undefined, dynamodb: 'AWS eu-west-1' };

  it('names the credentials to check when AWS refuses them', () => {
    expect(explainFailure(awsError('UnrecognizedClientException', 'The security token is invalid.'), context)).toBe(
      'DynamoDB at AWS eu-west-1 refused the credentials (UnrecognizedClientException: The security token is invalid.): ' +
        'check AWS_PROFILE or AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, and that they are not expired.',
    );
    const missing = Object.assign(new Error('Could not load credentials from any providers'), {
      name: 'CredentialsProviderError',
    });
    expect(explainFailure(missing, context)).toMatch(/^DynamoDB at AWS eu-west-1 refused the credentials/);
  });

  it('names the permissions to grant when AWS denies access', () => {
    expect(
      explainFailure(awsError('AccessDeniedException', 'not authorized to perform: dynamodb:Scan'), context),
    ).toMatch(
      /^DynamoDB at AWS eu-west-1 denied access \(AccessDeniedException: .*\): the credentials' IAM policy must allow/,
    );
  });

  it('leaves any other error to the stack trace (it is a bug, not the environment)', () => {
    expect(explainFailure(new TypeError('x is undefined'), context)).toBeUndefined();
    expect(explainFailure(awsError('ValidationException', 'bad key'), context)).toBeUndefined();
  });
});
