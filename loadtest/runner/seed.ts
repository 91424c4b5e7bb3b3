import type { Pool } from 'undici';
import { createRunId } from '../shared/fixture-data.js';
import { planRequest, readAnswer, toFixtureState } from '../shared/flow-requests.js';
import { fixtureSteps } from '../shared/flows.js';
import type { ScenarioFile } from '../shared/scenario-file.js';
import type { PoolUser } from '../shared/tokens-file.js';
import { countResidents } from '../shared/user-roles.js';
import type { Fixtures } from './flows.js';
import { send } from './http-client.js';

/** Runs tasks with at most `limit` at once. */
async function runLimited(tasks: (() => Promise<void>)[], limit: number): Promise<void> {
  const queue = [...tasks];
  await Promise.all(
    Array.from({ length: Math.min(limit, queue.length) }, async () => {
      for (let task = queue.shift(); task; task = queue.shift()) await task();
    }),
  );
}

/**
 * Seeds through the API, like the k6 scripts' setup(): user 0 creates the fixture neighborhoods,
 * the other residents join each. Fails loudly on any unexpected answer: a run on bad fixtures is no run.
 */
export async function seedFixtures(pool: Pool, basePath: string, file: ScenarioFile, users: PoolUser[]) {
  const runId = createRunId();
  const options = { basePath, runStart: performance.now(), flow: 'setup' };
  const nbhdIds: string[] = [];
  for (let i = 0; i < file.fixtures.neighborhoods; i++) {
    const state = toFixtureState(runId, i, users[0]);
    const created = await send(pool, planRequest(fixtureSteps.create, state), options);
    const id = readAnswer(fixtureSteps.create, state, created.sample.status, created.body) && state.captured.id;
    if (!id) throw new Error(`seeding: creating a neighborhood answered ${created.sample.status}: ${created.body}`);
    nbhdIds.push(id);
  }
  const joins = [];
  for (let user = 1; user < countResidents(file.fixtures); user++) {
    for (const nbhdId of nbhdIds) {
      joins.push(async () => {
        const joined = await send(
          pool,
          planRequest(fixtureSteps.join, toFixtureState(runId, 0, users[user], nbhdId)),
          options,
        );
        if (!joined.sample.expected) throw new Error(`seeding: a join answered ${joined.sample.status}`);
      });
    }
  }
  await runLimited(joins, 8);
  return { runId, nbhdIds } satisfies Fixtures;
}

/** Deletes the fixture neighborhoods (a server the user runs keeps no load-test leftovers). */
export async function removeFixtures(pool: Pool, basePath: string, users: PoolUser[], fixtures: Fixtures) {
  const options = { basePath, runStart: performance.now(), flow: 'teardown' };
  await runLimited(
    fixtures.nbhdIds.map((nbhdId) => async () => {
      await send(pool, planRequest(fixtureSteps.remove, toFixtureState(fixtures.runId, 0, users[0], nbhdId)), options);
    }),
    4,
  );
}
