import { Router } from 'express';
import type { ResponseBody } from '../api-types.js';
import { getRequestUser } from '../auth/request-user.js';
import { readLimit, readOptionalString, setNextLink } from '../http/pagination.js';
import type { RouteDeps } from './route-deps.js';

/** The Memberships tag: join, leave, my neighborhoods. */
export function createMembershipsRouter({ memberships }: RouteDeps): Router {
  const router = Router();

  router.post('/api/nbhds/:nbhd_id/join', async (req, res) => {
    const nbhdId = req.params.nbhd_id;
    await memberships.joinNeighborhood(nbhdId, getRequestUser(req));
    const body: ResponseBody<'joinNeighborhood', 201> = { message: 'Joined the neighborhood', nbhd_id: nbhdId };
    res.status(201).json(body);
  });

  router.delete('/api/nbhds/:nbhd_id/leave', async (req, res) => {
    await memberships.leaveNeighborhood(req.params.nbhd_id, getRequestUser(req));
    res.status(204).end();
  });

  router.get('/api/users/me/nbhds', async (req, res) => {
    const limit = readLimit(req);
    const page = await memberships.listMyNeighborhoods(getRequestUser(req), {
      limit,
      cursor: readOptionalString(req.query.cursor),
    });
    setNextLink(req, res, page.nextCursor, limit);
    const body: ResponseBody<'listMyNeighborhoods', 200> = { neighborhoods: page.items, next_cursor: page.nextCursor };
    res.status(200).json(body);
  });

  return router;
}
