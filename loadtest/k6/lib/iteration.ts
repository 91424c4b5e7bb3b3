import exec from 'k6/execution';
import { castIteration, planRequest, readAnswer } from '../../shared/flow-requests.ts';
import type { Flow, ScenarioFile } from '../../shared/scenario-file.ts';
import type { PoolUser } from '../../shared/tokens-file.ts';
import { readBody, send } from './api.ts';
import type { FixtureData } from './fixtures.ts';

export interface IterationContext {
  baseUrl: string;
  file: ScenarioFile;
  users: PoolUser[];
  data: FixtureData;
}

/** Runs one flow of the mix (loadtest/shared/flows.ts): each step while the one before got its expected answer. */
export function runFlow(flow: Flow, { baseUrl, file, users, data }: IterationContext): void {
  const state = castIteration(flow, exec.scenario.iterationInTest, {
    runId: data.runId,
    fixtures: file.fixtures,
    users,
    nbhdIds: data.nbhdIds,
    random: Math.random,
  });
  for (const step of flow.steps) {
    const response = send(planRequest(step, state), { baseUrl, flow: flow.name });
    if (!readAnswer(step, state, response.status, readBody(response))) return;
  }
}
