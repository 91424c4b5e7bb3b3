import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, inject, it, onTestFinished } from 'vitest';
import { findMismatches } from '../../loadtest/cpu-bench/cpu-report.js';
import type { RequestSample } from '../../loadtest/runner/samples.js';
import { collectChildRun } from '../helpers/child-run.js';
import { type RecordedCall, startDynamoDbRecorder } from '../helpers/dynamodb-recorder.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'bench-cpu-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function runBench(args: string[], dynamodbEndpoint: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'loadtest/cpu-bench/main.ts', ...args], {
    cwd: root,
    env: { ...process.env, DYNAMODB_ENDPOINT_URL: dynamodbEndpoint },
  });
  return collectChildRun(child);
}

type Item = Record<string, { TableName?: string }>;
/** Which bench server sent a call: each has its own table, `bench-cpu-<server>-<uuid>`. */
function serverOf({ input }: RecordedCall): string {
  const tables = [
    input.TableName,
    ...Object.keys((input.RequestItems ?? {}) as object),
    ...((input.TransactItems ?? []) as Item[]).map((item) => Object.values(item)[0]?.TableName),
  ];
  return /^bench-cpu-(\w+)-/.exec(String(tables.find(Boolean)))?.[1] ?? 'unknown';
}
/** A call as the floor must repeat it: the operation, its transaction's item kinds, its batch's key count. */
function describeCall({ operation, input }: RecordedCall): string {
  const items = ((input.TransactItems ?? []) as Item[]).map((item) => Object.keys(item)[0]).join('+');
  const keys = Object.values((input.RequestItems ?? {}) as Record<string, { Keys: unknown[] }>)
    .map((request) => request.Keys.length)
    .join('+');
  return [operation, input.IndexName, items, keys].filter(Boolean).join(' ');
}
/** How many times each kind of call was sent, per server. */
function tally(calls: RecordedCall[]): Record<string, Record<string, number>> {
  const byServer: Record<string, Record<string, number>> = {};
  for (const call of calls) {
    const server = serverOf(call);
    const counts = byServer[server] ?? {};
    byServer[server] = counts;
    const kind = describeCall(call);
    counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return byServer;
}

const sample = (status: number, expected: boolean) =>
  ({ operation: 'joinNeighborhood', status, expected }) as RequestSample;

describe('npm run bench:cpu', () => {
  it('sends the mix to the app, the floor and the Express floor, all answer every request as expected with the same DynamoDB calls, and it ends with the ratio', async () => {
    const recorder = await startDynamoDbRecorder(inject('dynamodbEndpoint'));
    onTestFinished(() => recorder.close());
    const raw = JSON.parse(readFileSync(join(root, 'loadtest/scenarios.json'), 'utf8'));
    raw.fixtures = { neighborhoods: 3, membersPerNeighborhood: 2, users: 40 };
    const scenarios = join(work, 'scenarios.json');
    writeFileSync(scenarios, JSON.stringify(raw));
    const result = await runBench(
      ['--iterations', '200', '--warmup', '10', '--seed', '7', '--scenarios', scenarios],
      recorder.endpoint,
    );
    expect(result.code, result.stderr).toBe(0);
    // The floors' premise: the same commands with the same items per operation as the app.
    const calls = tally(recorder.calls);
    expect(Object.keys(calls).sort()).toEqual(['app', 'express', 'floor']);
    const kinds = Object.keys(calls.app ?? {});
    expect(kinds).toEqual(
      expect.arrayContaining(['Query GSI1', 'GetItem', 'TransactWriteItems Put+Update+Update+Update']),
    );
    expect(kinds.some((kind) => kind.startsWith('BatchGetItem'))).toBe(true);
    expect(calls.floor).toEqual(calls.app);
    expect(calls.express).toEqual(calls.app);
    const requests = Number(/→ (\d+) requests to each server/.exec(result.stdout)?.[1]);
    expect(requests).toBeGreaterThan(200);
    expect(result.stdout).toContain(
      `expected statuses: app ${requests}/${requests}, floor ${requests}/${requests}, express ${requests}/${requests}`,
    );
    expect(result.stdout).toMatch(/load average \(1\/5\/15 min\): before [\d.]+ [\d.]+ [\d.]+, after/);
    for (const operation of ['listNeighborhoods', 'getNeighborhood', 'joinNeighborhood', 'leaveNeighborhood']) {
      expect(result.stdout).toMatch(
        new RegExp(
          `\\n${operation} +\\d+ +\\d+\\.\\d\\d +\\d+\\.\\d\\d +\\d+\\.\\d\\d× +\\d+\\.\\d\\d +\\d+\\.\\d\\d×`,
        ),
      );
    }
    const all = /\nall +(\d+) /.exec(result.stdout);
    expect(Number(all?.[1])).toBe(requests);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[lines.length - 2]).toMatch(/^express floor\/floor CPU per request: \d+\.\d\d×$/);
    expect(lines[lines.length - 1]).toMatch(/^app\/floor CPU per request: \d+\.\d\d×$/);
  }, 120_000);

  it('counts a request whose status was not the expected one, and a request the server did not measure', () => {
    expect(findMismatches([sample(201, true), sample(409, false)], [], 'floor')).toEqual([
      'floor: 2 requests sent, 0 measured',
      'floor: joinNeighborhood answered 409',
    ]);
  });
});
