import exec from 'k6/execution';
import { createdDescription, toCreatedName } from '../../shared/fixture-data.ts';
import { countResidents, type Flow, pickMembershipPair, type ScenarioFile } from '../../shared/scenario-file.ts';
import { callOperation, readId } from './api.ts';
import type { FixtureData } from './fixtures.ts';
import type { PoolUser } from './users.ts';

export interface IterationContext {
  baseUrl: string;
  file: ScenarioFile;
  users: PoolUser[];
  data: FixtureData;
}

function pickOne<T>(list: readonly T[]): T {
  return list[Math.floor(Math.random() * list.length)] as T;
}

/**
 * Runs one flow of the mix. Paired steps undo each other (join → leave, create → delete) so the data set
 * stays the same size however long the test runs, and the second step only runs after the first succeeded.
 */
export function runFlow(flow: Flow, { baseUrl, file, users, data }: IterationContext): void {
  const iteration = exec.scenario.iterationInTest;
  const anyUser = pickOne(users.slice(0, file.fixtures.users));
  const nbhdId = pickOne(data.nbhdIds);
  const base = { baseUrl, flow: flow.name };
  if (flow.steps[0] === 'joinNeighborhood') {
    const pair = pickMembershipPair(iteration, file.fixtures);
    const token = (users[pair.user] as PoolUser).token;
    const target = data.nbhdIds[pair.neighborhood] as string;
    const joined = callOperation('joinNeighborhood', { ...base, token, nbhdId: target });
    if (joined.status === 201) callOperation('leaveNeighborhood', { ...base, token, nbhdId: target });
    return;
  }
  if (flow.steps[0] === 'createNeighborhood') {
    const churner = pickOne(users.slice(countResidents(file.fixtures), file.fixtures.users));
    const created = callOperation('createNeighborhood', {
      ...base,
      token: churner.token,
      body: { name: toCreatedName(data.runId, iteration), description: createdDescription },
      idempotencyKey: `loadtest-${data.runId}-${iteration}`,
      readBody: true,
    });
    const id = readId(created);
    if (id) callOperation('deleteNeighborhood', { ...base, token: churner.token, nbhdId: id });
    return;
  }
  for (const operation of flow.steps) {
    callOperation(operation, { ...base, token: anyUser.token, nbhdId });
  }
}
