import { BatchGetRequest } from 'dynamodb-toolbox/entity/actions/batchGet';
import { DeleteTransaction } from 'dynamodb-toolbox/entity/actions/transactDelete';
import { PutTransaction } from 'dynamodb-toolbox/entity/actions/transactPut';
import { UpdateTransaction } from 'dynamodb-toolbox/entity/actions/transactUpdate';
import { execute as executeTransaction } from 'dynamodb-toolbox/entity/actions/transactWrite';
import { $add } from 'dynamodb-toolbox/entity/actions/update';
import { BatchGetCommand, execute as executeBatchGet } from 'dynamodb-toolbox/table/actions/batchGet';
import { QueryCommand } from 'dynamodb-toolbox/table/actions/query';
import { ApiError } from '../errors.js';
import type { PageKey } from './cursor.js';
import { isConditionFailedAt, runWithFaultHandling } from './dynamodb-faults.js';
import { toNeighborhoodPartition } from './neighborhood.js';
import { toMembersScope } from './neighborhood-repo.js';
import type { RepoDeps } from './repo-deps.js';
import {
  type MemberRecord,
  type NbhdRecord,
  type Page,
  sortMembersNewestFirst,
  toMemberRecord,
  toNbhdRecord,
} from './shapes.js';

const toMyNeighborhoodsScope = (userId: string) => `my:${userId}`;
/** Rounds of BatchGet for keys DynamoDB left unprocessed (it does so under load), with jittered backoff. */
const batchGetRounds = 5;

const notFound = (id: string) => new ApiError('not-found', `Neighborhood ${id} not found.`);

/** Joining, leaving and listing memberships; joins and leaves move member_count in the same transaction. */
export function createMembershipRepo(deps: RepoDeps) {
  const { entities, cursors, now, generateId, retryPolicy } = deps;
  const run = <T>(operation: () => Promise<T>) => runWithFaultHandling(operation, retryPolicy);

  /** Neighborhoods by id in one BatchGet (≤ 100 keys), re-asking only for keys left unprocessed. */
  async function getNeighborhoods(ids: string[]): Promise<Map<string, NbhdRecord>> {
    const found = new Map<string, NbhdRecord>();
    let pending = ids;
    for (let round = 1; pending.length > 0; round += 1) {
      const requests = pending.map((id) => entities.neighborhoods.build(BatchGetRequest).key({ id }));
      const response = await run(() =>
        executeBatchGet(
          entities.table
            .build(BatchGetCommand)
            .requests(...requests)
            .options({ consistent: false }),
        ),
      );
      for (const item of response.Responses[0] ?? []) if (item) found.set(item.id, toNbhdRecord(item));
      const unprocessed = Object.values(response.UnprocessedKeys ?? {}).flatMap((entry) => entry.Keys ?? []);
      pending = pending.filter((id) =>
        unprocessed.some((key) => key.PK === toNeighborhoodPartition(id) && !found.has(id)),
      );
      if (pending.length === 0) break;
      if (round >= batchGetRounds) {
        throw new ApiError('service-unavailable', 'The database is over capacity; retry shortly.', { retryAfter: 1 });
      }
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 25 * 2 ** round));
    }
    return found;
  }

  return {
    /** Membership + member_count + 1 in one transaction; the neighborhood must exist and not be deleting. */
    async joinNeighborhood(nbhdId: string, userId: string): Promise<void> {
      try {
        await run(() =>
          executeTransaction(
            entities.memberships
              .build(PutTransaction)
              .item({ nbhd_id: nbhdId, user_id: userId, id: generateId(), joined_at: now().toISOString() })
              .options({ condition: { attr: 'id', exists: false } }),
            entities.neighborhoods
              .build(UpdateTransaction)
              .item({ id: nbhdId, member_count: $add(1) })
              .options({
                condition: {
                  and: [
                    { attr: 'id', exists: true },
                    { attr: 'deleting_at', exists: false },
                  ],
                },
              }),
          ),
        );
      } catch (error) {
        if (isConditionFailedAt(error, 1)) throw notFound(nbhdId);
        if (isConditionFailedAt(error, 0)) {
          throw new ApiError('already-member', 'You are already a member of this neighborhood.');
        }
        throw error;
      }
    },

    /** Membership out + member_count − 1 in one transaction. */
    async leaveNeighborhood(nbhdId: string, userId: string): Promise<void> {
      try {
        await run(() =>
          executeTransaction(
            entities.memberships
              .build(DeleteTransaction)
              .key({ nbhd_id: nbhdId, user_id: userId })
              .options({ condition: { attr: 'id', exists: true } }),
            entities.neighborhoods
              .build(UpdateTransaction)
              .item({ id: nbhdId, member_count: $add(-1) })
              .options({ condition: { attr: 'id', exists: true } }),
          ),
        );
      } catch (error) {
        if (isConditionFailedAt(error, 1)) throw notFound(nbhdId);
        if (isConditionFailedAt(error, 0)) {
          throw new ApiError('not-a-member', 'You are not a member of this neighborhood.');
        }
        throw error;
      }
    },

    /**
     * One query on the neighborhood's partition, descending like the detail page. The first page also reads
     * the METADATA item (it sorts first), which tells an empty neighborhood from a missing one.
     */
    async listMembers(nbhdId: string, options: { limit: number; cursor?: string }): Promise<Page<MemberRecord>> {
      const scope = toMembersScope(nbhdId);
      const startKey = options.cursor ? cursors.decode(scope, options.cursor) : undefined;
      const page = await run(() =>
        entities.table
          .build(QueryCommand)
          .entities(entities.neighborhoods, entities.memberships)
          .query({ partition: toNeighborhoodPartition(nbhdId) })
          .options({ reverse: true, limit: options.limit + (startKey ? 0 : 1), exclusiveStartKey: startKey })
          .send(),
      );
      const items = page.Items ?? [];
      if (!startKey && !items.some((item) => 'member_count' in item)) throw notFound(nbhdId);
      const members = sortMembersNewestFirst(
        items.flatMap((item) => ('joined_at' in item ? [toMemberRecord(item)] : [])),
      );
      const lastKey = page.LastEvaluatedKey as PageKey | undefined;
      return { items: members, nextCursor: lastKey ? cursors.encode(scope, lastKey) : null };
    },

    /** The user's memberships from GSI3 (newest joined first), then their neighborhoods in one BatchGet. */
    async listMyNeighborhoods(userId: string, options: { limit: number; cursor?: string }): Promise<Page<NbhdRecord>> {
      const scope = toMyNeighborhoodsScope(userId);
      const startKey = options.cursor ? cursors.decode(scope, options.cursor) : undefined;
      const page = await run(() =>
        entities.table
          .build(QueryCommand)
          .entities(entities.memberships)
          .query({ index: 'GSI3', partition: userId })
          .options({ reverse: true, limit: options.limit, exclusiveStartKey: startKey })
          .send(),
      );
      const ids = (page.Items ?? []).map((item) => item.nbhd_id);
      const byId = ids.length > 0 ? await getNeighborhoods(ids) : new Map<string, NbhdRecord>();
      const lastKey = page.LastEvaluatedKey as PageKey | undefined;
      return {
        // A membership whose neighborhood is being deleted has no neighborhood to show.
        items: ids.flatMap((id) => byId.get(id) ?? []),
        nextCursor: lastKey ? cursors.encode(scope, lastKey) : null,
      };
    },
  };
}

export type MembershipRepo = ReturnType<typeof createMembershipRepo>;
