import type { Pool } from 'undici';
import { isThrottleStatus, type OperationId, operationSpecs, toPath } from '../shared/scenario-file.js';
import type { RequestSample } from './samples.js';
import { parseServerTiming } from './server-timing.js';

export interface CallOptions {
  basePath: string;
  token?: string;
  nbhdId?: string;
  body?: unknown;
  idempotencyKey?: string;
  flow: string;
  readBody?: boolean;
  /** Milliseconds (performance.now()) the run started at; samples are relative to it. */
  runStart: number;
}

export interface CallResult {
  sample: RequestSample;
  body?: string;
}

/**
 * Calls one operation of the mix, like the k6 scripts' callOperation: same path, headers and checks
 * (expected status, X-Request-Id present); a transport failure is a sample with status 0, not a crash.
 */
export async function callOperation(pool: Pool, operation: OperationId, options: CallOptions): Promise<CallResult> {
  const spec = operationSpecs[operation];
  const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'nbhd-city-loadtest (node)' };
  if (spec.auth && options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  const started = performance.now();
  let status = 0;
  let body: string | undefined;
  let requestId = false;
  let timing = {};
  try {
    const response = await pool.request({
      method: spec.method,
      path: options.basePath + toPath(operation, options.nbhdId),
      headers,
      body: options.body === undefined ? null : JSON.stringify(options.body),
    });
    status = response.statusCode;
    requestId = Boolean(response.headers['x-request-id']);
    timing = parseServerTiming(response.headers['server-timing']);
    if (options.readBody) body = await response.body.text();
    else await response.body.dump();
  } catch {
    status = 0;
  }
  const durationMs = performance.now() - started;
  const expected = status === spec.expectedStatus;
  return {
    sample: {
      operation,
      flow: options.flow,
      method: spec.method,
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

/** Reads `id` from a 201 create response. */
export function readId(result: CallResult): string | undefined {
  if (result.sample.status !== 201 || !result.body) return undefined;
  const parsed = JSON.parse(result.body) as { id?: unknown };
  return typeof parsed.id === 'string' ? parsed.id : undefined;
}
