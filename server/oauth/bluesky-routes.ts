import { type Request, type Response, Router } from 'express';
import type { RouteDeps } from '../routes/route-deps.js';
import type { BlueskyHandlers } from './bluesky-handlers.js';

export interface BlueskyRouterOptions {
  /** The fetch the OAuth client uses (tests route the client's calls to a local PDS with the default one). */
  fetch?: typeof globalThis.fetch;
}

/**
 * "Log in with Bluesky": a router factory for createApp's `routers` hook. Without OAuth settings
 * (config.oauth undefined) it adds nothing and the app's "not configured" answers apply.
 *
 * The handlers (and @atproto/oauth-client-node, most of the Lambda bundle) are imported on the first request
 * that needs them, so a cold start that serves the neighborhood API never loads or parses that code.
 *
 * @example
 * createApp({ config, apiSpec, documentClient, routers: [createBlueskyRouter()] });
 */
export function createBlueskyRouter(options: BlueskyRouterOptions = {}) {
  return (deps: RouteDeps): Router => {
    const router = Router();
    const settings = deps.config.oauth;
    if (!settings) return router;
    let handlers: Promise<BlueskyHandlers> | undefined;
    const loadHandlers = () => {
      handlers ??= import('./bluesky-handlers.js')
        .then(({ createBlueskyHandlers }) => createBlueskyHandlers({ deps, settings, fetch: options.fetch }))
        .catch((error: unknown) => {
          handlers = undefined; // let the next request try again
          throw error;
        });
      return handlers;
    };
    const lazy =
      (name: keyof BlueskyHandlers) =>
      async (req: Request, res: Response): Promise<void> =>
        (await loadHandlers())[name](req, res);

    router.get('/oauth/client-metadata.json', lazy('clientMetadata'));
    router.get('/oauth/jwks.json', lazy('jwks'));
    router.get('/auth/login', lazy('login'));
    router.get('/auth/callback', lazy('callback'));
    router.get('/api/users/profile', lazy('profile'));
    router.post('/auth/logout', lazy('logout'));
    return router;
  };
}
