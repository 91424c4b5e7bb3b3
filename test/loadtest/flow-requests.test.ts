import { describe, expect, it } from 'vitest';
import { castIteration, planRequest, readAnswer, toRequestPath } from '../../loadtest/shared/flow-requests.js';
import { type FlowStep, fixtureSteps, flowDefinitions } from '../../loadtest/shared/flows.js';

const first = (steps: FlowStep[]) => steps[0] as FlowStep;

const fixtures = { neighborhoods: 2, membersPerNeighborhood: 2, users: 6 };
const users = Array.from({ length: 6 }, (_, i) => ({ token: `token-${i}` }));
const options = { runId: 'run1', fixtures, users, nbhdIds: ['n0', 'n1'], random: () => 0.5 };

describe('flow requests (the steps of loadtest/shared/flows.ts as HTTP requests)', () => {
  it('fills path parameters from the contract table, encoded, and appends the query', () => {
    expect(toRequestPath('joinNeighborhood', { nbhd_id: 'a b' })).toBe('/api/nbhds/a%20b/join');
    expect(toRequestPath('listNeighborhoods', {}, { limit: 20 })).toBe('/api/nbhds?limit=20');
    expect(() => toRequestPath('getNeighborhood')).toThrow(/getNeighborhood needs nbhd_id/);
  });

  it('sends a token only for signed-in steps, and refuses a signed-in step without a user', () => {
    const state = castIteration(flowDefinitions.browse, 0, options);
    const browse = planRequest(first(flowDefinitions.browse.steps), state);
    expect(browse).toEqual({
      operation: 'listNeighborhoods',
      method: 'GET',
      path: '/api/nbhds?limit=20',
      expectedStatus: 200,
      readBody: false,
    });
    expect(planRequest(first(flowDefinitions.whoami.steps), state).token).toBe('token-3');
    expect(() => planRequest(first(flowDefinitions.whoami.steps), { ...state, token: undefined })).toThrow(
      /getCurrentUser needs a signed-in user/,
    );
  });

  it('runs a membership iteration as a churning user on the pair its iteration number picks', () => {
    const state = castIteration(flowDefinitions.membership, 5, options);
    const [join, leave] = flowDefinitions.membership.steps.map((step) => planRequest(step, state));
    expect(join).toMatchObject({ method: 'POST', path: '/api/nbhds/n1/join', token: 'token-3', expectedStatus: 201 });
    expect(leave).toMatchObject({ method: 'DELETE', path: '/api/nbhds/n1/leave', token: 'token-3' });
    expect(readAnswer(first(flowDefinitions.membership.steps), state, 409)).toBe(false);
  });

  it('creates with a body and Idempotency-Key from the run, then deletes the id it read back', () => {
    const state = castIteration(flowDefinitions.create, 7, options);
    const [create, remove] = flowDefinitions.create.steps as [FlowStep, FlowStep];
    const request = planRequest(create, state);
    expect(request).toMatchObject({ method: 'POST', path: '/api/nbhds', idempotencyKey: 'loadtest-run1-7' });
    expect(JSON.parse(request.body ?? '')).toMatchObject({ name: 'loadtest run1 c7' });
    expect(request.readBody).toBe(true);
    expect(readAnswer(create, state, 201, 'not json')).toBe(false);
    expect(readAnswer(create, state, 201, JSON.stringify({ id: 'new-id' }))).toBe(true);
    expect(planRequest(remove, state)).toMatchObject({ method: 'DELETE', path: '/api/nbhds/new-id' });
  });

  it('creates fixtures named by the run and the fixture index', () => {
    const request = planRequest(fixtureSteps.create, { iteration: 3, runId: 'r', token: 't', captured: {} });
    expect(JSON.parse(request.body ?? '')).toMatchObject({ name: 'loadtest r #3' });
  });
});
