import type { Request } from 'express';
import { ApiError } from '../errors.js';

/** The token from `Authorization: Bearer <token>`; throws unauthorized when absent or malformed. */
export function readBearerToken(req: Request): string {
  const header = req.get('authorization');
  const match = header?.match(/^Bearer[ ]+([A-Za-z0-9._~+/=-]+)\s*$/i);
  if (!match?.[1]) throw new ApiError('unauthorized', 'Send a session token as "Authorization: Bearer <token>".');
  return match[1];
}
