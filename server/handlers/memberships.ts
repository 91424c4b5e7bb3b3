import type { OperationHandlers } from '../http/operation-types.js';
import { toNextLinkHeaders } from '../http/pagination.js';
import type { HandlerDeps } from './handler-deps.js';

type MembershipHandlers = Pick<OperationHandlers, 'joinNeighborhood' | 'leaveNeighborhood' | 'listMyNeighborhoods'>;

/** The Memberships tag: join, leave, my neighborhoods. */
export function createMembershipHandlers({ memberships }: HandlerDeps): MembershipHandlers {
  return {
    async joinNeighborhood({ path, user }) {
      await memberships.joinNeighborhood(path.nbhd_id, user);
      return { status: 201, body: { message: 'Joined the neighborhood', nbhd_id: path.nbhd_id } };
    },

    async leaveNeighborhood({ path, user }) {
      await memberships.leaveNeighborhood(path.nbhd_id, user);
      return { status: 204 };
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
