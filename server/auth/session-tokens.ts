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

/**
 * A compact JWS as RFC 7515 spells it: three base64url segments without padding. jose decodes a segment leniently
 * (standard base64 and `=` padding too), so one valid token would have several spellings; only this one is accepted.
 */
const compactJws = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
/** The algorithm is pinned: `alg: none` or an RS/ES token signed with the shared secret as "public key" fail. */
const algorithms = ['HS256'];
/** Tokens that passed verification, kept so a caller's next requests skip the signature check (oldest out first). */
const verifiedCacheSize = 1000;

interface VerifiedToken {
  sub: string;
  exp: number;
  nbf: number | undefined;
}

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
  // Imported once: given raw bytes, jose imports the key again on every sign and verify.
  let key: Promise<CryptoKey> | undefined;
  const getKey = () => {
    key ??= crypto.subtle.importKey(
      'raw',
      new TextEncoder().encode(secretKey),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign', 'verify'],
    );
    return key;
  };
  // A token's signature and claims never change: only the clock can make a verified token invalid, so a cached
  // one is re-checked against exp and nbf (anything else falls through to jose, which gives the refusal).
  const verified = new Map<string, VerifiedToken>();
  const findVerified = (token: string): string | undefined => {
    const cached = verified.get(token);
    if (!cached) return undefined;
    const seconds = Math.floor(now().getTime() / 1000);
    if (cached.exp > seconds && (cached.nbf === undefined || cached.nbf <= seconds)) return cached.sub;
    verified.delete(token);
    return undefined;
  };
  const remember = (token: string, entry: VerifiedToken) => {
    if (verified.size >= verifiedCacheSize) verified.delete(verified.keys().next().value as string);
    verified.set(token, entry);
  };
  return {
    async issue(did) {
      const { SignJWT } = await loadJose();
      const issuedAt = Math.floor(now().getTime() / 1000);
      return new SignJWT({})
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(did)
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + expireMinutes * 60)
        .sign(await getKey());
    },
    async verify(token) {
      const known = findVerified(token);
      if (known !== undefined) return known;
      if (!compactJws.test(token)) throw new ApiError('unauthorized', 'The session token is not valid; log in again.');
      const { jwtVerify, errors: joseErrors } = await loadJose();
      try {
        const { payload } = await jwtVerify(token, await getKey(), {
          algorithms,
          requiredClaims: ['sub', 'exp'],
          currentDate: now(),
        });
        // The contract's own DID schema (atproto syntax, ≤ 512 characters): a `sub` that breaks it is no user.
        if (typeof payload.sub !== 'string' || !validateDid(payload.sub)) {
          throw new ApiError('unauthorized', 'The session token does not name a user.');
        }
        remember(token, { sub: payload.sub, exp: payload.exp as number, nbf: payload.nbf });
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
