import { fail } from 'k6';
import { createRunId } from '../../shared/fixture-data.ts';
import { planRequest, readAnswer, toFixtureState } from '../../shared/flow-requests.ts';
import { fixtureSteps } from '../../shared/flows.ts';
import type { ScenarioFile } from '../../shared/scenario-file.ts';
import type { PoolUser } from '../../shared/tokens-file.ts';
import { countResidents } from '../../shared/user-roles.ts';
import { readBody, send } from './api.ts';

/** What setup() hands every iteration and teardown(). */
export interface FixtureData {
  runId: string;
  nbhdIds: string[];
}

/**
 * Creates the run's neighborhoods through the API: user 0 creates each, the other residents join each,
 * so detail and member lists have realistic sizes. Names carry the run id, so runs never collide.
 */
export function setupFixtures(baseUrl: string, file: ScenarioFile, users: PoolUser[]): FixtureData {
  const runId = createRunId();
  const options = { baseUrl, flow: 'setup', fixture: true };
  const nbhdIds: string[] = [];
  for (let i = 0; i < file.fixtures.neighborhoods; i++) {
    const state = toFixtureState(runId, i, users[0]);
    const response = send(planRequest(fixtureSteps.create, state), options);
    const id = readAnswer(fixtureSteps.create, state, response.status, readBody(response)) && state.captured.id;
    if (!id) fail(`setup: creating a fixture neighborhood answered ${response.status}`);
    nbhdIds.push(id);
  }
  for (let user = 1; user < countResidents(file.fixtures); user++) {
    for (const nbhdId of nbhdIds)
      send(planRequest(fixtureSteps.join, toFixtureState(runId, 0, users[user], nbhdId)), options);
  }
  return { runId, nbhdIds };
}

/** Deletes the run's fixture neighborhoods (with their memberships), whatever the run's outcome. */
export function teardownFixtures(baseUrl: string, users: PoolUser[], data: FixtureData): void {
  for (const nbhdId of data.nbhdIds) {
    const state = toFixtureState(data.runId, 0, users[0], nbhdId);
    send(planRequest(fixtureSteps.remove, state), { baseUrl, flow: 'teardown', fixture: true });
  }
}
