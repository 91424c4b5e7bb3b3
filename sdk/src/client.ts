import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { paths } from '../../contract/generated/openapi.js';
import { createAuthMethods } from './auth-methods.js';
import { createMembershipMethods } from './membership-methods.js';
import { createNeighborhoodMethods } from './neighborhood-methods.js';
import { createRetryingFetch, defaultRetryOptions, type RetryOptions } from './retry.js';
import { createServiceMethods } from './service-methods.js';
import { createTransport } from './transport.js';

/** Returns the current access token (or nothing when signed out); called before every request. */
export type TokenProvider = () => string | null | undefined | Promise<string | null | undefined>;

interface BaseOptions {
  /** Root URL of the API, e.g. `https://api.nbhd.city` (a path prefix such as `/prod` is kept). */
  baseUrl: string;
  /** Replaces the global fetch, e.g. for tests or instrumentation. */
  fetch?: (request: Request) => Promise<Response>;
  /** Retry policy for idempotent calls (429, 503, network errors); `false` turns retries off. */
  retry?: Partial<RetryOptions> | false;
  /** Sent as `User-Agent`. Node only: in browsers it is a non-safelisted header the API's CORS policy refuses. */
  userAgent?: string;
  /** Deadline per call in ms, covering retries and reading the body. Default 30000; 0 means none. */
  timeoutMs?: number;
}

/** Options of `createNbhdClient`: a fixed `token` or a `getToken` callback, not both. */
export type NbhdClientOptions = BaseOptions &
  ({ token?: string; getToken?: never } | { token?: never; getToken?: TokenProvider });

/** The client `createNbhdClient` returns. */
export type NbhdClient = ReturnType<typeof createNbhdClient>;

/**
 * Creates a typed nbhd.city API client: one method per operation (named by its operationId) that
 * resolves to the response data or throws `NbhdApiError`; async iterators over paginated lists; and
 * `raw`, the underlying openapi-fetch client (`{ data, error, response }`, never throws on HTTP errors).
 *
 * @example
 * const nbhd = createNbhdClient({ baseUrl: 'https://api.nbhd.city', getToken: () => localStorage.token });
 * const created = await nbhd.createNeighborhood({ name: 'Elm Street' });
 */
export function createNbhdClient(options: NbhdClientOptions) {
  const { baseUrl, token, getToken, userAgent, timeoutMs = 30_000 } = options;
  const baseFetch = options.fetch ?? ((request: Request) => globalThis.fetch(request));
  const fetch =
    options.retry === false ? baseFetch : createRetryingFetch(baseFetch, { ...defaultRetryOptions, ...options.retry });
  const raw: Client<paths> = createClient<paths>({
    baseUrl,
    fetch,
    ...(userAgent ? { headers: { 'User-Agent': userAgent } } : {}),
  });
  const readToken: TokenProvider | undefined = getToken ?? (token ? () => token : undefined);
  if (readToken) raw.use(createAuthMiddleware(readToken));
  const transport = createTransport(raw, timeoutMs);
  return {
    /** The underlying openapi-fetch client, with the same auth, retries and base URL. */
    raw,
    ...createServiceMethods(transport),
    ...createAuthMethods(transport, baseUrl),
    ...createNeighborhoodMethods(transport),
    ...createMembershipMethods(transport),
  };
}

/** Adds `Authorization: Bearer …` unless the request already has one. */
export function createAuthMiddleware(readToken: TokenProvider): Middleware {
  return {
    async onRequest({ request }) {
      const current = await readToken();
      if (current && !request.headers.has('Authorization')) request.headers.set('Authorization', `Bearer ${current}`);
      return request;
    },
  };
}
