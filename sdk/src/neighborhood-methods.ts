import { createIdempotencyKey } from './idempotency.js';
import { followCursor, parseNextLink, readLinkQuery } from './pagination.js';
import type { Transport } from './transport.js';
import type { BodyOf, CallOptions, Member, Nbhd, NbhdDetail, QueryOf } from './types.js';

/** Options of `createNeighborhood`. */
export interface CreateOptions extends CallOptions {
  /** Reuse a key to make a call you repeat yourself idempotent; by default each call gets a fresh one. */
  idempotencyKey?: string;
}

type NbhdListQuery = QueryOf<'listNeighborhoods'>;

/** Methods of the Neighborhoods tag. */
export function createNeighborhoodMethods({ raw, send, request }: Transport) {
  return {
    /** `GET /api/nbhds`: one page of neighborhoods, newest first. Use `iterateNeighborhoods` to walk all pages. */
    listNeighborhoods: (query: NbhdListQuery = {}, options?: CallOptions): Promise<Nbhd[]> =>
      send((signal) => raw.GET('/api/nbhds', { params: { query }, signal }), options),

    /**
     * Every neighborhood, newest first, fetching pages as you iterate (follows the `Link: rel="next"` header).
     *
     * @example
     * for await (const nbhd of nbhd.iterateNeighborhoods({ limit: 50 })) console.log(nbhd.name);
     */
    async *iterateNeighborhoods(
      query: Omit<NbhdListQuery, 'skip'> = {},
      options?: CallOptions,
    ): AsyncGenerator<Nbhd, void, undefined> {
      let page: NbhdListQuery | undefined = query;
      while (page) {
        const pageQuery: NbhdListQuery = page;
        const { data, response } = await request(
          (signal) => raw.GET('/api/nbhds', { params: { query: pageQuery }, signal }),
          options,
        );
        yield* data;
        const next = parseNextLink(response.headers.get('Link'));
        // The Link target's query (limit + cursor) goes back through the typed client, keeping auth and retries.
        page = next ? (readLinkQuery(next) as unknown as NbhdListQuery) : undefined;
      }
    },

    /**
     * `POST /api/nbhds`: creates a neighborhood (the caller becomes its first member). Sends an
     * `Idempotency-Key`, so a retry after a lost response returns the same neighborhood instead of a 409.
     */
    createNeighborhood: (body: BodyOf<'createNeighborhood'>, options?: CreateOptions): Promise<Nbhd> => {
      const key = options?.idempotencyKey ?? createIdempotencyKey();
      return send((signal) => raw.POST('/api/nbhds', { body, headers: { 'Idempotency-Key': key }, signal }), options);
    },

    /** `GET /api/nbhds/{nbhd_id}`: a neighborhood with its first members (`members_next_cursor` for more). */
    getNeighborhood: (nbhdId: string, options?: CallOptions): Promise<NbhdDetail> =>
      send((signal) => raw.GET('/api/nbhds/{nbhd_id}', { params: { path: { nbhd_id: nbhdId } }, signal }), options),

    /** `PATCH /api/nbhds/{nbhd_id}`: renames or re-describes a neighborhood (creator only). */
    updateNeighborhood: (nbhdId: string, body: BodyOf<'updateNeighborhood'>, options?: CallOptions): Promise<Nbhd> =>
      send(
        (signal) => raw.PATCH('/api/nbhds/{nbhd_id}', { params: { path: { nbhd_id: nbhdId } }, body, signal }),
        options,
      ),

    /** `DELETE /api/nbhds/{nbhd_id}`: deletes a neighborhood (creator only). */
    deleteNeighborhood: async (nbhdId: string, options?: CallOptions): Promise<void> => {
      await send(
        (signal) => raw.DELETE('/api/nbhds/{nbhd_id}', { params: { path: { nbhd_id: nbhdId } }, signal }),
        options,
      );
    },

    /** `GET /api/nbhds/{nbhd_id}/members`: one page of members, newest first, with `next_cursor`. */
    listMembers: (nbhdId: string, query: QueryOf<'listMembers'> = {}, options?: CallOptions) =>
      send(
        (signal) => raw.GET('/api/nbhds/{nbhd_id}/members', { params: { path: { nbhd_id: nbhdId }, query }, signal }),
        options,
      ),

    /** Every member of a neighborhood, fetching pages (by `next_cursor`) as you iterate. */
    iterateMembers: (
      nbhdId: string,
      query: QueryOf<'listMembers'> = {},
      options?: CallOptions,
    ): AsyncGenerator<Member, void, undefined> =>
      followCursor(query.cursor, async (cursor) => {
        const data = await send(
          (signal) =>
            raw.GET('/api/nbhds/{nbhd_id}/members', {
              params: { path: { nbhd_id: nbhdId }, query: { ...query, cursor } },
              signal,
            }),
          options,
        );
        return { items: data.members, nextCursor: data.next_cursor };
      }),
  };
}
