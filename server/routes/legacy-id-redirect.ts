import type { RequestHandler } from 'express';
import type { LegacyIdRepo } from '../data/neighborhood/legacy-id.js';
import { ApiError } from '../errors.js';

/** A neighborhood path carrying a legacy integer id (the contract's NbhdId pattern for it). */
const legacyPath = /^\/api\/nbhds\/([1-9][0-9]{0,9})(\/(?:members|join|leave))?\/?$/;

/**
 * Old links and legacy clients carry integer ids: answer 308 to the same path with the neighborhood's UUID,
 * query kept. It runs before body parsing, validation and auth: 308 keeps the method, body and headers, so the
 * client's join, leave, rename or delete is judged once, at the UUID path. An unknown integer is a 404.
 */
export function createLegacyIdRedirect(legacyIds: LegacyIdRepo): RequestHandler {
  return async (req, res, next) => {
    const match = legacyPath.exec(req.path);
    if (!match) {
      next();
      return;
    }
    const nbhdId = await legacyIds.findNeighborhoodId(Number(match[1]));
    if (!nbhdId) throw new ApiError('not-found', 'Neighborhood not found');
    const query = req.originalUrl.indexOf('?');
    const location = `/api/nbhds/${nbhdId}${match[2] ?? ''}${query === -1 ? '' : req.originalUrl.slice(query)}`;
    res.status(308).location(location).end();
  };
}
