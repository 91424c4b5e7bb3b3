import { followCursor } from './pagination.js';
import type { Transport } from './transport.js';
import type { CallOptions, Nbhd, QueryOf } from './types.js';

/** Methods of the Memberships tag. */
export function createMembershipMethods({ raw, send }: Transport) {
  return {
    /** `GET /api/users/me/nbhds`: one page of the neighborhoods the user belongs to, with `next_cursor`. */
    listMyNeighborhoods: (query: QueryOf<'listMyNeighborhoods'> = {}, options?: CallOptions) =>
      send((signal) => raw.GET('/api/users/me/nbhds', { params: { query }, signal }), options),

    /** Every neighborhood the user belongs to, fetching pages (by `next_cursor`) as you iterate. */
    iterateMyNeighborhoods: (
      query: QueryOf<'listMyNeighborhoods'> = {},
      options?: CallOptions,
    ): AsyncGenerator<Nbhd, void, undefined> =>
      followCursor(query.cursor, async (cursor) => {
        const data = await send(
          (signal) => raw.GET('/api/users/me/nbhds', { params: { query: { ...query, cursor } }, signal }),
          options,
        );
        return { items: data.neighborhoods, nextCursor: data.next_cursor };
      }),

    /** `POST /api/nbhds/{nbhd_id}/join`: joins a neighborhood (NbhdApiError 409 when already a member). */
    joinNeighborhood: (nbhdId: string, options?: CallOptions) =>
      send(
        (signal) => raw.POST('/api/nbhds/{nbhd_id}/join', { params: { path: { nbhd_id: nbhdId } }, signal }),
        options,
      ),

    /** `DELETE /api/nbhds/{nbhd_id}/leave`: leaves a neighborhood (NbhdApiError 404 when not a member). */
    leaveNeighborhood: async (nbhdId: string, options?: CallOptions): Promise<void> => {
      await send(
        (signal) => raw.DELETE('/api/nbhds/{nbhd_id}/leave', { params: { path: { nbhd_id: nbhdId } }, signal }),
        options,
      );
    },
  };
}
