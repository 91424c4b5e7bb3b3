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
  override readonly name = 'NbhdApiError';
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

/** Builds the error for a failed response from whatever body openapi-fetch parsed (JSON object, text or nothing). */
export function toApiError(body: unknown, response: Response): NbhdApiError {
  if (body && typeof body === 'object' && !Array.isArray(body))
    return new NbhdApiError(body as Partial<Problem>, response);
  // Not a problem document (e.g. a proxy's HTML page): keep a short excerpt as the detail.
  const detail = typeof body === 'string' && body.trim() ? body.trim().slice(0, 200) : undefined;
  return new NbhdApiError(detail ? { detail } : {}, response);
}
