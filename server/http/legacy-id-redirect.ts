import type { Request, Response } from 'express';
import type { LegacyIdRepo } from '../data/neighborhood/legacy-id.js';
import { ApiError } from '../errors.js';
import type { OperationMatch } from './request-operation.js';

/** The path parameter that may carry a legacy integer id (the contract's NbhdId pattern allows it). */
const legacyParam = 'nbhd_id';
const legacyId = /^[1-9][0-9]{0,9}$/;

/** The legacy integer id a matched request carries in its `nbhd_id`, if any. */
export function findLegacyId({ route, values }: OperationMatch): number | undefined {
  const value = values[route.pathParams.indexOf(legacyParam)];
  return value !== undefined && legacyId.test(value) ? Number(value) : undefined;
}

/**
 * Old links and legacy clients carry integer ids: answer 308 to the same operation's path with the
 * neighborhood's UUID, query kept. It runs before body parsing, validation and auth: 308 keeps the method, body
 * and headers, so the client's join, leave, rename or delete is judged once, at the UUID path. An unknown
 * integer is a 404.
 */
export async function redirectLegacyId(
  legacyIds: LegacyIdRepo,
  { route, values }: OperationMatch,
  legacy: number,
  req: Request,
  res: Response,
): Promise<void> {
  const nbhdId = await legacyIds.findNeighborhoodId(legacy);
  if (!nbhdId) throw new ApiError('not-found', 'Neighborhood not found');
  const query = req.originalUrl.indexOf('?');
  const path = route.path.replace(/\{([^}]+)\}/g, (_template, name: string) =>
    name === legacyParam ? nbhdId : (values[route.pathParams.indexOf(name)] ?? ''),
  );
  res
    .status(308)
    .location(`${path}${query === -1 ? '' : req.originalUrl.slice(query)}`)
    .end();
}
