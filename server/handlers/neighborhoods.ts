import { createHash } from 'node:crypto';
import { toRateLimitPolicy, writeQuotas } from '../data/quota/settings.js';
import type { OperationHandlers } from '../http/operation-types.js';
import { toNextLinkHeaders } from '../http/pagination.js';
import type { HandlerDeps } from './handler-deps.js';

type NeighborhoodHandlers = Pick<
  OperationHandlers,
  | 'listNeighborhoods'
  | 'createNeighborhood'
  | 'getNeighborhood'
  | 'updateNeighborhood'
  | 'deleteNeighborhood'
  | 'listMembers'
>;

/** Same body, same hash, whatever the key order: the idempotency check compares meaning, not bytes. */
function hashBody(body: Record<string, unknown>): string {
  const canonical = JSON.stringify(Object.fromEntries(Object.entries(body).sort(([a], [b]) => a.localeCompare(b))));
  return createHash('sha256').update(canonical).digest('base64url');
}

/** The Neighborhoods tag: list, create, read, update, delete, members. */
export function createNeighborhoodHandlers({
  neighborhoods,
  neighborhoodAdmin,
  memberships,
  config,
}: HandlerDeps): NeighborhoodHandlers {
  const policy = (operation: 'createNeighborhood' | 'updateNeighborhood' | 'deleteNeighborhood') => ({
    'RateLimit-Policy': toRateLimitPolicy(config.quotas, writeQuotas[operation]),
  });
  const createPolicy = policy('createNeighborhood');
  const updatePolicy = policy('updateNeighborhood');
  const deletePolicy = policy('deleteNeighborhood');
  return {
    async listNeighborhoods({ query, url }) {
      const page = await neighborhoods.listNeighborhoods(query);
      return { status: 200, body: page.items, headers: toNextLinkHeaders(url.path, page.nextCursor, query.limit) };
    },

    async createNeighborhood({ body, headers, user }) {
      const idempotencyKey = headers['idempotency-key'];
      const { nbhd, replayed } = await neighborhoods.createNeighborhood({
        userId: user,
        name: body.name,
        description: body.description ?? null,
        ...(idempotencyKey ? { idempotency: { key: idempotencyKey, requestHash: hashBody(body) } } : {}),
      });
      return {
        status: 201,
        body: nbhd,
        headers: {
          Location: `/api/nbhds/${nbhd.id}`,
          ...createPolicy,
          ...(replayed ? { 'Idempotent-Replayed': 'true' } : {}),
        },
      };
    },

    async getNeighborhood({ path }) {
      return { status: 200, body: await neighborhoods.getNeighborhoodDetail(path.nbhd_id) };
    },

    async updateNeighborhood({ path, body, user }) {
      const updated = await neighborhoodAdmin.updateNeighborhood({
        id: path.nbhd_id,
        userId: user,
        ...(body.name !== undefined ? { name: body.name } : {}),
        ...(body.description !== undefined ? { description: body.description } : {}),
      });
      return { status: 200, body: updated, headers: updatePolicy };
    },

    async deleteNeighborhood({ path, user }) {
      await neighborhoodAdmin.deleteNeighborhood(path.nbhd_id, user);
      return { status: 204, headers: deletePolicy };
    },

    async listMembers({ path, query, url }) {
      const page = await memberships.listMembers(path.nbhd_id, { limit: query.limit, cursor: query.cursor });
      return {
        status: 200,
        body: { members: page.items, next_cursor: page.nextCursor },
        headers: toNextLinkHeaders(url.path, page.nextCursor, query.limit),
      };
    },
  };
}
