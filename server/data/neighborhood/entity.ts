import { Entity } from 'dynamodb-toolbox/entity';
import { item } from 'dynamodb-toolbox/schema/item';
import { number } from 'dynamodb-toolbox/schema/number';
import { string } from 'dynamodb-toolbox/schema/string';
import type { AppTable } from '../table/table.js';
import { metadataMemberOrder, toListShard, toNeighborhoodKey } from './keys.js';

export const neighborhoodSchema = item({
  id: string().key(),
  name: string(),
  description: string().optional(),
  created_by: string(),
  created_at: string(),
  updated_at: string().optional(),
  member_count: number(),
  /** Set while a delete is draining memberships, so joins can no longer land. */
  deleting_at: string().optional(),
  member_order: string().const(metadataMemberOrder),
  /**
   * Stamped by replication (migration/replication/) when it changes a neighborhood, new on every such write, so
   * the stream tells its writes from the API's (which never set it). Never read by the API.
   */
  repl_txn: string().optional(),
});

const neighborhoodItemSchema = neighborhoodSchema.and((schema) => ({
  /** GSI1's partition key; removed when a delete starts, so the list drops the neighborhood at once. */
  entity_type: string()
    .optional()
    .link<typeof schema>(({ id }) => toListShard(id)),
}));

/**
 * The neighborhood entity: `NBHD#{id}` / `METADATA`. `entity_type` + `created_at` feed GSI1 (keys only: joins
 * change member_count, which must not write to that index's one partition); `member_order` puts it in LSI1.
 *
 * @example
 * const neighborhoods = createNeighborhoodEntity(table);
 * await neighborhoods.build(GetItemCommand).key({ id }).send();
 */
export function createNeighborhoodEntity(table: AppTable) {
  return new Entity({
    name: 'NBHD',
    table,
    schema: neighborhoodItemSchema,
    computeKey: ({ id }) => toNeighborhoodKey(id),
    timestamps: false,
  });
}

export type NeighborhoodEntity = ReturnType<typeof createNeighborhoodEntity>;
