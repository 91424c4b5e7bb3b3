export type { Redirect } from './auth-methods.js';
export {
  createAuthMiddleware,
  createNbhdClient,
  type NbhdClient,
  type NbhdClientOptions,
  type TokenProvider,
} from './client.js';
export { NbhdApiError, NbhdRateLimitError, toApiError } from './errors.js';
export { createIdempotencyKey } from './idempotency.js';
export type { CreateOptions } from './neighborhood-methods.js';
export { parseNextLink } from './pagination.js';
export {
  computeBackoff,
  createRetryingFetch,
  defaultRetryOptions,
  parseRetryAfter,
  type RetryOptions,
} from './retry.js';
export type {
  BodyOf,
  CallOptions,
  components,
  Member,
  Nbhd,
  NbhdCreate,
  NbhdDetail,
  NbhdUpdate,
  operations,
  Problem,
  ProblemFieldError,
  paths,
  QueryOf,
} from './types.js';
