/**
 * Load test for staging: the scenario file's mix at a ramping arrival rate (open model: iterations start on
 * schedule whether or not the server keeps up), with the shared thresholds.
 *   k6 run -e BASE_URL=https://… -e TOKENS_FILE=/abs/path/tokens.json [-e RATE=100 -e HOLD=5m] loadtest/k6/load.ts
 */
import type { Options } from 'k6/options';
import { pickFlow } from '../shared/scenario-file.ts';
import { parseUserPool } from '../shared/tokens-file.ts';
import { baseOptions, buildStages, loadScenarioFile, readBaseUrl, readEnv } from './lib/config.ts';
import { type FixtureData, setupFixtures, teardownFixtures } from './lib/fixtures.ts';
import { runFlow } from './lib/iteration.ts';

const file = loadScenarioFile(open(readEnv('SCENARIOS_FILE', '../scenarios.json')));
const users = parseUserPool(open(readEnv('TOKENS_FILE')), file.fixtures.users);
const baseUrl = readBaseUrl();
const profileName = readEnv('PROFILE', 'load');
const profile = file.profiles[profileName];
if (!profile?.stages) throw new Error(`profile "${profileName}" in the scenario file has no arrival-rate stages`);

export const options: Options = {
  ...baseOptions(file, profileName),
  scenarios: {
    mixed: {
      executor: 'ramping-arrival-rate',
      startRate: profile.startRate ?? 0,
      timeUnit: '1s',
      preAllocatedVUs: Number(readEnv('PRE_ALLOCATED_VUS', String(profile.preAllocatedVUs ?? 10))),
      maxVUs: Number(readEnv('MAX_VUS', String(profile.maxVUs ?? 100))),
      stages: buildStages(file, profileName),
    },
  },
};

export function setup(): FixtureData {
  return setupFixtures(baseUrl, file, users);
}

export default function (data: FixtureData): void {
  runFlow(pickFlow(file.flows, Math.random()), { baseUrl, file, users, data });
}

export function teardown(data: FixtureData): void {
  teardownFixtures(baseUrl, users, data);
}
