import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const redoclyCli = require.resolve('@redocly/cli/bin/cli.js');

/** The name of openapi.yaml in every workflow's `sourceDescriptions`; `--server` overrides its servers. */
export const sourceName = 'nbhd';

/** Takes `--server <url>` (or `--server=<url>`) out of the arguments; the rest are for `redocly respect`. */
export function splitWorkflowArgs(argv: string[]): { server: string | undefined; respectArgs: string[] } {
  const respectArgs: string[] = [];
  let server: string | undefined;
  let given = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--server') server = argv[++i];
    else if (arg.startsWith('--server=')) server = arg.slice('--server='.length);
    else {
      respectArgs.push(arg);
      continue;
    }
    given = true;
  }
  if (given && !/^https?:\/\/[^/]/.test(server ?? '')) {
    throw new Error(`--server needs the stage's base URL (http:// or https://), got ${JSON.stringify(server)}`);
  }
  return { server: server?.replace(/\/+$/, ''), respectArgs };
}

/** The workflow ids named by `--workflow`/`-w` (respect takes several after one flag). */
export function listRequestedWorkflows(respectArgs: string[]): string[] {
  const ids: string[] = [];
  for (let i = 0; i < respectArgs.length; i++) {
    if (respectArgs[i] !== '--workflow' && respectArgs[i] !== '-w') continue;
    for (let j = i + 1; j < respectArgs.length && !(respectArgs[j] as string).startsWith('-'); j++) {
      ids.push(respectArgs[j] as string);
    }
  }
  return ids;
}

/**
 * The workflow files to run: all of them, or only those that define a requested workflow (respect refuses a
 * file that lacks one of the `--workflow` ids).
 */
export function selectWorkflowFiles(files: string[], requested: string[]): string[] {
  if (requested.length === 0) return files;
  return files.filter((file) =>
    requested.some((id) => new RegExp(`workflowId:\\s*${id}\\s*$`, 'm').test(readFileSync(file, 'utf8'))),
  );
}

export interface RespectRun {
  files: string[];
  baseUrl: string;
  inputs: object;
  args: string[];
}

/**
 * Runs `redocly respect` on the files against `baseUrl`, printing its report, and resolves to its exit code.
 * Inputs (tokens among them) go through REDOCLY_CLI_RESPECT_INPUT, not the command line, so they stay out of
 * the process list; respect masks the `format: password` ones in its output.
 */
export function runRespect({ files, baseUrl, inputs, args }: RespectRun): Promise<number> {
  const argv = [redoclyCli, 'respect', ...files, '--server', `${sourceName}=${baseUrl}`, ...args];
  const child = spawn(process.execPath, argv, {
    stdio: 'inherit',
    env: {
      ...process.env,
      REDOCLY_CLI_RESPECT_INPUT: JSON.stringify(inputs),
      REDOCLY_TELEMETRY: 'off',
      REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
    },
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}
