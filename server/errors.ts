import type { Schemas } from './api-types.js';

/** Problem type slugs of the contract; the URI is `https://nbhd.city/problems/<slug>`. */
export type ProblemSlug =
  | 'validation-error'
  | 'malformed-json'
  | 'invalid-cursor'
  | 'invalid-state'
  | 'invalid-return-url'
  | 'unauthorized'
  | 'invalid-credentials'
  | 'forbidden'
  | 'not-found'
  | 'not-a-member'
  | 'name-taken'
  | 'already-member'
  | 'payload-too-large'
  | 'unsupported-media-type'
  | 'request-header-fields-too-large'
  | 'idempotency-key-reused'
  | 'too-many-requests'
  | 'service-unavailable'
  | 'internal-error';

/** One invalid input, as the contract's `ProblemError` schema describes it. */
export type ProblemFieldError = Schemas['ProblemError'];

const titles: Record<ProblemSlug, [status: number, title: string]> = {
  'validation-error': [400, 'Validation error'],
  'malformed-json': [400, 'Malformed JSON'],
  'invalid-cursor': [400, 'Invalid cursor'],
  'invalid-state': [400, 'Invalid state'],
  'invalid-return-url': [400, 'Invalid return URL'],
  unauthorized: [401, 'Authentication required'],
  'invalid-credentials': [401, 'Invalid credentials'],
  forbidden: [403, 'Forbidden'],
  'not-found': [404, 'Not found'],
  'not-a-member': [404, 'Not a member'],
  'name-taken': [409, 'Name taken'],
  'already-member': [409, 'Already a member'],
  'payload-too-large': [413, 'Payload too large'],
  'unsupported-media-type': [415, 'Unsupported media type'],
  'request-header-fields-too-large': [431, 'Request header fields too large'],
  'idempotency-key-reused': [422, 'Idempotency key reused'],
  'too-many-requests': [429, 'Too many requests'],
  'service-unavailable': [503, 'Service unavailable'],
  'internal-error': [500, 'Internal server error'],
};

export interface ApiErrorOptions {
  errors?: ProblemFieldError[];
  /** Seconds, sent as Retry-After (503, 429). */
  retryAfter?: number;
  /** Further response headers (a 429's RateLimit and RateLimit-Policy). */
  headers?: Record<string, string>;
  cause?: unknown;
}

/**
 * The one error class of the app: anything that should reach the client as a problem+json response.
 * Everything else that is thrown becomes a 500 with no details.
 *
 * @example
 * throw new ApiError('not-found', 'Neighborhood not found');
 */
export class ApiError extends Error {
  readonly slug: ProblemSlug;
  readonly status: number;
  readonly title: string;
  readonly errors: ProblemFieldError[] | undefined;
  readonly retryAfter: number | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(slug: ProblemSlug, detail: string, options: ApiErrorOptions = {}) {
    super(detail, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ApiError';
    this.slug = slug;
    const [status, title] = titles[slug];
    this.status = status;
    this.title = title;
    this.errors = options.errors;
    this.retryAfter = options.retryAfter;
    this.headers = options.headers;
  }
}

export const problemTypeBase = 'https://nbhd.city/problems/';

/** A problem+json body, as the contract's `Problem` schema describes it. */
export type Problem = Schemas['Problem'];

/** The problem+json body for an ApiError. */
export function toProblem(error: ApiError, instance: string, requestId: string): Problem {
  return {
    type: `${problemTypeBase}${error.slug}`,
    title: error.title,
    status: error.status,
    detail: error.message,
    instance,
    request_id: requestId,
    ...(error.errors ? { errors: error.errors } : {}),
  };
}
