import { errors, jwtVerify } from 'jose';

/** Thrown for a missing, malformed, badly signed or expired bearer token: the legacy service's 401. */
export class UnauthorizedError extends Error {}

/**
 * Reads the DID from a legacy session token (HS256 over SECRET_KEY, `sub` = DID, `exp`), as the legacy service
 * did: tokens the new API issues pass here too, because both sides share the secret.
 */
export function createTokenReader(secretKey: string): (authorization: string | undefined) => Promise<string> {
  const key = new TextEncoder().encode(secretKey);
  return async (authorization) => {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match?.[1]) throw new UnauthorizedError('Not authenticated');
    try {
      const { payload } = await jwtVerify(match[1], key, { algorithms: ['HS256'] });
      if (typeof payload.sub !== 'string' || !payload.sub)
        throw new UnauthorizedError('Could not validate credentials');
      return payload.sub;
    } catch (error) {
      if (error instanceof UnauthorizedError || error instanceof errors.JOSEError) {
        throw new UnauthorizedError('Could not validate credentials');
      }
      throw error;
    }
  };
}
