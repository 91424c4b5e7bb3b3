import { timingSafeEqual } from 'node:crypto';
import type { LoginLockout } from '../data/quota/login-lockout.js';
import { ApiError } from '../errors.js';
import type { OperationHandlers } from '../http/operation-types.js';
import type { HandlerDeps } from './handler-deps.js';

export const testUserId = 'did:plc:test-user';

type SessionHandlers = Pick<OperationHandlers, 'getCurrentUser' | 'logout' | 'testLogin'>;
type BlueskyOperationId =
  | 'getOAuthClientMetadata'
  | 'getOAuthJwks'
  | 'startLogin'
  | 'completeLogin'
  | 'getProfile'
  | 'logout';
export type BlueskyHandlers = Pick<OperationHandlers, BlueskyOperationId>;

function isSameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The Auth tag's session endpoints: who am I, logout, test login. The Bluesky flow plugs in separately. */
export function createSessionHandlers({ config, sessionTokens, entities, now }: HandlerDeps): SessionHandlers {
  // Loaded on the first test login: its toolbox writes stay out of a cold start.
  let lockout: Promise<LoginLockout> | undefined;
  const getLockout = () => {
    lockout ??= import('../data/quota/login-lockout.js').then((module) =>
      module.createLoginLockout({ entities, quotas: config.quotas, now }),
    );
    return lockout;
  };
  return {
    getCurrentUser: ({ user }) => ({ status: 200, body: { user_id: user, authenticated: true } }),

    // Tokens are stateless: the client forgets its copy.
    logout: () => ({ status: 200, body: { message: 'Logged out' } }),

    async testLogin({ body, client }) {
      const { bskyUsername, bskyPassword, stage } = config;
      if (stage === 'production' || !bskyUsername || !bskyPassword) {
        throw new ApiError('not-found', 'The test login is not available on this server.');
      }
      // A client that sent too many wrong passwords is refused for the rest of the window, a right one included.
      const guard = await getLockout();
      await guard.check(client);
      // Both compared, always, so the response time does not say which one was wrong.
      const userOk = isSameSecret(body.username, bskyUsername);
      const passwordOk = isSameSecret(body.password, bskyPassword);
      if (!userOk || !passwordOk) {
        await guard.countFailure(client);
        throw new ApiError('invalid-credentials', 'Wrong username or password.');
      }
      return {
        status: 200,
        body: {
          access_token: await sessionTokens.issue(testUserId),
          token_type: 'bearer',
          user: {
            id: testUserId,
            handle: bskyUsername,
            display_name: 'Test User',
            avatar: null,
            created_at: now().toISOString(),
          },
        },
      };
    },
  };
}

/**
 * Answers for the Bluesky OAuth operations when logging in with Bluesky is not configured: an honest 503 rather
 * than fake data. The OAuth documents have no 503 in the contract, so they answer 404. Logout stays stateless.
 */
export function createBlueskyFallbackHandlers(session: SessionHandlers): BlueskyHandlers {
  const notConfigured = () => {
    throw new ApiError('service-unavailable', 'Logging in with Bluesky is not configured on this server.', {
      retryAfter: 3600,
    });
  };
  const noClient = () => {
    throw new ApiError('not-found', 'This server has no Bluesky OAuth client configured.');
  };
  return {
    getOAuthClientMetadata: noClient,
    getOAuthJwks: noClient,
    startLogin: notConfigured,
    completeLogin: notConfigured,
    getProfile: notConfigured,
    logout: session.logout,
  };
}
