import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { collectChildRun } from '../helpers/child-run.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'loadtest-e2e-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The shipped scenario file with small fixtures (fast to seed) and the given extra local thresholds. */
function writeScenarios(name: string, localThresholds: Record<string, string[]>): string {
  const raw = JSON.parse(readFileSync(join(root, 'loadtest/scenarios.json'), 'utf8'));
  raw.fixtures = { neighborhoods: 3, membersPerNeighborhood: 2, users: 40 };
  raw.profiles.local.thresholds = localThresholds;
  const path = join(work, `${name}.json`);
  writeFileSync(path, JSON.stringify(raw));
  return path;
}

function runRunner(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'loadtest/runner/main.ts', ...args], {
    cwd: root,
    // Vitest sets BASE_URL=/ (Vite's base path); the runner must start its own server here.
    env: { ...process.env, BASE_URL: '', DYNAMODB_ENDPOINT_URL: inject('dynamodbEndpoint'), ...env },
  });
  return collectChildRun(child);
}

describe.concurrent('npm run loadtest (local runner, end to end)', () => {
  it('drives the mix against its own server, writes the HTML report and exits 1 when one threshold is crossed', async () => {
    // Thresholds that cannot depend on how busy the machine is: the shipped error, throttle and check
    // thresholds must hold (✓), and a p95 below 1 µs must fail (✗) and turn the exit code to 1.
    const scenarios = writeScenarios('run', { 'http_req_duration{expected_response:true}': ['p(95)<0.001'] });
    const reportDir = join(work, 'reports');
    const result = await runRunner([
      '--rate',
      '10',
      '--duration',
      '3s',
      '--warmup',
      '0',
      '--scenarios',
      scenarios,
      '--report-dir',
      reportDir,
    ]);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toMatch(/getNeighborhood\s+\d+/);
    expect(result.stdout).toContain('✓ throttled_requests count==0');
    expect(result.stdout).toContain('✓ http_req_failed rate<0.001');
    expect(result.stdout).toContain('✗ http_req_duration{expected_response:true} p(95)<0.001');
    const html = readdirSync(reportDir).find((name) => name.endsWith('.html')) as string;
    const report = readFileSync(join(reportDir, html), 'utf8');
    expect(report).toContain('FAILED: a threshold was crossed');
    expect(report).toContain('<svg');
    const summary = JSON.parse(readFileSync(join(reportDir, 'loadtest-latest.json'), 'utf8'));
    const all = summary.rows.find((row: { operation: string }) => row.operation === 'all');
    expect(all.count).toBeGreaterThan(10);
    expect(all.errors).toBe(0);
  }, 90_000);

  it('refuses a BASE_URL that is not a loopback address, with exit code 2 and no traffic', async () => {
    const result = await runRunner(['--base-url', 'http://192.0.2.10:3000', '--duration', '1s']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('refusing to load 192.0.2.10');
  });
});
