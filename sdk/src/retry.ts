import { sleep } from './signals.js';

/** How the client retries. Delays are in milliseconds. */
export interface RetryOptions {
  /** Retries after the first attempt (0 disables retrying). Default 2. */
  retries: number;
  /** Base of the exponential backoff (full jitter) when the server sends no `Retry-After`. Default 250. */
  baseDelayMs: number;
  /** Upper bound of one backoff delay. Default 5000. */
  maxDelayMs: number;
  /** A `Retry-After` longer than this is not waited for: the response is returned as is. Default 30000. */
  maxRetryAfterMs: number;
}

export const defaultRetryOptions: RetryOptions = {
  retries: 2,
  baseDelayMs: 250,
  maxDelayMs: 5000,
  maxRetryAfterMs: 30_000,
};

type FetchFn = (request: Request) => Promise<Response>;

const retryStatuses = new Set([429, 503]);
const idempotentMethods = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/**
 * Wraps a fetch so idempotent requests are retried on 429, 503 and network errors. A POST or PATCH
 * counts as idempotent only when it carries an `Idempotency-Key` header (the server then replays the
 * first outcome instead of acting twice). Aborts are never retried.
 */
export function createRetryingFetch(fetchFn: FetchFn, options: RetryOptions, random = Math.random): FetchFn {
  return async (request) => {
    const retryable =
      options.retries > 0 && (idempotentMethods.has(request.method) || request.headers.has('Idempotency-Key'));
    if (!retryable) return fetchFn(request);
    for (let attempt = 0; ; attempt++) {
      const last = attempt >= options.retries;
      let response: Response;
      try {
        // A clone per attempt keeps the original body unread for the next one.
        response = await fetchFn(last ? request : request.clone());
      } catch (error) {
        if (last || request.signal.aborted) throw error;
        await sleep(computeBackoff(attempt, options, random), request.signal);
        continue;
      }
      if (last || !retryStatuses.has(response.status)) return response;
      const retryAfter = parseRetryAfter(response.headers.get('Retry-After'));
      if (retryAfter !== undefined && retryAfter > options.maxRetryAfterMs) return response;
      // Jitter on top of Retry-After too, so clients told the same instant don't all come back at once.
      const delay =
        retryAfter === undefined
          ? computeBackoff(attempt, options, random)
          : retryAfter + random() * options.baseDelayMs;
      // Release the connection; not awaited because a cancelled tee branch settles only with its twin.
      response.body?.cancel().catch(() => {});
      await sleep(delay, request.signal);
    }
  };
}

/** Full-jitter exponential backoff: a random delay up to base·2^attempt, capped. */
export function computeBackoff(attempt: number, options: RetryOptions, random = Math.random): number {
  return random() * Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** attempt);
}

/** Reads `Retry-After` (delay-seconds or an HTTP-date) as milliseconds from now; undefined when absent or invalid. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
