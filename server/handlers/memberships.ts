import { toRateLimitPolicy, writeQuotas } from '../data/quota/settings.js';
import type { OperationHandlers } from '../http/operation-types.js';
import { toNextLinkHeaders } from '../http/pagination.js';
import type { HandlerDeps } from './handler-deps.js';

type MembershipHandlers = Pick<OperationHandlers, 'joinNeighborhood' | 'leaveNeighborhood' | 'listMyNeighborhoods'>;

/** The Memberships tag: join, leave, my neighborhoods. */
export function createMembershipHandlers({ memberships, config }: HandlerDeps): MembershipHandlers {
  const joinPolicy = { 'RateLimit-Policy': toRateLimitPolicy(config.quotas, writeQuotas.joinNeighborhood) };
  const leavePolicy = { 'RateLimit-Policy': toRateLimitPolicy(config.quotas, writeQuotas.leaveNeighborhood) };
  return {
    async joinNeighborhood({ path, user }) {
      await memberships.joinNeighborhood(path.nbhd_id, user);
      return {
        status: 201,
        body: { message: 'Joined the neighborhood', nbhd_id: path.nbhd_id },
        headers: joinPolicy,
      };
    },

    async leaveNeighborhood({ path, user }) {
      await memberships.leaveNeighborhood(path.nbhd_id, user);
      return { status: 204, headers: leavePolicy };
    },

    async listMyNeighborhoods({ query, user, url }) {
      const page = await memberships.listMyNeighborhoods(user, { limit: query.limit, cursor: query.cursor });
      return {
        status: 200,
        body: { neighborhoods: page.items, next_cursor: page.nextCursor },
        headers: toNextLinkHeaders(url.path, page.nextCursor, query.limit),
      };
    },
  };
}
