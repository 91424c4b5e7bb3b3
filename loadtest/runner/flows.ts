import type { Pool } from 'undici';
import { createdDescription, toCreatedName } from '../shared/fixture-data.js';
import { countResidents, type Flow, pickMembershipPair, type ScenarioFile } from '../shared/scenario-file.js';
import { callOperation, readId } from './http-client.js';
import type { RequestSample } from './samples.js';
import type { PoolUser } from './user-pool.js';

export interface Fixtures {
  runId: string;
  nbhdIds: string[];
}

export interface FlowContext {
  pool: Pool;
  basePath: string;
  file: ScenarioFile;
  users: PoolUser[];
  fixtures: Fixtures;
  runStart: number;
  random: () => number;
  record: (sample: RequestSample) => void;
}

function pickOne<T>(list: readonly T[], random: () => number): T {
  return list[Math.floor(random() * list.length)] as T;
}

/** One iteration of a flow: the same choices as loadtest/k6/lib/iteration.ts, on Node. */
export async function runFlow(flow: Flow, iteration: number, context: FlowContext): Promise<void> {
  const { pool, file, users, fixtures, random, record } = context;
  const base = { basePath: context.basePath, flow: flow.name, runStart: context.runStart };
  const call = async (...args: Parameters<typeof callOperation> extends [Pool, ...infer R] ? R : never) => {
    const result = await callOperation(pool, ...args);
    record(result.sample);
    return result;
  };
  if (flow.steps[0] === 'joinNeighborhood') {
    const pair = pickMembershipPair(iteration, file.fixtures);
    const token = (users[pair.user] as PoolUser).token;
    const nbhdId = fixtures.nbhdIds[pair.neighborhood] as string;
    const joined = await call('joinNeighborhood', { ...base, token, nbhdId });
    if (joined.sample.status === 201) await call('leaveNeighborhood', { ...base, token, nbhdId });
    return;
  }
  if (flow.steps[0] === 'createNeighborhood') {
    const churner = pickOne(users.slice(countResidents(file.fixtures), file.fixtures.users), random);
    const created = await call('createNeighborhood', {
      ...base,
      token: churner.token,
      body: { name: toCreatedName(fixtures.runId, iteration), description: createdDescription },
      idempotencyKey: `loadtest-${fixtures.runId}-${iteration}`,
      readBody: true,
    });
    const id = readId(created);
    if (id) await call('deleteNeighborhood', { ...base, token: churner.token, nbhdId: id });
    return;
  }
  const token = pickOne(users.slice(0, file.fixtures.users), random).token;
  const nbhdId = pickOne(fixtures.nbhdIds, random);
  for (const operation of flow.steps) await call(operation, { ...base, token, nbhdId });
}
