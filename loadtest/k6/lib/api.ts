import { check } from 'k6';
import http, { type RefinedResponse, type ResponseType } from 'k6/http';
import { Counter } from 'k6/metrics';
import { isThrottleStatus, type OperationId, operationSpecs, toPath } from '../../shared/scenario-file.ts';

/** 429/503 answers: DynamoDB throttling surfaces as 503 + Retry-After (docs/loadtest.md). */
export const throttledRequests = new Counter('throttled_requests');

export interface CallOptions {
  baseUrl: string;
  token?: string;
  nbhdId?: string;
  body?: unknown;
  idempotencyKey?: string;
  /** The flow that made the call (tag `flow`); setup and teardown pass their own phase name. */
  flow: string;
  /** Keep the body (only when the script reads it). */
  readBody?: boolean;
  /** Fixture calls leave out the `operation` tag so per-operation thresholds see only the mix. */
  fixture?: boolean;
}

/**
 * Calls one operation of the mix: tagged with its operationId (`name` groups URLs with ids; `operation`
 * is what thresholds filter on), checked for the status it must answer with, counted when throttled.
 */
export function callOperation(operation: OperationId, options: CallOptions): RefinedResponse<ResponseType> {
  const spec = operationSpecs[operation];
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (spec.auth) {
    if (!options.token) throw new Error(`${operation} needs a bearer token`);
    headers.Authorization = `Bearer ${options.token}`;
  }
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey;
  const tags: Record<string, string> = { name: operation, flow: options.flow };
  if (!options.fixture) tags.operation = operation;
  const response = http.request(
    spec.method,
    options.baseUrl + toPath(operation, options.nbhdId),
    options.body === undefined ? null : JSON.stringify(options.body),
    { headers, tags, responseType: options.readBody ? 'text' : 'none' },
  );
  throttledRequests.add(isThrottleStatus(response.status) ? 1 : 0, tags);
  check(
    response,
    {
      [`${operation} answers ${spec.expectedStatus}`]: (r) => r.status === spec.expectedStatus,
      [`${operation} carries X-Request-Id`]: (r) => Boolean(r.headers['X-Request-Id']),
    },
    tags,
  );
  return response;
}

/** Reads `id` from a create response (which must be read with readBody). */
export function readId(response: RefinedResponse<ResponseType>): string | undefined {
  if (typeof response.body !== 'string' || response.status !== 201) return undefined;
  const parsed = JSON.parse(response.body) as { id?: unknown };
  return typeof parsed.id === 'string' ? parsed.id : undefined;
}
