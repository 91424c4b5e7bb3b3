import { PutTransaction } from 'dynamodb-toolbox/entity/actions/transactPut';
import type { RepoDeps } from '../repo-deps.js';
import { createCommandTemplate } from '../table/command-template.js';
import { toSentItem } from '../table/named-transaction.js';
import { normalizeName, toListShard, toNameClaimKey } from './keys.js';

/**
 * The transaction items of a create, as the toolbox builds them, through command templates
 * (table/command-template.ts): built by the toolbox once, filled in per call.
 */
export function createNeighborhoodTransactionItems(entities: RepoDeps['entities']) {
  return {
    /** A new neighborhood's metadata item (one member: its creator), unless the id is taken. */
    putNeighborhood: createCommandTemplate({
      name: 'put neighborhood',
      shape: { id: 'string', name: 'string', description: 'string?', createdBy: 'string', createdAt: 'string' },
      derive: { shard: ({ id }) => toListShard(id) },
      build: (v) =>
        toSentItem(
          entities.neighborhoods
            .build(PutTransaction)
            .item({
              id: v.id,
              name: v.name,
              ...(v.description !== undefined ? { description: v.description } : {}),
              created_by: v.createdBy,
              created_at: v.createdAt,
              member_count: 1,
            })
            .options({ condition: { attr: 'id', exists: false } })
            .params(),
        ),
    }),
    /** The claim on a name (in its normalized form), unless another neighborhood holds it. */
    putNameClaim: createCommandTemplate({
      name: 'put name claim',
      shape: { name: 'string', nbhdId: 'string' },
      derive: {
        normalizedName: ({ name }) => normalizeName(name),
        claimKey: ({ name }) => toNameClaimKey(name).PK,
      },
      build: (v) =>
        toSentItem(
          entities.nameClaims
            .build(PutTransaction)
            .item({ name: v.name, nbhd_id: v.nbhdId })
            .options({ condition: { attr: 'nbhd_id', exists: false } })
            .params(),
        ),
    }),
  };
}
