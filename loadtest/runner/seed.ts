import type { Pool } from 'undici';
import { createRunId, fixtureDescription, toFixtureName } from '../shared/fixture-data.js';
import { countResidents, type ScenarioFile } from '../shared/scenario-file.js';
import type { Fixtures } from './flows.js';
import { callOperation, readId } from './http-client.js';
import type { PoolUser } from './user-pool.js';

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
  const runStart = performance.now();
  const creator = users[0] as PoolUser;
  const nbhdIds: string[] = [];
  for (let i = 0; i < file.fixtures.neighborhoods; i++) {
    const created = await callOperation(pool, 'createNeighborhood', {
      basePath,
      runStart,
      flow: 'setup',
      token: creator.token,
      body: { name: toFixtureName(runId, i), description: fixtureDescription },
      readBody: true,
    });
    const id = readId(created);
    if (!id) throw new Error(`seeding: creating a neighborhood answered ${created.sample.status}: ${created.body}`);
    nbhdIds.push(id);
  }
  const joins = [];
  for (let user = 1; user < countResidents(file.fixtures); user++) {
    for (const nbhdId of nbhdIds) {
      joins.push(async () => {
        const token = (users[user] as PoolUser).token;
        const joined = await callOperation(pool, 'joinNeighborhood', {
          basePath,
          runStart,
          flow: 'setup',
          token,
          nbhdId,
        });
        if (!joined.sample.expected) throw new Error(`seeding: a join answered ${joined.sample.status}`);
      });
    }
  }
  await runLimited(joins, 8);
  return { runId, nbhdIds } satisfies Fixtures;
}

/** Deletes the fixture neighborhoods (a server the user runs keeps no load-test leftovers). */
export async function removeFixtures(pool: Pool, basePath: string, users: PoolUser[], fixtures: Fixtures) {
  const token = (users[0] as PoolUser).token;
  const runStart = performance.now();
  await runLimited(
    fixtures.nbhdIds.map((nbhdId) => async () => {
      await callOperation(pool, 'deleteNeighborhood', { basePath, runStart, flow: 'teardown', token, nbhdId });
    }),
    4,
  );
}
