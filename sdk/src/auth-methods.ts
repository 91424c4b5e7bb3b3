import { toApiError } from './errors.js';
import type { Perform, RawResult, Transport } from './transport.js';
import type { BodyOf, CallOptions, QueryOf } from './types.js';

/** Where a redirecting operation (302) points. */
export interface Redirect {
  location: string;
}

/** Methods of the Auth and Users tags. `baseUrl` is needed to build the login URL for browsers. */
export function createAuthMethods({ raw, send, exchange }: Transport, baseUrl: string) {
  // The login endpoints answer 302; we read Location instead of following it to the authorization server.
  async function readRedirect<R extends RawResult>(perform: Perform<R>, options?: CallOptions): Promise<Redirect> {
    const { error, response } = await exchange(perform, options);
    const location = response.headers.get('Location');
    if (response.status >= 300 && response.status < 400 && location) return { location };
    throw toApiError(error, response);
  }

  return {
    /**
     * The URL of `GET /auth/login` for a browser to navigate to (browsers hide redirect targets from fetch).
     *
     * @example
     * window.location.assign(nbhd.buildLoginUrl({ handle: 'alice.bsky.social', return_url: location.origin }));
     */
    buildLoginUrl(query: QueryOf<'startLogin'> = {}): string {
      const entries = Object.entries(query).filter((entry): entry is [string, string] => entry[1] != null);
      const search = new URLSearchParams(entries).toString();
      return `${baseUrl.replace(/\/+$/, '')}/auth/login${search ? `?${search}` : ''}`;
    },

    /** `GET /auth/login`: starts the Bluesky login; resolves to the authorization server's URL (server-side use). */
    startLogin: (query: QueryOf<'startLogin'> = {}, options?: CallOptions) =>
      readRedirect((signal) => raw.GET('/auth/login', { params: { query }, redirect: 'manual', signal }), options),

    /** `GET /auth/callback`: finishes the login; resolves to the app's callback URL carrying the token or an error. */
    completeLogin: (query: QueryOf<'completeLogin'>, options?: CallOptions) =>
      readRedirect((signal) => raw.GET('/auth/callback', { params: { query }, redirect: 'manual', signal }), options),

    /** `GET /auth/me`: who the token belongs to. Throws NbhdApiError 401 when the token is missing or invalid. */
    getCurrentUser: (options?: CallOptions) => send((signal) => raw.GET('/auth/me', { signal }), options),

    /** `POST /auth/logout`: tokens are stateless, so this only confirms; discard the token afterwards. */
    logout: (options?: CallOptions) => send((signal) => raw.POST('/auth/logout', { signal }), options),

    /** `POST /auth/test-login`: username/password login for development and staging (404 in production). */
    testLogin: (body: BodyOf<'testLogin'>, options?: CallOptions) =>
      send((signal) => raw.POST('/auth/test-login', { body, signal }), options),

    /** `GET /api/users/profile`: the user's Bluesky profile; fields Bluesky could not supply are null and listed in `unavailable`. */
    getProfile: (options?: CallOptions) => send((signal) => raw.GET('/api/users/profile', { signal }), options),
  };
}
