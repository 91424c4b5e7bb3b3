import { PutTransaction } from 'dynamodb-toolbox/entity/actions/transactPut';
import { execute as executeTransaction } from 'dynamodb-toolbox/entity/actions/transactWrite';
import { QueryCommand } from 'dynamodb-toolbox/table/actions/query';
import { ApiError } from '../errors.js';
import type { PageKey } from './cursor.js';
import { isConditionFailedAt, runWithFaultHandling } from './dynamodb-faults.js';
import { createIdempotencyRepo, type IdempotencyRequest } from './idempotency-repo.js';
import { membershipSortKeyPrefix } from './membership.js';
import { neighborhoodEntityType, toNeighborhoodPartition } from './neighborhood.js';
import type { RepoDeps } from './repo-deps.js';
import {
  type MemberRecord,
  type NbhdDetailRecord,
  type NbhdRecord,
  type Page,
  type StoredNeighborhood,
  sortMembersNewestFirst,
  toMemberRecord,
  toNbhdRecord,
} from './shapes.js';
import { sendUnformattedQuery } from './unformatted-query.js';

/** The detail page shows the metadata item plus this many members (one query of at most 101 items). */
export const detailMemberLimit = 100;

export const neighborhoodListScope = 'nbhds';
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

/**
 * Reads and creates neighborhoods. Each method is one DynamoDB call (create with an Idempotency-Key adds one
 * consistent read of the key's record).
 */
export function createNeighborhoodRepo(deps: RepoDeps) {
  const { entities, cursors, now, generateId, retryPolicy } = deps;
  const idempotency = createIdempotencyRepo(deps);

  return {
    /** Newest first from GSI1; `skip` (legacy) is served by reading past the first `skip` items. */
    async listNeighborhoods(options: { limit: number; cursor?: string; skip?: number }): Promise<Page<NbhdRecord>> {
      const startKey = options.cursor ? cursors.decode(neighborhoodListScope, options.cursor) : undefined;
      const skip = startKey ? 0 : (options.skip ?? 0);
      const wanted = skip + options.limit;
      const items: NbhdRecord[] = [];
      let exclusiveStartKey: PageKey | undefined = startKey;
      // One query unless `skip` pushes the read past DynamoDB's 1 MB page.
      do {
        const page = await runWithFaultHandling(
          () =>
            sendUnformattedQuery(
              entities.table
                .build(QueryCommand)
                .entities(entities.neighborhoods)
                .query({ index: 'GSI1', partition: neighborhoodEntityType })
                .options({ reverse: true, limit: wanted - items.length, exclusiveStartKey }),
            ),
          retryPolicy,
        );
        items.push(...(page.Items ?? []).map((item) => toNbhdRecord(item as StoredNeighborhood)));
        exclusiveStartKey = page.LastEvaluatedKey as PageKey | undefined;
      } while (exclusiveStartKey && items.length < wanted);
      return {
        items: items.slice(skip),
        nextCursor: exclusiveStartKey ? cursors.encode(neighborhoodListScope, exclusiveStartKey) : null,
      };
    },

    /**
     * One query on the neighborhood's partition, descending: `METADATA` sorts after every `MEMBER#…`, so it
     * comes first, followed by up to 100 members.
     */
    async getNeighborhoodDetail(id: string): Promise<NbhdDetailRecord> {
      const page = await runWithFaultHandling(
        () =>
          sendUnformattedQuery(
            entities.table
              .build(QueryCommand)
              .entities(entities.neighborhoods, entities.memberships)
              .query({ partition: toNeighborhoodPartition(id) })
              .options({ reverse: true, limit: detailMemberLimit + 1 }),
          ),
        retryPolicy,
      );
      const [first, ...rest] = page.Items ?? [];
      if (first?.SK !== 'METADATA') throw new ApiError('not-found', `Neighborhood ${id} not found.`);
      const members: MemberRecord[] = sortMembersNewestFirst(
        rest.flatMap((item) =>
          String(item.SK).startsWith(membershipSortKeyPrefix) ? [toMemberRecord(item as MemberRecord)] : [],
        ),
      );
      const lastKey = page.LastEvaluatedKey as PageKey | undefined;
      return {
        ...toNbhdRecord(first as StoredNeighborhood),
        members,
        members_next_cursor: lastKey && members.length > 0 ? cursors.encode(toMembersScope(id), lastKey) : null,
      };
    },

    /** Neighborhood + name claim + creator membership (+ idempotency record) in one transaction. */
    async createNeighborhood(input: CreateNeighborhoodInput): Promise<CreateNeighborhoodResult> {
      if (input.idempotency) {
        const stored = await idempotency.findResponse<NbhdRecord>(input.userId, input.idempotency);
        if (stored) return { nbhd: stored.body, replayed: true };
      }
      const id = generateId();
      const createdAt = now().toISOString();
      const nbhd: NbhdRecord = {
        id,
        name: input.name,
        description: input.description ?? null,
        created_by: input.userId,
        created_at: createdAt,
        updated_at: null,
        member_count: 1,
      };
      const transactions = [
        entities.neighborhoods
          .build(PutTransaction)
          .item({
            id,
            name: input.name,
            ...(input.description != null ? { description: input.description } : {}),
            created_by: input.userId,
            created_at: createdAt,
            member_count: 1,
          })
          .options({ condition: { attr: 'id', exists: false } }),
        entities.nameClaims
          .build(PutTransaction)
          .item({ name: input.name, nbhd_id: id })
          .options({ condition: { attr: 'nbhd_id', exists: false } }),
        entities.memberships
          .build(PutTransaction)
          .item({ nbhd_id: id, user_id: input.userId, id: generateId(), joined_at: createdAt })
          .options({ condition: { attr: 'id', exists: false } }),
        ...(input.idempotency
          ? [idempotency.buildPutTransaction(input.userId, input.idempotency, { status: 201, body: nbhd })]
          : []),
      ];
      try {
        await runWithFaultHandling(() => executeTransaction(...transactions), retryPolicy);
      } catch (error) {
        // Checked before the name: a concurrent retry with the same key also collides on the same name.
        if (input.idempotency && isConditionFailedAt(error, 3)) {
          const stored = await idempotency.findResponse<NbhdRecord>(input.userId, input.idempotency);
          if (stored) return { nbhd: stored.body, replayed: true };
        }
        if (isConditionFailedAt(error, 1)) {
          throw new ApiError('name-taken', `A neighborhood named "${input.name}" already exists.`);
        }
        throw error;
      }
      return { nbhd, replayed: false };
    },
  };
}

export type NeighborhoodRepo = ReturnType<typeof createNeighborhoodRepo>;
