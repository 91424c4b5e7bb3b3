import { OAuthCallbackError, OAuthResolverError } from '@atproto/oauth-client-node';
import type { Request, Response } from 'express';
import type { ResponseBody } from '../api-types.js';
import { getRequestUser } from '../auth/request-user.js';
import { ApiError } from '../errors.js';
import type { RouteDeps } from '../routes/route-deps.js';
import { createBlueskyAuth, isEndedSessionError } from './bluesky-auth.js';
import { BlueskySessionEndedError, fetchBlueskyProfile } from './bluesky-profile.js';
import type { OAuthSettings } from './oauth-settings.js';
import { createReturnUrlPolicy } from './return-url.js';

/** What we keep in the OAuth state (stored server-side, never in the URL): where to send the browser back. */
interface AppState {
  returnUrl: string;
}

type Handler = (req: Request, res: Response) => Promise<void>;

/** The Bluesky routes' handlers, by route; bluesky-routes.ts loads this module on the first OAuth request. */
export interface BlueskyHandlers {
  clientMetadata: Handler;
  jwks: Handler;
  login: Handler;
  callback: Handler;
  profile: Handler;
  logout: Handler;
}

export interface BlueskyHandlerOptions {
  deps: RouteDeps;
  settings: OAuthSettings;
  fetch?: typeof globalThis.fetch;
}

/** Everything that needs @atproto/oauth-client-node (the bulk of the Lambda bundle) lives behind this factory. */
export function createBlueskyHandlers({ deps, settings, fetch }: BlueskyHandlerOptions): BlueskyHandlers {
  const auth = createBlueskyAuth({ settings, table: deps.entities.table, now: deps.now, fetch });
  const returnUrls = createReturnUrlPolicy(deps.config.returnUrlAllowlist);
  return {
    async clientMetadata(_req, res) {
      const client = await auth.getClient();
      res.set('cache-control', 'public, max-age=300').json(client.clientMetadata);
    },

    async jwks(_req, res) {
      const client = await auth.getClient();
      const body: ResponseBody<'getOAuthJwks', 200> = { keys: [...client.jwks.keys] as never };
      res.set('cache-control', 'public, max-age=300').json(body);
    },

    async login(req, res) {
      const query = req.query as { handle?: string; return_url?: string };
      const returnUrl = returnUrls.check(query.return_url ?? deps.config.frontendUrl);
      if (!returnUrl) {
        throw new ApiError('invalid-return-url', "return_url is not on this server's allow-list.", {
          errors: [{ location: 'query', pointer: '/return_url', message: 'not an allowed return URL' }],
        });
      }
      const client = await auth.getClient();
      const appState: AppState = { returnUrl };
      let url: URL;
      try {
        url = await client.authorize(query.handle ?? settings.entrywayUrl, { state: JSON.stringify(appState) });
      } catch (error) {
        if (error instanceof OAuthResolverError && query.handle !== undefined) {
          throw new ApiError('validation-error', `Could not find a Bluesky account for "${query.handle}".`, {
            errors: [{ location: 'query', pointer: '/handle', message: 'no account found for this handle' }],
            cause: error,
          });
        }
        throw new ApiError('service-unavailable', 'The Bluesky authorization server could not be reached.', {
          retryAfter: 30,
          cause: error,
        });
      }
      sendRedirect(res, url.href);
    },

    async callback(req, res) {
      const params = new URL(req.originalUrl, 'http://callback.invalid').searchParams;
      const client = await auth.getClient();
      let did: string;
      let appState: AppState;
      try {
        const result = await client.callback(params);
        did = result.session.did;
        appState = JSON.parse(result.state ?? '{}') as AppState;
      } catch (error) {
        if (!(error instanceof OAuthCallbackError)) throw error;
        // A state we know: the user came from our login, so send them back with the reason, never a 500.
        if (error.state) {
          deps.logger.warn('bluesky login failed', { reason: params.get('error') ?? errorName(error.cause) });
          return redirectWithError(res, JSON.parse(error.state) as AppState, params);
        }
        throw new ApiError('invalid-state', 'This login link is unknown, expired or already used; start again.');
      }
      try {
        const identity = await client.identityResolver.resolve(did).catch(() => undefined);
        await auth.users.recordLogin(did, identity?.handle === 'handle.invalid' ? undefined : identity?.handle);
        const token = await deps.sessionTokens.issue(did);
        sendRedirect(res, `${appState.returnUrl}/callback.html?${new URLSearchParams({ token })}`);
      } catch (error) {
        // No half-done login: without the user record and token, the stored Bluesky session goes too.
        await client.revoke(did).catch(() => auth.sessionStore.del(did));
        throw error;
      }
    },

    async profile(req, res) {
      const did = getRequestUser(req);
      const client = await auth.getClient();
      const session = await client.restore(did).catch((error: unknown) => {
        if (isEndedSessionError(error)) {
          throw new ApiError('unauthorized', 'Your Bluesky session has ended; log in with Bluesky again.');
        }
        throw new ApiError('service-unavailable', 'Bluesky could not be reached.', { retryAfter: 30, cause: error });
      });
      const user = await auth.users.get(did);
      const body: ResponseBody<'getProfile', 200> = await fetchBlueskyProfile(session, user?.handle ?? did).catch(
        (error: unknown) => {
          if (error instanceof BlueskySessionEndedError || isEndedSessionError(error)) {
            throw new ApiError('unauthorized', 'Your Bluesky session has ended; log in with Bluesky again.');
          }
          throw error;
        },
      );
      res.json(body);
    },

    async logout(req, res) {
      const did = getRequestUser(req);
      const client = await auth.getClient();
      try {
        await client.revoke(did);
      } catch (error) {
        // Nothing stored (e.g. test-login users) or the authorization server is down: forget our copy anyway.
        deps.logger.info('bluesky session not revoked at logout', { reason: (error as Error).name });
      }
      await auth.sessionStore.del(did);
      const body: ResponseBody<'logout', 200> = { message: 'Logged out' };
      res.json(body);
    },
  };
}

function redirectWithError(res: Response, appState: AppState, params: URLSearchParams): void {
  const error = params.get('error') ?? 'login_failed';
  const search = new URLSearchParams({ error });
  const description = params.get('error_description');
  if (description) search.set('error_description', description);
  sendRedirect(res, `${appState.returnUrl}/callback.html?${search}`);
}

/** A bare 302 (the contract has no body for it; Express's redirect() writes one). */
function sendRedirect(res: Response, location: string): void {
  res.status(302).location(location).end();
}

function errorName(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : 'unknown';
}
