import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const repoRoot = fileURLToPath(new URL('../', import.meta.url));

/** The Redocly CLI entry, run with the current Node (Node 22 under npm scripts and vitest). */
const redoclyCli = require.resolve('@redocly/cli/bin/cli.js');

/** Runs `redocly <args>` from the repo root so redocly.yaml applies; rejects with its output on failure. */
export async function runRedocly(args: string[], cwd: string = repoRoot): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, [redoclyCli, ...args], {
    cwd,
    maxBuffer: 64 * 1024 * 1024,
    // The CLI would otherwise phone home and check for updates; CI and tests stay offline.
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
  });
}
