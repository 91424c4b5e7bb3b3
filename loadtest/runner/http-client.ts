import type { Pool } from 'undici';
import { isThrottleStatus, type PlannedRequest } from '../shared/flow-requests.js';
import type { RequestSample } from './samples.js';
import { parseServerTiming } from './server-timing.js';

export interface SendOptions {
  basePath: string;
  flow: string;
  /** Milliseconds (performance.now()) the run started at; samples are relative to it. */
  runStart: number;
}

export interface CallResult {
  sample: RequestSample;
  body?: string;
}

/**
 * Sends one planned request, like the k6 scripts' send: same path, headers and checks (expected status,
 * X-Request-Id present); a transport failure is a sample with status 0, not a crash.
 */
export async function send(pool: Pool, request: PlannedRequest, options: SendOptions): Promise<CallResult> {
  const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'nbhd-city-loadtest (node)' };
  if (request.token) headers.authorization = `Bearer ${request.token}`;
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  if (request.idempotencyKey) headers['idempotency-key'] = request.idempotencyKey;
  const started = performance.now();
  let status = 0;
  let body: string | undefined;
  let requestId = false;
  let timing = {};
  try {
    const response = await pool.request({
      method: request.method,
      path: options.basePath + request.path,
      headers,
      body: request.body ?? null,
    });
    status = response.statusCode;
    requestId = Boolean(response.headers['x-request-id']);
    timing = parseServerTiming(response.headers['server-timing']);
    if (request.readBody) body = await response.body.text();
    else await response.body.dump();
  } catch {
    status = 0;
  }
  const durationMs = performance.now() - started;
  const expected = status === request.expectedStatus;
  return {
    sample: {
      operation: request.operation,
      flow: options.flow,
      method: request.method,
      status,
      startMs: started - options.runStart,
      durationMs,
      expected,
      throttled: isThrottleStatus(status),
      checkOk: expected && requestId,
      ...timing,
    },
    ...(body === undefined ? {} : { body }),
  };
}
