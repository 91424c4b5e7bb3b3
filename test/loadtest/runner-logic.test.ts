import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRunnerOptions } from '../../loadtest/runner/cli-options.js';
import { bucketBySecond, summarizeByOperation } from '../../loadtest/runner/report-data.js';
import { renderHtmlReport } from '../../loadtest/runner/report-html.js';
import type { RequestSample } from '../../loadtest/runner/samples.js';
import { formatServerTiming, parseServerTiming } from '../../loadtest/runner/server-timing.js';
import { resolveTarget } from '../../loadtest/runner/target.js';
import { evaluateThresholds } from '../../loadtest/runner/thresholds.js';
import { parseScenarioFile } from '../../loadtest/shared/scenario-file.js';

const file = parseScenarioFile(
  JSON.parse(readFileSync(new URL('../../loadtest/scenarios.json', import.meta.url), 'utf8')),
);

function sample(overrides: Partial<RequestSample>): RequestSample {
  return {
    operation: 'listNeighborhoods',
    flow: 'browse',
    method: 'GET',
    status: 200,
    startMs: 0,
    durationMs: 4,
    expected: true,
    throttled: false,
    checkOk: true,
    ...overrides,
  };
}

describe('runner target', () => {
  it('accepts loopback hosts and refuses any other host unless --allow-remote is given', () => {
    for (const url of ['http://127.0.0.1:3000', 'http://localhost:8080/', 'http://[::1]:3000']) {
      expect(resolveTarget(url, false).basePath).toBe('');
    }
    expect(() => resolveTarget('https://api.staging.nbhd.city', false)).toThrow(
      /refusing to load api.staging.nbhd.city/,
    );
    expect(() => resolveTarget('http://10.0.0.8:3000', false)).toThrow(/refusing/);
    expect(() => resolveTarget('http://127.0.0.1.example.com', false)).toThrow(/refusing/);
    expect(resolveTarget('https://api.staging.nbhd.city/v1/', true)).toEqual({
      origin: 'https://api.staging.nbhd.city',
      basePath: '/v1',
    });
    expect(() => resolveTarget('ftp://127.0.0.1', false)).toThrow(/http:\/\/ or https:\/\//);
  });

  it('takes rate and duration from the profile unless given, and BASE_URL from the environment', () => {
    const defaults = parseRunnerOptions([], {}, file);
    expect(defaults).toMatchObject({ profile: 'local', rate: 180, durationMs: 60_000, warmupMs: 45_000 });
    expect(defaults.baseUrl).toBeUndefined();
    const given = parseRunnerOptions(
      ['--rate', '20', '--duration', '3s', '--warmup', '0'],
      { BASE_URL: 'http://127.0.0.1:9' },
      file,
    );
    expect(given).toMatchObject({ rate: 20, durationMs: 3000, warmupMs: 0, baseUrl: 'http://127.0.0.1:9' });
    expect(() => parseRunnerOptions(['--rate', '-1'], {}, file)).toThrow(/--rate/);
    expect(() => parseRunnerOptions(['--profile', 'smoke'], {}, file)).toThrow(/--rate/);
    expect(() => parseRunnerOptions(['--bogus'], {}, file)).toThrow();
  });
});

describe('server timing', () => {
  it('reads back the app and DynamoDB durations the load-test server sends', () => {
    expect(parseServerTiming(formatServerTiming(3.456, 1.2, 2))).toEqual({ serverMs: 3.46, dbMs: 1.2, dbCalls: 2 });
    expect(parseServerTiming(undefined)).toEqual({});
    expect(parseServerTiming('cdn-cache;desc=HIT, app;dur=7')).toEqual({ serverMs: 7 });
  });
});

describe('report', () => {
  const samples = [
    sample({ startMs: 100, durationMs: 2, serverMs: 1.5, dbMs: 1, dbCalls: 1 }),
    sample({ startMs: 900, durationMs: 6, serverMs: 5, dbMs: 4, dbCalls: 1 }),
    sample({
      startMs: 1500,
      operation: 'joinNeighborhood',
      flow: 'membership',
      method: 'POST',
      status: 503,
      expected: false,
      throttled: true,
      checkOk: false,
      durationMs: 30,
    }),
  ];

  it('summarizes per operation with errors and throttles, and per second of the run', () => {
    const rows = summarizeByOperation(samples, 2);
    expect(rows.map((r) => [r.operation, r.count, r.errors, r.throttles])).toEqual([
      ['listNeighborhoods', 2, 0, 0],
      ['joinNeighborhood', 1, 1, 1],
      ['all', 3, 1, 1],
    ]);
    expect(rows[0]).toMatchObject({ rps: 1, dbCallsAvg: 1 });
    expect(rows[0]?.latency.p50).toBe(4);
    expect(rows[0]?.db?.max).toBe(4);
    expect(bucketBySecond(samples).map((b) => [b.second, b.requests, b.errors])).toEqual([
      [0, 2, 0],
      [1, 1, 1],
    ]);
  });

  it('renders a self-contained HTML page with the verdict, thresholds and charts', () => {
    const thresholds = evaluateThresholds({ throttled_requests: ['count==0'] }, samples, 2);
    const html = renderHtmlReport({
      startedAt: '2026-11-25T22:00:00.000Z',
      target: 'http://127.0.0.1:1',
      profile: 'local',
      rate: 2,
      plannedRequestsPerSecond: 2.3,
      durationSeconds: 2,
      elapsedSeconds: 2,
      iterations: 3,
      dropped: 0,
      rows: summarizeByOperation(samples, 2),
      seconds: bucketBySecond(samples),
      thresholds,
      passed: false,
      cpu: [{ process: 'API server', cores: 0.5 }],
      notes: ['<script>not a tag</script>'],
    });
    expect(html).toContain('FAILED: a threshold was crossed');
    expect(html).toContain('CPU per request (ms): API server 333.3');
    expect(html).toContain('✗</td><td>throttled_requests');
    expect(html.match(/<svg /g)?.length).toBe(4);
    expect(html).not.toMatch(/<script|src="http|href="http/);
  });
});
