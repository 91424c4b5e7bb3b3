import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, inject, it } from 'vitest';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

describe('npm run workflows (the Arazzo workflows in arazzo/, run by redocly respect)', () => {
  it('passes every workflow against a local stack it starts and stops', { timeout: 240_000 }, async () => {
    // The suite's DynamoDB Local engine; the runner makes (and drops) a table of its own on it.
    const env = { ...process.env, DYNAMODB_ENDPOINT_URL: inject('dynamodbEndpoint'), NO_COLOR: '1' };
    const { stdout } = await run('npm', ['run', '-s', 'workflows'], { cwd: repoRoot, env, maxBuffer: 16 << 20 });

    const passed = [...stdout.matchAll(/Workflows: (\d+) passed, (\d+) total/g)];
    const total = passed.reduce((sum, match) => sum + Number(match[2]), 0);
    expect(passed.map((match) => match[1])).toEqual(passed.map((match) => match[2]));
    expect(total).toBe(7);
    expect(stdout).not.toContain('failed');
    for (const workflow of [
      'browse-neighborhoods',
      'sign-in-and-membership',
      'idempotent-create-replayed',
      'duplicate-name',
      'membership-errors',
      'expired-token',
      'membership-quota',
    ]) {
      expect(stdout).toContain(`/ ${workflow}`);
    }
  });
});
