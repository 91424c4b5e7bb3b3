import { spawn } from 'node:child_process';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the migrate CLI as an operator does, `npm run -s migrate -- …` (the npm script, with its tsx flags), in
 * a child process, and collects both streams separately.
 */
export function runCliProcess(args: string[], env: Record<string, string>): Promise<CliRun> {
  const child = spawn('npm', ['run', '-s', 'migrate', '--', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
