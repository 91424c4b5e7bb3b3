import { deferMethods } from '../data/deferred-methods.js';
import type { BlueskyHandlers } from '../handlers/auth.js';
import type { HandlerDeps } from '../handlers/handler-deps.js';
import type { OAuthSettings } from './oauth-settings.js';

export interface BlueskyLoginOptions {
  /** The fetch the OAuth client uses (tests route the client's calls to a local PDS with the default one). */
  fetch?: typeof globalThis.fetch;
}

/**
 * "Log in with Bluesky": the handlers of the OAuth operations. The real ones (and @atproto/oauth-client-node,
 * most of the Lambda bundle) are imported on the first request that needs them, so a cold start that serves
 * the neighborhood API never loads or parses that code.
 */
export function createBlueskyLoginHandlers(
  deps: HandlerDeps,
  settings: OAuthSettings,
  options: BlueskyLoginOptions = {},
): BlueskyHandlers {
  return deferMethods<BlueskyHandlers>(
    () =>
      import('./bluesky-handlers.js').then(({ createBlueskyHandlers }) =>
        createBlueskyHandlers({ deps, settings, fetch: options.fetch }),
      ),
    {
      getOAuthClientMetadata: true,
      getOAuthJwks: true,
      startLogin: true,
      completeLogin: true,
      getProfile: true,
      logout: true,
    },
  );
}
