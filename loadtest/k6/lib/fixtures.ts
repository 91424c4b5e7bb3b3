import { fail } from 'k6';
import { createRunId, fixtureDescription, toFixtureName } from '../../shared/fixture-data.ts';
import { countResidents, type ScenarioFile } from '../../shared/scenario-file.ts';
import { callOperation, readId } from './api.ts';
import type { PoolUser } from './users.ts';

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
  const creator = users[0] as PoolUser;
  const nbhdIds: string[] = [];
  for (let i = 0; i < file.fixtures.neighborhoods; i++) {
    const response = callOperation('createNeighborhood', {
      baseUrl,
      token: creator.token,
      body: { name: toFixtureName(runId, i), description: fixtureDescription },
      flow: 'setup',
      readBody: true,
      fixture: true,
    });
    const id = readId(response);
    if (!id) fail(`setup: creating a fixture neighborhood answered ${response.status}`);
    nbhdIds.push(id);
  }
  for (let user = 1; user < countResidents(file.fixtures); user++) {
    for (const nbhdId of nbhdIds) {
      const token = (users[user] as PoolUser).token;
      callOperation('joinNeighborhood', { baseUrl, token, nbhdId, flow: 'setup', fixture: true });
    }
  }
  return { runId, nbhdIds };
}

/** Deletes the run's fixture neighborhoods (with their memberships), whatever the run's outcome. */
export function teardownFixtures(baseUrl: string, users: PoolUser[], data: FixtureData): void {
  const creator = users[0] as PoolUser;
  for (const nbhdId of data.nbhdIds) {
    callOperation('deleteNeighborhood', { baseUrl, token: creator.token, nbhdId, flow: 'teardown', fixture: true });
  }
}
