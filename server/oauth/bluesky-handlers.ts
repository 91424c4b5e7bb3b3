import { OAuthCallbackError, OAuthResolverError } from '@atproto/oauth-client-node';
import { ApiError } from '../errors.js';
import type { BlueskyHandlers } from '../handlers/auth.js';
import type { HandlerDeps } from '../handlers/handler-deps.js';
import { createBlueskyAuth, isEndedSessionError } from './bluesky-auth.js';
import { BlueskySessionEndedError, fetchBlueskyProfile } from './bluesky-profile.js';
import type { OAuthSettings } from './oauth-settings.js';
import { createReturnUrlPolicy } from './return-url.js';

/** What we keep in the OAuth state (stored server-side, never in the URL): where to send the browser back. */
interface AppState {
  returnUrl: string;
}

/** A bare 302 (the contract has no body for it). */
const redirectTo = (location: string) => ({ status: 302 as const, headers: { Location: location } });
const cacheFiveMinutes = { 'Cache-Control': 'public, max-age=300' };

export interface BlueskyHandlerOptions {
  deps: HandlerDeps;
  settings: OAuthSettings;
  fetch?: typeof globalThis.fetch;
}

/**
 * The OAuth operations' handlers; bluesky-login.ts loads this module on the first OAuth request. Everything that
 * needs @atproto/oauth-client-node (the bulk of the Lambda bundle) lives behind this factory.
 */
export function createBlueskyHandlers({ deps, settings, fetch }: BlueskyHandlerOptions): BlueskyHandlers {
  const auth = createBlueskyAuth({ settings, table: deps.entities.table, now: deps.now, fetch });
  const returnUrls = createReturnUrlPolicy(deps.config.returnUrlAllowlist);
  return {
    async getOAuthClientMetadata() {
      const client = await auth.getClient();
      return { status: 200, body: client.clientMetadata as never, headers: cacheFiveMinutes };
    },

    async getOAuthJwks() {
      const client = await auth.getClient();
      return { status: 200, body: { keys: [...client.jwks.keys] as never }, headers: cacheFiveMinutes };
    },

    async startLogin({ query }) {
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
      return redirectTo(url.href);
    },

    async completeLogin({ url: { search } }) {
      // All of the callback's parameters, as sent: the OAuth client reads (and checks) them itself.
      const params = new URLSearchParams(search);
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
          return redirectTo(toErrorReturnUrl(JSON.parse(error.state) as AppState, params));
        }
        throw new ApiError('invalid-state', 'This login link is unknown, expired or already used; start again.');
      }
      try {
        const identity = await client.identityResolver.resolve(did).catch(() => undefined);
        await auth.users.recordLogin(did, identity?.handle === 'handle.invalid' ? undefined : identity?.handle);
        const token = await deps.sessionTokens.issue(did);
        return redirectTo(`${appState.returnUrl}/callback.html?${new URLSearchParams({ token })}`);
      } catch (error) {
        // No half-done login: without the user record and token, the stored Bluesky session goes too.
        await client.revoke(did).catch(() => auth.sessionStore.del(did));
        throw error;
      }
    },

    async getProfile({ user: did }) {
      const client = await auth.getClient();
      const session = await client.restore(did).catch((error: unknown) => {
        if (isEndedSessionError(error)) {
          throw new ApiError('unauthorized', 'Your Bluesky session has ended; log in with Bluesky again.');
        }
        throw new ApiError('service-unavailable', 'Bluesky could not be reached.', { retryAfter: 30, cause: error });
      });
      const user = await auth.users.get(did);
      const body = await fetchBlueskyProfile(session, user?.handle ?? did).catch((error: unknown) => {
        if (error instanceof BlueskySessionEndedError || isEndedSessionError(error)) {
          throw new ApiError('unauthorized', 'Your Bluesky session has ended; log in with Bluesky again.');
        }
        throw error;
      });
      return { status: 200, body };
    },

    async logout({ user: did }) {
      const client = await auth.getClient();
      try {
        await client.revoke(did);
      } catch (error) {
        // Nothing stored (e.g. test-login users) or the authorization server is down: forget our copy anyway.
        deps.logger.info('bluesky session not revoked at logout', { reason: (error as Error).name });
      }
      await auth.sessionStore.del(did);
      return { status: 200, body: { message: 'Logged out' } };
    },
  };
}

function toErrorReturnUrl(appState: AppState, params: URLSearchParams): string {
  const error = params.get('error') ?? 'login_failed';
  const search = new URLSearchParams({ error });
  const description = params.get('error_description');
  if (description) search.set('error_description', description);
  return `${appState.returnUrl}/callback.html?${search}`;
}

function errorName(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : 'unknown';
}
