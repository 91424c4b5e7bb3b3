import type * as Jose from 'jose';
import { ApiError } from '../errors.js';
import { validateDid } from '../generated/request-validators.js';

export interface SessionTokens {
  /** A session JWT for `did`, HS256, lifetime from ACCESS_TOKEN_EXPIRE_MINUTES. */
  issue(did: string): Promise<string>;
  /** The DID in a valid token; throws ApiError unauthorized for anything else. */
  verify(token: string): Promise<string>;
}

export interface SessionTokenOptions {
  secretKey: string;
  expireMinutes: number;
  now?: () => Date;
}

// jose is imported on the first token issued or checked, not at a cold start: a public read never needs it.
let jose: Promise<typeof Jose> | undefined;
const loadJose = () => {
  jose ??= import('jose');
  return jose;
};

/** The algorithm is pinned: `alg: none` or an RS/ES token signed with the shared secret as "public key" fail. */
const algorithms = ['HS256'];

/**
 * Legacy-compatible session tokens: HS256 over SECRET_KEY, claims sub (DID), iat, exp — so tokens issued
 * by the Python service stay valid after the cutover.
 *
 * @example
 * const tokens = createSessionTokens({ secretKey, expireMinutes: 10080 });
 * const did = await tokens.verify(bearer);
 */
export function createSessionTokens({
  secretKey,
  expireMinutes,
  now = () => new Date(),
}: SessionTokenOptions): SessionTokens {
  const key = new TextEncoder().encode(secretKey);
  return {
    async issue(did) {
      const { SignJWT } = await loadJose();
      const issuedAt = Math.floor(now().getTime() / 1000);
      return new SignJWT({})
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(did)
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + expireMinutes * 60)
        .sign(key);
    },
    async verify(token) {
      const { jwtVerify, errors: joseErrors } = await loadJose();
      try {
        const { payload } = await jwtVerify(token, key, {
          algorithms,
          requiredClaims: ['sub', 'exp'],
          currentDate: now(),
        });
        // The contract's own DID schema (atproto syntax, ≤ 512 characters): a `sub` that breaks it is no user.
        if (typeof payload.sub !== 'string' || !validateDid(payload.sub)) {
          throw new ApiError('unauthorized', 'The session token does not name a user.');
        }
        return payload.sub;
      } catch (error) {
        if (error instanceof ApiError) throw error;
        const detail =
          error instanceof joseErrors.JWTExpired
            ? 'The session token has expired; log in again.'
            : 'The session token is not valid; log in again.';
        throw new ApiError('unauthorized', detail);
      }
    },
  };
}
