import { createHash } from 'node:crypto';
import { Router } from 'express';
import type { RequestBody, ResponseBody } from '../api-types.js';
import { getRequestUser } from '../auth/request-user.js';
import { readLimit, readOptionalString, setNextLink } from '../http/pagination.js';
import type { RouteDeps } from './route-deps.js';

/** Same body, same hash, whatever the key order: the idempotency check compares meaning, not bytes. */
function hashBody(body: Record<string, unknown>): string {
  const canonical = JSON.stringify(Object.fromEntries(Object.entries(body).sort(([a], [b]) => a.localeCompare(b))));
  return createHash('sha256').update(canonical).digest('base64url');
}

/** The Neighborhoods tag: list, create, read, update, delete, members. */
export function createNeighborhoodsRouter({ neighborhoods, neighborhoodAdmin, memberships }: RouteDeps): Router {
  const router = Router();

  router.get('/api/nbhds', async (req, res) => {
    const limit = readLimit(req);
    const page = await neighborhoods.listNeighborhoods({
      limit,
      cursor: readOptionalString(req.query.cursor),
      skip: Number(req.query.skip ?? 0),
    });
    setNextLink(req, res, page.nextCursor, limit);
    const body: ResponseBody<'listNeighborhoods', 200> = page.items;
    res.status(200).json(body);
  });

  router.post('/api/nbhds', async (req, res) => {
    const input = req.body as RequestBody<'createNeighborhood'>;
    const idempotencyKey = req.get('idempotency-key');
    const { nbhd, replayed } = await neighborhoods.createNeighborhood({
      userId: getRequestUser(req),
      name: input.name,
      description: input.description ?? null,
      ...(idempotencyKey ? { idempotency: { key: idempotencyKey, requestHash: hashBody(input) } } : {}),
    });
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    const body: ResponseBody<'createNeighborhood', 201> = nbhd;
    res.status(201).location(`/api/nbhds/${nbhd.id}`).json(body);
  });

  router.get('/api/nbhds/:nbhd_id', async (req, res) => {
    const body: ResponseBody<'getNeighborhood', 200> = await neighborhoods.getNeighborhoodDetail(req.params.nbhd_id);
    res.status(200).json(body);
  });

  router.patch('/api/nbhds/:nbhd_id', async (req, res) => {
    const input = req.body as RequestBody<'updateNeighborhood'>;
    const body: ResponseBody<'updateNeighborhood', 200> = await neighborhoodAdmin.updateNeighborhood({
      id: req.params.nbhd_id,
      userId: getRequestUser(req),
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
    });
    res.status(200).json(body);
  });

  router.delete('/api/nbhds/:nbhd_id', async (req, res) => {
    await neighborhoodAdmin.deleteNeighborhood(req.params.nbhd_id, getRequestUser(req));
    res.status(204).end();
  });

  router.get('/api/nbhds/:nbhd_id/members', async (req, res) => {
    const limit = readLimit(req);
    const page = await memberships.listMembers(req.params.nbhd_id, {
      limit,
      cursor: readOptionalString(req.query.cursor),
    });
    setNextLink(req, res, page.nextCursor, limit);
    const body: ResponseBody<'listMembers', 200> = { members: page.items, next_cursor: page.nextCursor };
    res.status(200).json(body);
  });

  return router;
}
