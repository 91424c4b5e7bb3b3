/**
 * Turns flow steps (loadtest/shared/flows.ts) into requests and reads their answers. The k6 and Node adapters
 * send the requests; everything they send and check comes from here and the contract's operation table.
 */
import { type OperationId, operations } from '../../contract/generated/operations.ts';
import type { FlowDefinition, FlowStep, StepContext } from './flows.ts';
import type { FixtureCounts } from './user-roles.ts';

/** One iteration's state: its context for the steps' inputs, and the bearer token of its user. */
export interface IterationState extends StepContext {
  token?: string;
}

/** An HTTP request ready to send; `path` is relative to the target's base URL. */
export interface PlannedRequest {
  operation: OperationId;
  method: (typeof operations)[OperationId]['method'];
  path: string;
  token?: string;
  /** JSON text. */
  body?: string;
  idempotencyKey?: string;
  expectedStatus: number;
  /** The adapter keeps the response body only when a step reads it. */
  readBody: boolean;
}

export interface CastOptions {
  runId: string;
  fixtures: FixtureCounts;
  users: readonly { token: string }[];
  nbhdIds: readonly string[];
  random: () => number;
}

/** Picks the iteration's user and neighborhood as its flow says. */
export function castIteration(flow: FlowDefinition, iteration: number, options: CastOptions): IterationState {
  const cast = flow.cast(iteration, options.fixtures, options.random);
  const user = options.users[cast.user];
  if (!user) throw new Error(`the flow needs pool user ${cast.user}, the pool has ${options.users.length}`);
  const nbhdId = cast.neighborhood === undefined ? undefined : options.nbhdIds[cast.neighborhood];
  return { iteration, runId: options.runId, token: user.token, captured: {}, ...(nbhdId ? { nbhdId } : {}) };
}

/** The state of a fixture call: the fixture's index as the iteration, made by `user` on `nbhdId`. */
export function toFixtureState(
  runId: string,
  index: number,
  user: { token: string } | undefined,
  nbhdId?: string,
): IterationState {
  return {
    iteration: index,
    runId,
    captured: {},
    ...(user ? { token: user.token } : {}),
    ...(nbhdId ? { nbhdId } : {}),
  };
}

/** Fills an operation's path template from the contract's table, and appends the query. */
export function toRequestPath(
  operation: OperationId,
  params: Record<string, string | undefined> = {},
  query: Record<string, string | number> = {},
): string {
  const { path, pathParams } = operations[operation];
  let filled: string = path;
  for (const name of pathParams) {
    const value = params[name];
    if (!value) throw new Error(`${operation} needs ${name}`);
    filled = filled.replace(`{${name}}`, encodeURIComponent(value));
  }
  const search = Object.entries(query).map(([key, value]) => `${key}=${encodeURIComponent(String(value))}`);
  return search.length ? `${filled}?${search.join('&')}` : filled;
}

/** The request a step makes in an iteration. */
export function planRequest(step: FlowStep, state: IterationState): PlannedRequest {
  if (step.signedIn && !state.token) throw new Error(`${step.operation} needs a signed-in user`);
  const body = step.body?.(state);
  const idempotencyKey = step.idempotencyKey?.(state);
  return {
    operation: step.operation,
    method: operations[step.operation].method,
    path: toRequestPath(step.operation, step.params?.(state), step.query),
    ...(step.signedIn && state.token ? { token: state.token } : {}),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    ...(idempotencyKey ? { idempotencyKey } : {}),
    expectedStatus: step.expectedStatus,
    readBody: Boolean(step.capture),
  };
}

/** Reads a step's answer into the state; `false` when the flow must stop (unexpected status, nothing to capture). */
export function readAnswer(step: FlowStep, state: IterationState, status: number, body?: string): boolean {
  if (status !== step.expectedStatus) return false;
  if (!step.capture) return true;
  const id = readId(body);
  if (!id) return false;
  state.captured[step.capture] = id;
  return true;
}

function readId(body: string | undefined): string | undefined {
  if (!body) return undefined;
  try {
    const parsed = JSON.parse(body) as { id?: unknown };
    return typeof parsed.id === 'string' ? parsed.id : undefined;
  } catch {
    return undefined;
  }
}

/** A response the throttled_requests counter counts: 429, or 503 (the server's answer to DynamoDB throttling). */
export function isThrottleStatus(status: number): boolean {
  return status === 429 || status === 503;
}
