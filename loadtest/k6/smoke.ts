/**
 * Smoke test for staging: one VU runs every flow of the mix a few times in turn, with the shared thresholds.
 *   k6 run -e BASE_URL=https://… -e TOKENS_FILE=/abs/path/tokens.json loadtest/k6/smoke.ts
 */
import exec from 'k6/execution';
import type { Options } from 'k6/options';
import { parseUserPool } from '../shared/tokens-file.ts';
import { baseOptions, loadScenarioFile, readBaseUrl, readEnv } from './lib/config.ts';
import { type FixtureData, setupFixtures, teardownFixtures } from './lib/fixtures.ts';
import { runFlow } from './lib/iteration.ts';

// open() only works here, in the init stage; the path is relative to this script.
const file = loadScenarioFile(open(readEnv('SCENARIOS_FILE', '../scenarios.json')));
const users = parseUserPool(open(readEnv('TOKENS_FILE')), file.fixtures.users);
const baseUrl = readBaseUrl();
const perFlow = file.profiles.smoke?.iterationsPerFlow ?? 1;

export const options: Options = {
  ...baseOptions(file, 'smoke'),
  scenarios: {
    smoke: { executor: 'per-vu-iterations', vus: 1, iterations: file.flows.length * perFlow, maxDuration: '5m' },
  },
};

export function setup(): FixtureData {
  return setupFixtures(baseUrl, file, users);
}

export default function (data: FixtureData): void {
  // Round robin rather than random, so every flow runs at least once.
  const flow = file.flows[exec.scenario.iterationInTest % file.flows.length];
  if (flow) runFlow(flow, { baseUrl, file, users, data });
}

export function teardown(data: FixtureData): void {
  teardownFixtures(baseUrl, users, data);
}
