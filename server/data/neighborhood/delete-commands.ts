import type { UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { DeleteTransaction } from 'dynamodb-toolbox/entity/actions/transactDelete';
import { UpdateTransaction } from 'dynamodb-toolbox/entity/actions/transactUpdate';
import { $add, $remove, UpdateItemCommand } from 'dynamodb-toolbox/entity/actions/update';
import { QueryCommand } from 'dynamodb-toolbox/table/actions/query';
import { membershipSortKeyPrefix } from '../membership/keys.js';
import type { RepoDeps } from '../repo-deps.js';
import { createCommandTemplate } from '../table/command-template.js';
import { toSentItem } from '../table/named-transaction.js';
import { createQueryTemplate } from '../table/unformatted-query.js';
import { toNameClaimKey } from './keys.js';

/** 100 items per transaction: the last one also deletes the neighborhood and its name claim. */
export const deleteBatchSize = 98;

/**
 * The commands of a delete (delete.ts), as the toolbox builds them, through command templates
 * (table/command-template.ts) and a query template: built by the toolbox once, filled in per call.
 */
export function createDeleteCommands(entities: RepoDeps['entities']) {
  return {
    /** Marks a neighborhood deleting and takes it off GSI1, if `userId` created it; answers its new image. */
    markDeleting: createCommandTemplate({
      name: 'mark deleting',
      shape: { id: 'string', userId: 'string', now: 'string' },
      build: (v) => {
        const { ToolboxItem: _parsed, ...input } = entities.neighborhoods
          .build(UpdateItemCommand)
          // Leaving GSI1 here, outside a transaction, costs that one global key 1 WCU instead of the 2 the
          // final transactional delete would.
          .item({ id: v.id, deleting_at: v.now, entity_type: $remove() })
          .options({
            condition: { attr: 'created_by', eq: v.userId },
            returnValues: 'ALL_NEW',
            returnValuesOnConditionFalse: 'ALL_OLD',
          })
          .params() as UpdateCommandInput & { ToolboxItem?: unknown };
        return input;
      },
    }),
    /** Up to a batch of a neighborhood's memberships, read consistently (only their keys' values are used). */
    queryMembers: createQueryTemplate((partition) =>
      entities.table
        .build(QueryCommand)
        .entities(entities.memberships)
        .query({ partition, range: { beginsWith: membershipSortKeyPrefix } })
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
