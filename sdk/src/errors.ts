import type { Problem, ProblemFieldError } from './types.js';

/**
 * The error every SDK method throws when the API answers with a non-2xx status. It carries the
 * RFC 9457 problem fields the API sends (`application/problem+json`), so callers can branch on
 * `status` or `type` and show `detail` / `errors[]` to users.
 *
 * @example
 * try {
 *   await nbhd.createNeighborhood({ name: 'Elm Street' });
 * } catch (error) {
 *   if (error instanceof NbhdApiError && error.status === 409) console.log(error.detail);
 * }
 */
export class NbhdApiError extends Error {
  override readonly name: string = 'NbhdApiError';
  /** HTTP status code of the response. */
  readonly status: number;
  /** Problem type URI, e.g. `https://nbhd.city/problems/name-taken` (`about:blank` when the body was not a problem). */
  readonly type: string;
  /** Short, human-readable summary of the problem type. */
  readonly title: string;
  /** Explanation specific to this occurrence (legacy clients show this text). */
  readonly detail: string | undefined;
  /** For invalid input: each thing that was wrong and where (empty otherwise). */
  readonly errors: ProblemFieldError[];
  /** The server's request id (problem `request_id` or the `X-Request-Id` header), for support requests. */
  readonly requestId: string | undefined;
  /** Problem `instance`: the request path the problem occurred on. */
  readonly instance: string | undefined;
  /** The raw response (its body has been read). */
  readonly response: Response;

  constructor(problem: Partial<Problem>, response: Response) {
    const status = problem.status ?? response.status;
    const title = problem.title ?? (response.statusText || `HTTP ${status}`);
    super(problem.detail ? `${status} ${title}: ${problem.detail}` : `${status} ${title}`);
    this.status = status;
    this.type = problem.type ?? 'about:blank';
    this.title = title;
    this.detail = problem.detail;
    this.errors = problem.errors ?? [];
    this.requestId = problem.request_id ?? response.headers.get('X-Request-Id') ?? undefined;
    this.instance = problem.instance;
    this.response = response;
  }
}

/**
 * A `429 too-many-requests`: one of the caller's quotas is used up for its current window and the request changed
 * nothing. `limit` names the quota (from the `RateLimit` header, e.g. `membership-nbhd`), `retryAfterSeconds` says
 * when its window ends. The client already retried it where that is safe (reads, deletes, a create with an
 * `Idempotency-Key`) and the wait was short enough; a join or an update without a key is never retried.
 *
 * @example
 * try {
 *   await nbhd.joinNeighborhood(id);
 * } catch (error) {
 *   if (error instanceof NbhdRateLimitError) console.log(`${error.limit}: retry in ${error.retryAfterSeconds} s`);
 * }
 */
export class NbhdRateLimitError extends NbhdApiError {
  override readonly name: string = 'NbhdRateLimitError';
  /** The quota that refused the request (`create`, `membership`, `membership-nbhd`…), when the server named it. */
  readonly limit: string | undefined;
  /** Seconds until the quota's window ends (`Retry-After`), when sent. */
  readonly retryAfterSeconds: number | undefined;
  /** The quotas the operation counts against, as the server announced them (`RateLimit-Policy`). */
  readonly policy: string | undefined;

  constructor(problem: Partial<Problem>, response: Response) {
    super(problem, response);
    const rateLimit = response.headers.get('RateLimit') ?? '';
    this.limit = /^\s*"([^"]*)"/.exec(rateLimit)?.[1];
    const retryAfter = response.headers.get('Retry-After');
    this.retryAfterSeconds = retryAfter && /^\s*\d+\s*$/.test(retryAfter) ? Number(retryAfter) : undefined;
    this.policy = response.headers.get('RateLimit-Policy') ?? undefined;
  }
}

/** Builds the error for a failed response from whatever body openapi-fetch parsed (JSON object, text or nothing). */
export function toApiError(body: unknown, response: Response): NbhdApiError {
  const ErrorClass = response.status === 429 ? NbhdRateLimitError : NbhdApiError;
  if (body && typeof body === 'object' && !Array.isArray(body))
    return new ErrorClass(body as Partial<Problem>, response);
  // Not a problem document (e.g. a proxy's HTML page): keep a short excerpt as the detail.
  const detail = typeof body === 'string' && body.trim() ? body.trim().slice(0, 200) : undefined;
  return new ErrorClass(detail ? { detail } : {}, response);
}
