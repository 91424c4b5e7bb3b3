/**
 * What each flow of the mix does, defined once for the k6 scripts and the local runner (their adapters only
 * send the requests): which user and neighborhood an iteration picks, and each step's operation, inputs,
 * expected answer and what it reads from the answer. `loadtest/scenarios.json` weighs the flows.
 */
import type { OperationId } from '../../contract/generated/operations.ts';
import { createdDescription, fixtureDescription, toCreatedName, toFixtureName } from './fixture-data.ts';
import { countResidents, type FixtureCounts, pickIndex, pickMembershipPair } from './user-roles.ts';

/** What a step's inputs come from. */
export interface StepContext {
  /** The iteration's number in the run (the fixture's index during set-up). */
  iteration: number;
  runId: string;
  /** The iteration's fixture neighborhood, if its flow picks one. */
  nbhdId?: string;
  /** Values read from earlier answers of the same iteration (see `capture`). */
  captured: Record<string, string>;
}

export interface FlowStep {
  operation: OperationId;
  /** The answer the step must get; any other fails its check (and k6's `expected_response`) and ends the flow. */
  expectedStatus: number;
  /** Sends the iteration's user as a bearer token. */
  signedIn?: boolean;
  /** Path parameters, named as the contract names them. */
  params?: (context: StepContext) => Record<string, string | undefined>;
  query?: Record<string, string | number>;
  body?: (context: StepContext) => unknown;
  idempotencyKey?: (context: StepContext) => string;
  /** Reads the answer's `id` into `captured[capture]`; the flow ends when there is none. */
  capture?: string;
}

/** Pool indexes of an iteration's user and fixture neighborhood. */
export interface Cast {
  user: number;
  neighborhood?: number;
}

export interface FlowDefinition {
  cast: (iteration: number, fixtures: FixtureCounts, random: () => number) => Cast;
  /** Run in order; a step runs only when the one before got its expected answer. */
  steps: FlowStep[];
}

const anyUserAnyNeighborhood: FlowDefinition['cast'] = (_iteration, fixtures, random) => ({
  user: pickIndex(0, fixtures.users, random),
  neighborhood: pickIndex(0, fixtures.neighborhoods, random),
});

/** Creates come from churning users, so residents' neighborhood lists keep their size. */
const anyChurner: FlowDefinition['cast'] = (_iteration, fixtures, random) => ({
  user: pickIndex(countResidents(fixtures), fixtures.users, random),
});

const theNeighborhood = ({ nbhdId }: StepContext) => ({ nbhd_id: nbhdId });

/**
 * The mix's flows. Paired steps undo each other (join → leave, create → delete), so the data set keeps its
 * size however long a test runs.
 */
const definitions = {
  browse: {
    cast: anyUserAnyNeighborhood,
    steps: [{ operation: 'listNeighborhoods', query: { limit: 20 }, expectedStatus: 200 }],
  },
  detail: {
    cast: anyUserAnyNeighborhood,
    steps: [{ operation: 'getNeighborhood', params: theNeighborhood, expectedStatus: 200 }],
  },
  members: {
    cast: anyUserAnyNeighborhood,
    steps: [{ operation: 'listMembers', params: theNeighborhood, query: { limit: 50 }, expectedStatus: 200 }],
  },
  mine: {
    cast: anyUserAnyNeighborhood,
    steps: [{ operation: 'listMyNeighborhoods', signedIn: true, query: { limit: 20 }, expectedStatus: 200 }],
  },
  whoami: {
    cast: anyUserAnyNeighborhood,
    steps: [{ operation: 'getCurrentUser', signedIn: true, expectedStatus: 200 }],
  },
  membership: {
    cast: (iteration, fixtures) => pickMembershipPair(iteration, fixtures),
    steps: [
      { operation: 'joinNeighborhood', signedIn: true, params: theNeighborhood, expectedStatus: 201 },
      { operation: 'leaveNeighborhood', signedIn: true, params: theNeighborhood, expectedStatus: 204 },
    ],
  },
  create: {
    cast: anyChurner,
    steps: [
      {
        operation: 'createNeighborhood',
        signedIn: true,
        body: ({ runId, iteration }) => ({ name: toCreatedName(runId, iteration), description: createdDescription }),
        idempotencyKey: ({ runId, iteration }) => `loadtest-${runId}-${iteration}`,
        capture: 'createdId',
        expectedStatus: 201,
      },
      {
        operation: 'deleteNeighborhood',
        signedIn: true,
        params: ({ captured }) => ({ nbhd_id: captured.createdId }),
        expectedStatus: 204,
      },
    ],
  },
} satisfies Record<string, FlowDefinition>;

export type FlowName = keyof typeof definitions;
export const flowDefinitions: Readonly<Record<FlowName, FlowDefinition>> = definitions;

/**
 * The fixtures' calls (k6 setup()/teardown(), the runner's seeding): user 0 creates each fixture neighborhood
 * (the fixture's index is the context's `iteration`), the other residents join each, user 0 deletes them.
 */
export const fixtureSteps: Readonly<Record<'create' | 'join' | 'remove', FlowStep>> = {
  create: {
    operation: 'createNeighborhood',
    signedIn: true,
    body: ({ runId, iteration }) => ({ name: toFixtureName(runId, iteration), description: fixtureDescription }),
    capture: 'id',
    expectedStatus: 201,
  },
  join: { operation: 'joinNeighborhood', signedIn: true, params: theNeighborhood, expectedStatus: 201 },
  remove: { operation: 'deleteNeighborhood', signedIn: true, params: theNeighborhood, expectedStatus: 204 },
};
