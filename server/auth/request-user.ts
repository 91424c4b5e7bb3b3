import type { Request } from 'express';
import { ApiError } from '../errors.js';

const users = new WeakMap<Request, string>();

/** Remembers the DID the request's bearer token proved (set by the bearerAuth security handler). */
export function setRequestUser(req: Request, did: string): void {
  users.set(req, did);
}

/** The authenticated caller's DID; only reachable on operations whose security is bearerAuth. */
export function getRequestUser(req: Request): string {
  const did = users.get(req);
  if (did === undefined) throw new ApiError('unauthorized', 'A session token is required.');
  return did;
}

/** The token from `Authorization: Bearer <token>`; throws unauthorized when absent or malformed. */
export function readBearerToken(req: Request): string {
  const header = req.get('authorization');
  const match = header?.match(/^Bearer[ ]+([A-Za-z0-9._~+/=-]+)\s*$/i);
  if (!match?.[1]) throw new ApiError('unauthorized', 'Send a session token as "Authorization: Bearer <token>".');
  return match[1];
}
