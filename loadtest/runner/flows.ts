import type { Pool } from 'undici';
import { castIteration, planRequest, readAnswer } from '../shared/flow-requests.js';
import type { Flow, ScenarioFile } from '../shared/scenario-file.js';
import type { PoolUser } from '../shared/tokens-file.js';
import { send } from './http-client.js';
import type { RequestSample } from './samples.js';

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

/** Runs one flow of the mix (loadtest/shared/flows.ts): each step while the one before got its expected answer. */
export async function runFlow(flow: Flow, iteration: number, context: FlowContext): Promise<void> {
  const { pool, file, users, fixtures, random, record } = context;
  const state = castIteration(flow, iteration, {
    runId: fixtures.runId,
    fixtures: file.fixtures,
    users,
    nbhdIds: fixtures.nbhdIds,
    random,
  });
  const options = { basePath: context.basePath, flow: flow.name, runStart: context.runStart };
  for (const step of flow.steps) {
    const result = await send(pool, planRequest(step, state), options);
    record(result.sample);
    if (!readAnswer(step, state, result.sample.status, result.body)) return;
  }
}
