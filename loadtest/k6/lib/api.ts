import { check } from 'k6';
import http, { type RefinedResponse, type ResponseType } from 'k6/http';
import { Counter } from 'k6/metrics';
import { isThrottleStatus, type PlannedRequest } from '../../shared/flow-requests.ts';

/** 429/503 answers: DynamoDB throttling surfaces as 503 + Retry-After (docs/loadtest.md). */
export const throttledRequests = new Counter('throttled_requests');

export interface SendOptions {
  baseUrl: string;
  /** The flow that made the call (tag `flow`); setup and teardown pass their own phase name. */
  flow: string;
  /** Fixture calls leave out the `operation` tag so per-operation thresholds see only the mix. */
  fixture?: boolean;
}

/**
 * Sends one planned request: tagged with its operationId (`name` groups URLs with ids; `operation` is what
 * thresholds filter on), checked for the status it must answer with, counted when throttled.
 */
export function send(request: PlannedRequest, options: SendOptions): RefinedResponse<ResponseType> {
  const { operation, expectedStatus } = request;
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (request.token) headers.Authorization = `Bearer ${request.token}`;
  if (request.body !== undefined) headers['Content-Type'] = 'application/json';
  if (request.idempotencyKey) headers['Idempotency-Key'] = request.idempotencyKey;
  const tags: Record<string, string> = { name: operation, flow: options.flow };
  if (!options.fixture) tags.operation = operation;
  const response = http.request(request.method, options.baseUrl + request.path, request.body ?? null, {
    headers,
    tags,
    responseType: request.readBody ? 'text' : 'none',
  });
  throttledRequests.add(isThrottleStatus(response.status) ? 1 : 0, tags);
  check(
    response,
    {
      [`${operation} answers ${expectedStatus}`]: (r) => r.status === expectedStatus,
      [`${operation} carries X-Request-Id`]: (r) => Boolean(r.headers['X-Request-Id']),
    },
    tags,
  );
  return response;
}

/** The response body as text, when the request kept it. */
export function readBody(response: RefinedResponse<ResponseType>): string | undefined {
  return typeof response.body === 'string' ? response.body : undefined;
}
