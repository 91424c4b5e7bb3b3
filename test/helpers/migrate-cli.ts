import { spawn } from 'node:child_process';
import { type ChildRun, collectChildRun } from './child-run.js';

export type CliRun = ChildRun;

/**
 * Runs the migrate CLI as an operator does, `npm run -s migrate -- …` (the npm script, with its tsx flags), in
 * a child process, and collects both streams separately.
 */
export function runCliProcess(args: string[], env: Record<string, string>): Promise<CliRun> {
  const child = spawn('npm', ['run', '-s', 'migrate', '--', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return collectChildRun(child);
}
