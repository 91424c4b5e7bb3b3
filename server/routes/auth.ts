import { timingSafeEqual } from 'node:crypto';
import { Router } from 'express';
import type { RequestBody, ResponseBody } from '../api-types.js';
import { getRequestUser } from '../auth/request-user.js';
import { ApiError } from '../errors.js';
import type { RouteDeps } from './route-deps.js';

export const testUserId = 'did:plc:test-user';

function isSameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The Auth tag's session endpoints: who am I, logout, test login. The Bluesky flow plugs in separately. */
export function createAuthRouter({ config, sessionTokens, now }: RouteDeps): Router {
  const router = Router();

  router.get('/auth/me', (req, res) => {
    const body: ResponseBody<'getCurrentUser', 200> = { user_id: getRequestUser(req), authenticated: true };
    res.json(body);
  });

  router.post('/auth/logout', (req, res) => {
    getRequestUser(req);
    // Tokens are stateless: the client forgets its copy.
    const body: ResponseBody<'logout', 200> = { message: 'Logged out' };
    res.json(body);
  });

  router.post('/auth/test-login', async (req, res) => {
    const { bskyUsername, bskyPassword, stage } = config;
    if (stage === 'production' || !bskyUsername || !bskyPassword) {
      throw new ApiError('not-found', 'The test login is not available on this server.');
    }
    const input = req.body as RequestBody<'testLogin'>;
    // Both compared, always, so the response time does not say which one was wrong.
    const userOk = isSameSecret(input.username, bskyUsername);
    const passwordOk = isSameSecret(input.password, bskyPassword);
    if (!userOk || !passwordOk) throw new ApiError('invalid-credentials', 'Wrong username or password.');
    const body: ResponseBody<'testLogin', 200> = {
      access_token: await sessionTokens.issue(testUserId),
      token_type: 'bearer',
      user: {
        id: testUserId,
        handle: bskyUsername,
        display_name: 'Test User',
        avatar: null,
        created_at: now().toISOString(),
      },
    };
    res.json(body);
  });

  return router;
}

/**
 * Answers for the Bluesky OAuth operations when no OAuth router is plugged in: an honest 503 ("not configured")
 * rather than fake data. The OAuth documents have no 503 in the contract, so they answer 404.
 */
export function createAuthFlowFallbackRouter(): Router {
  const router = Router();
  const notConfigured = () => {
    throw new ApiError('service-unavailable', 'Logging in with Bluesky is not configured on this server.', {
      retryAfter: 3600,
    });
  };
  router.get('/auth/login', notConfigured);
  router.get('/auth/callback', notConfigured);
  router.get('/api/users/profile', notConfigured);
  router.get(['/oauth/client-metadata.json', '/oauth/jwks.json'], () => {
    throw new ApiError('not-found', 'This server has no Bluesky OAuth client configured.');
  });
  return router;
}
