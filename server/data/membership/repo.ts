import { QueryCommand } from 'dynamodb-toolbox/table/actions/query';
import { ApiError } from '../../errors.js';
import { deferMethods } from '../deferred-methods.js';
import { runWithFaultHandling } from '../faults/fault-handling.js';
import { createNeighborhoodBatchGetter } from '../neighborhood/batch-get.js';
import { fromNeighborhoodPartition, isNeighborhoodItem, toNeighborhoodPartition } from '../neighborhood/keys.js';
import { createPartitionQuery, toMembersScope } from '../neighborhood/repo.js';
import type { RepoDeps } from '../repo-deps.js';
import { type MemberRecord, type NbhdRecord, type Page, toMemberRecord } from '../shapes.js';
import { takeQueryPage } from '../table/query-page.js';
import { createQueryTemplate } from '../table/unformatted-query.js';
import { isMembershipItem, toUserMembershipsKey } from './keys.js';

const toMyNeighborhoodsScope = (userId: string) => `my:${userId}`;

export const notFound = (id: string) => new ApiError('not-found', `Neighborhood ${id} not found.`);

/** Joining, leaving and listing memberships; joins and leaves move member_count in the same transaction. */
export function createMembershipRepo(deps: RepoDeps) {
  const { entities, cursors, retryPolicy } = deps;
  const run = <T>(operation: () => Promise<T>) => runWithFaultHandling(operation, retryPolicy);
  const getNeighborhoods = createNeighborhoodBatchGetter(deps);
  const queryPartition = createPartitionQuery(entities);
  // Joins and leaves load their transaction code on the first one (writes.ts).
  const writes = deferMethods(() => import('../write-side.js').then((module) => module.createMembershipWrites(deps)), {
    joinNeighborhood: true,
    leaveNeighborhood: true,
  });
  const queryUserMemberships = createQueryTemplate((partition) =>
    entities.table
      .build(QueryCommand)
      // No entity filter: the index projects keys only, not the entity tag.
      .query({ index: 'GSI3', partition })
      .options({ reverse: true }),
  );

  return {
    ...writes,

    /**
     * One query on LSI1, descending like the detail page: members newest joined first, in one total order
     * (joined_at, then the DID's digest) that cursors continue. A member who joins meanwhile sorts above the
     * cursor and one who leaves simply drops out, so pages never repeat or skip anyone. The first page also
     * reads the METADATA item (it sorts first), which tells an empty neighborhood from a missing one.
     */
    async listMembers(nbhdId: string, options: { limit: number; cursor?: string }): Promise<Page<MemberRecord>> {
      const scope = toMembersScope(nbhdId);
      const startKey = options.cursor ? cursors.decode(scope, options.cursor) : undefined;
      const pageSize = options.limit + (startKey ? 0 : 1);
      // One item past the page (and the metadata on the first) tells a full last page from one with more.
      const page = await run(() =>
        queryPartition(toNeighborhoodPartition(nbhdId), { limit: pageSize + 1, exclusiveStartKey: startKey }),
      );
      const { items, lastKey } = takeQueryPage(page, pageSize, 'LSI1');
      if (!startKey && !isNeighborhoodItem(items[0])) throw notFound(nbhdId);
      const members = items.flatMap((item) => (isMembershipItem(item) ? [toMemberRecord(item as MemberRecord)] : []));
      return { items: members, nextCursor: lastKey ? cursors.encode(scope, lastKey) : null };
    },

    /**
     * The user's memberships from GSI3 (newest joined first; keys only, the neighborhood id is in `PK`),
     * then their neighborhoods in one BatchGet.
     */
    async listMyNeighborhoods(userId: string, options: { limit: number; cursor?: string }): Promise<Page<NbhdRecord>> {
      const scope = toMyNeighborhoodsScope(userId);
      const startKey = options.cursor ? cursors.decode(scope, options.cursor) : undefined;
      const page = await run(() =>
        queryUserMemberships(toUserMembershipsKey(userId), { limit: options.limit + 1, exclusiveStartKey: startKey }),
      );
      const { items, lastKey } = takeQueryPage(page, options.limit, 'GSI3');
      const ids = items.map((item) => fromNeighborhoodPartition(String(item.PK)));
      const byId = ids.length > 0 ? await getNeighborhoods(ids) : new Map<string, NbhdRecord>();
      return {
        // A membership whose neighborhood is being deleted has no neighborhood to show.
        items: ids.flatMap((id) => byId.get(id) ?? []),
        nextCursor: lastKey ? cursors.encode(scope, lastKey) : null,
      };
    },
  };
}

export type MembershipRepo = ReturnType<typeof createMembershipRepo>;
