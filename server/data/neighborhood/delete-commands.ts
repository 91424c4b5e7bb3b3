import { DeleteTransaction } from 'dynamodb-toolbox/entity/actions/transactDelete';
import { UpdateTransaction } from 'dynamodb-toolbox/entity/actions/transactUpdate';
import { $add, $remove } from 'dynamodb-toolbox/entity/actions/update';
import { QueryCommand } from 'dynamodb-toolbox/table/actions/query';
import type { RepoDeps } from '../repo-deps.js';
import { createCommandTemplate } from '../table/command-template.js';
import { toSentItem } from '../table/named-transaction.js';
import { createQueryTemplate } from '../table/unformatted-query.js';
import { toNameClaimKey } from './keys.js';

/**
 * Items per query page (memberships, and on the last page the metadata item): with the count change, or the
 * neighborhood's and its name claim's deletes, a transaction stays within 100 items.
 */
export const deleteBatchSize = 98;

/**
 * The commands of a delete (delete.ts), as the toolbox builds them, through command templates
 * (table/command-template.ts) and a query template: built by the toolbox once, filled in per call.
 */
export function createDeleteCommands(entities: RepoDeps['entities']) {
  return {
    /**
     * Marks a neighborhood deleting and takes it off GSI1, if `userId` created it: a transaction item, sent with the
     * deletes quota. A failed condition returns the old image, which tells 403 (it exists) from 404.
     */
    markDeleting: createCommandTemplate({
      name: 'mark deleting',
      shape: { id: 'string', userId: 'string', now: 'string' },
      build: (v) =>
        toSentItem(
          entities.neighborhoods
            .build(UpdateTransaction)
            .item({ id: v.id, deleting_at: v.now, entity_type: $remove() })
            .options({ condition: { attr: 'created_by', eq: v.userId }, returnValuesOnConditionFalse: 'ALL_OLD' })
            .params(),
        ),
    }),
    /**
     * Up to a batch of a neighborhood's partition, read consistently: memberships (`MEMBER#…`) first, then the
     * `METADATA` item, which the last page therefore holds (its name says which name claim to delete).
     */
    queryMembers: createQueryTemplate((partition) =>
      entities.table
        .build(QueryCommand)
        .entities(entities.memberships, entities.neighborhoods)
        .query({ partition })
        .options({ limit: deleteBatchSize, consistent: true }),
    ),
    /** member_count − `delta` for a batch of memberships deleted in the same transaction. */
    countDeleted: createCommandTemplate({
      name: 'count deleted members',
      shape: { id: 'string', delta: 'number' },
      build: (v) =>
        toSentItem(
          entities.neighborhoods
            .build(UpdateTransaction)
            .item({ id: v.id, member_count: $add(v.delta) })
            .params(),
        ),
    }),
    /** The metadata item, if exactly `memberCount` members are left (the ones deleted with it). */
    deleteNeighborhood: createCommandTemplate({
      name: 'delete neighborhood',
      shape: { id: 'string', memberCount: 'number' },
      build: (v) =>
        toSentItem(
          entities.neighborhoods
            .build(DeleteTransaction)
            .key({ id: v.id })
            .options({ condition: { attr: 'member_count', eq: v.memberCount } })
            .params(),
        ),
    }),
    /** The neighborhood's name claim, if it still points to it. */
    deleteNameClaim: createCommandTemplate({
      name: 'delete name claim',
      shape: { name: 'string', nbhdId: 'string' },
      derive: { claimKey: ({ name }) => toNameClaimKey(name).PK },
      build: (v) =>
        toSentItem(
          entities.nameClaims
            .build(DeleteTransaction)
            .key({ name: v.name })
            .options({ condition: { attr: 'nbhd_id', eq: v.nbhdId } })
            .params(),
        ),
    }),
  };
}
