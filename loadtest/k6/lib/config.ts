import type { Options, Stage } from 'k6/options';
import { buildThresholds, parseDuration, parseScenarioFile, type ScenarioFile } from '../../shared/scenario-file.ts';

/** k6 reads settings from `-e NAME=value` or the environment; this is the one place that looks. */
export function readEnv(name: string, fallback?: string): string {
  const value = __ENV[name];
  if (value !== undefined && value !== '') return value;
  if (fallback !== undefined) return fallback;
  throw new Error(`set ${name} (k6 run -e ${name}=…); see docs/loadtest.md`);
}

/** The target: always given explicitly, so a script never defaults to some server by accident. */
export function readBaseUrl(): string {
  const url = readEnv('BASE_URL').replace(/\/+$/, '');
  if (!/^https?:\/\//.test(url)) throw new Error(`BASE_URL must start with http:// or https://, got ${url}`);
  return url;
}

/** Parses the scenario file text that the entry script opened (open() only works in the init stage). */
export function loadScenarioFile(text: string): ScenarioFile {
  return parseScenarioFile(JSON.parse(text));
}

/** Options shared by the smoke and load scripts: thresholds from the scenario file, figures per operation. */
export function baseOptions(file: ScenarioFile, profileName: string): Options {
  return {
    thresholds: buildThresholds(file, profileName),
    summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)'],
    discardResponseBodies: true,
    setupTimeout: '3m',
    teardownTimeout: '3m',
    userAgent: 'nbhd-city-loadtest (k6)',
  };
}

/**
 * The arrival-rate stages: the profile's, or — when RATE and/or HOLD are set — ramp up over the profile's
 * first stage duration to RATE iterations/s, hold it for HOLD, then ramp down over its last stage duration.
 */
export function buildStages(file: ScenarioFile, profileName: string): Stage[] {
  const stages = file.profiles[profileName]?.stages ?? [];
  const rate = __ENV.RATE;
  const hold = __ENV.HOLD;
  if (!rate && !hold) return stages;
  const first = stages[0];
  const last = stages[stages.length - 1];
  const target = rate ? Number(rate) : Math.max(...stages.map((stage) => stage.target));
  if (!Number.isFinite(target) || target <= 0) throw new Error(`RATE must be a positive number, got ${rate}`);
  const holdFor = hold ?? stages[1]?.duration ?? '1m';
  parseDuration(holdFor);
  return [
    { duration: first?.duration ?? '30s', target },
    { duration: holdFor, target },
    { duration: last?.duration ?? '30s', target: 0 },
  ];
}
