import type { BlueskyHandlers } from '../handlers/auth.js';
import type { HandlerDeps } from '../handlers/handler-deps.js';
import type { OperationHandler } from '../http/operation-types.js';
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
  let loaded: Promise<BlueskyHandlers> | undefined;
  const load = () => {
    loaded ??= import('./bluesky-handlers.js')
      .then(({ createBlueskyHandlers }) => createBlueskyHandlers({ deps, settings, fetch: options.fetch }))
      .catch((error: unknown) => {
        loaded = undefined; // let the next request try again
        throw error;
      });
    return loaded;
  };
  const lazy =
    <OP extends keyof BlueskyHandlers>(operationId: OP): OperationHandler<OP> =>
    async (input) =>
      ((await load())[operationId] as OperationHandler<OP>)(input);
  return {
    getOAuthClientMetadata: lazy('getOAuthClientMetadata'),
    getOAuthJwks: lazy('getOAuthJwks'),
    startLogin: lazy('startLogin'),
    completeLogin: lazy('completeLogin'),
    getProfile: lazy('getProfile'),
    logout: lazy('logout'),
  };
}
