import { parseArgs } from 'node:util';
import { parseDuration, type ScenarioFile } from '../shared/scenario-file.js';

export interface RunnerOptions {
  profile: string;
  /** Iterations per second. */
  rate: number;
  durationMs: number;
  warmupMs: number;
  maxInFlight: number;
  baseUrl?: string;
  allowRemote: boolean;
  reportDir: string;
}

/** The scenario file: --scenarios FILE, else loadtest/scenarios.json (read before the other options). */
export function readScenariosPath(argv: string[]): string | undefined {
  const index = argv.findIndex((arg) => arg === '--scenarios' || arg.startsWith('--scenarios='));
  if (index === -1) return undefined;
  const arg = argv[index] as string;
  return arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[index + 1];
}

export const usage = `npm run loadtest -- [options]
  --profile NAME         scenario-file profile (default local)
  --rate N               iterations started per second (default: the profile's rate)
  --duration D           how long to drive load, k6 duration such as 60s (default: the profile's)
  --warmup D             unmeasured load before the run, same mix and rate (default: the profile's, else 10s; DynamoDB Local's JIT needs it)
  --max-in-flight N      iterations running at once before new ones are dropped (default: the profile's)
  --base-url URL         load a server that is already running (default: start one on DynamoDB Local);
                         also BASE_URL. Only 127.0.0.1 / localhost / ::1 unless --allow-remote
  --allow-remote         let --base-url name another host (needs TOKENS_FILE or SECRET_KEY)
  --report-dir DIR       where the HTML report goes (default reports)
  --scenarios FILE       another scenario file (default loadtest/scenarios.json)
  --help                 this text
  DYNAMODB_ENDPOINT_URL  use this DynamoDB (Local) endpoint instead of starting one (a fresh table is made)`;

function readWarmupMs(text: string): number {
  return text === '0' ? 0 : parseDuration(text);
}

/** Reads the runner's command line and environment (BASE_URL) against the scenario file's profile. */
export function parseRunnerOptions(
  argv: string[],
  env: Record<string, string | undefined>,
  file: ScenarioFile,
): RunnerOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      profile: { type: 'string', default: 'local' },
      rate: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      'max-in-flight': { type: 'string' },
      'base-url': { type: 'string' },
      'allow-remote': { type: 'boolean', default: false },
      'report-dir': { type: 'string', default: 'reports' },
      scenarios: { type: 'string' },
    },
    strict: true,
  });
  const profile = file.profiles[values.profile];
  if (!profile) throw new Error(`no profile "${values.profile}" in the scenario file`);
  const rate = Number(values.rate ?? profile.rate);
  if (!Number.isFinite(rate) || rate <= 0)
    throw new Error('--rate (or the profile\'s "rate") must be a positive number');
  const duration = values.duration ?? profile.duration;
  if (!duration) throw new Error('--duration (or the profile\'s "duration") is required');
  const maxInFlight = Number(values['max-in-flight'] ?? profile.maxInFlight ?? 64);
  if (!Number.isInteger(maxInFlight) || maxInFlight < 1) throw new Error('--max-in-flight must be a positive integer');
  const baseUrl = values['base-url'] ?? env.BASE_URL;
  return {
    profile: values.profile,
    rate,
    durationMs: parseDuration(duration),
    warmupMs: readWarmupMs(values.warmup ?? profile.warmup ?? '10s'),
    maxInFlight,
    ...(baseUrl ? { baseUrl } : {}),
    allowRemote: values['allow-remote'],
    reportDir: values['report-dir'],
  };
}
