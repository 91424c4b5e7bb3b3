import { QueryCommand } from 'dynamodb-toolbox/table/actions/query';
import { ApiError } from '../../errors.js';
import { deferMethods } from '../deferred-methods.js';
import { runWithFaultHandling } from '../faults/fault-handling.js';
import type { IdempotencyRequest } from '../idempotency/repo.js';
import { isMembershipItem } from '../membership/keys.js';
import type { RepoDeps } from '../repo-deps.js';
import {
  type MemberRecord,
  type NbhdDetailRecord,
  type NbhdRecord,
  type Page,
  type StoredNeighborhood,
  toMemberRecord,
  toNbhdRecord,
} from '../shapes.js';
import { takeQueryPage } from '../table/query-page.js';
import { createQueryTemplate } from '../table/unformatted-query.js';
import { createNeighborhoodBatchGetter } from './batch-get.js';
import { isNeighborhoodItem, toNeighborhoodPartition } from './keys.js';
import { createNeighborhoodLister } from './list.js';

/** The detail page shows the metadata item plus this many members (one query of at most 102 items). */
export const detailMemberLimit = 100;

export { neighborhoodListScope } from './list.js';
export const toMembersScope = (nbhdId: string) => `members:${nbhdId}`;

export interface CreateNeighborhoodInput {
  userId: string;
  name: string;
  description?: string | null;
  idempotency?: IdempotencyRequest;
}

export interface CreateNeighborhoodResult {
  nbhd: NbhdRecord;
  replayed: boolean;
}

/** A neighborhood's partition on LSI1, descending: its metadata item, then its members newest joined first. */
export function createPartitionQuery(entities: RepoDeps['entities']) {
  return createQueryTemplate((partition) =>
    entities.table
      .build(QueryCommand)
      .entities(entities.neighborhoods, entities.memberships)
      .query({ index: 'LSI1', partition })
      .options({ reverse: true }),
  );
}

/**
 * Reads and creates neighborhoods. Each method is one DynamoDB call, except the list (a query per GSI1 shard
 * plus a batch get) and a create with an Idempotency-Key (one consistent read of the key's record first).
 */
export function createNeighborhoodRepo(deps: RepoDeps) {
  const { entities, cursors, retryPolicy } = deps;
  const getNeighborhoods = createNeighborhoodBatchGetter(deps);
  const listNeighborhoodIds = createNeighborhoodLister(deps);
  const queryPartition = createPartitionQuery(entities);
  // A create loads its transaction code on the first one (create.ts).
  const writes = deferMethods(
    () => import('../write-side.js').then((module) => module.createNeighborhoodWrites(deps)),
    {
      createNeighborhood: true,
    },
  );

  return {
    ...writes,

    /**
     * Newest first: one query per GSI1 shard (keys only, so joins never write to it; see list.ts),
     * then one BatchGetItem of the page's metadata items for the rest (member_count changes with every join).
     * `skip` (legacy) is served by reading past the first `skip` index entries.
     */
    async listNeighborhoods(options: { limit: number; cursor?: string; skip?: number }): Promise<Page<NbhdRecord>> {
      const { ids, nextCursor } = await listNeighborhoodIds(options);
      const byId = ids.length > 0 ? await getNeighborhoods(ids) : new Map<string, NbhdRecord>();
      // A neighborhood deleted between the two reads is left out.
      return { items: ids.flatMap((id) => byId.get(id) ?? []), nextCursor };
    },

    /**
     * One query on LSI1, descending: `METADATA` sorts above every `MEMBER#{joined_at}#…`, so it comes first,
     * followed by the 100 members who joined last, newest first (and the 101st, if any, for the cursor).
     */
    async getNeighborhoodDetail(id: string): Promise<NbhdDetailRecord> {
      const page = await runWithFaultHandling(
        // The metadata, the page's members and one more, which tells whether a next page exists.
        () => queryPartition(toNeighborhoodPartition(id), { limit: detailMemberLimit + 2 }),
        retryPolicy,
      );
      const { items, lastKey } = takeQueryPage(page, detailMemberLimit + 1, 'LSI1');
      const [first, ...rest] = items;
      if (!isNeighborhoodItem(first)) throw new ApiError('not-found', `Neighborhood ${id} not found.`);
      const members: MemberRecord[] = rest.flatMap((item) =>
        isMembershipItem(item) ? [toMemberRecord(item as MemberRecord)] : [],
      );
      return {
        ...toNbhdRecord(first as StoredNeighborhood),
        members,
        members_next_cursor: lastKey && members.length > 0 ? cursors.encode(toMembersScope(id), lastKey) : null,
      };
    },
  };
}

export type NeighborhoodRepo = ReturnType<typeof createNeighborhoodRepo>;
