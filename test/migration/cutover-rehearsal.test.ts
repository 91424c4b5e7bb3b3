import { spawn } from 'node:child_process';
import { describe, expect, inject, it } from 'vitest';
import { collectChildRun } from '../helpers/child-run.js';

const script = new URL('../../scripts/cutover/rehearse.ts', import.meta.url).pathname;

/** `npm run cutover:rehearse` as a user runs it, shortened: few users, short steps, on the run's DynamoDB Local. */
function rehearse(...args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', '--disable-warning=ExperimentalWarning', script, ...args], {
    env: { ...process.env, DYNAMODB_ENDPOINT_URL: inject('dynamodbEndpoint') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return collectChildRun(child);
}

describe('npm run cutover:rehearse (a short run)', () => {
  it('loses and duplicates no acknowledged write of either side through every weight, a rollback and a kill per step', async () => {
    const run = await rehearse(
      ...['--seed', '7', '--users', '8', '--seconds-per-step', '4'],
      ...['--legacy-neighborhoods', '20', '--legacy-memberships', '150', '--json'],
    );
    expect(run.stderr).toContain('step 6/6');
    const result = JSON.parse(run.stdout);
    expect({ lost: result.check.lost, duplicated: result.check.duplicated }).toEqual({ lost: [], duplicated: [] });
    expect(result.verify.code).toBe(0);
    expect(run.code).toBe(0);
    // The run did what it claims: every weight, back to 0 and forward, both sides writing, a SIGKILL per step.
    expect(result.steps.map((s: { weight: number }) => s.weight)).toEqual([5, 25, 50, 0, 50, 100]);
    expect(result.steps[3].green).toBe(0);
    expect(result.steps[5].blue).toBe(0);
    expect(result.replicator).toMatchObject({ kills: 6, starts: 7, crashes: [] });
    expect(result.acknowledged.blue).toBeGreaterThan(20);
    expect(result.acknowledged.green).toBeGreaterThan(20);
    expect(result.check.checked.memberships).toBeGreaterThan(20);
    expect(result.lag.forward.samples).toBeGreaterThan(0);
    expect(result.lag.reverse.samples).toBeGreaterThan(0);
    expect(result.replication.forward.applied).toBeGreaterThan(0);
    expect(result.replication.reverse.applied).toBeGreaterThan(0);
  }, 120_000);

  it('prints its options with --help and refuses a bad one with exit 2', async () => {
    const help = await rehearse('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--seconds-per-step/);
    const bad = await rehearse('--users', 'many');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--users must be a positive number/);
  });
});
