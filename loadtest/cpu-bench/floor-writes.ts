/**
 * The floor's writes: per operation the same TransactWriteItems / Query commands, items and expressions as the
 * app's data layer (server/data/neighborhood/create.ts, delete.ts, membership/writes.ts, quota/quota-guard.ts),
 * written out by hand.
 */
import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import {
  entityFilter,
  type Item,
  isNeighborhoodItem,
  membershipSortKeyPrefix,
  metadataMemberOrder,
  toIdempotencyKey,
  toMembership,
  toMembershipKey,
  toNameKey,
  toNeighborhoodKey,
  toPartition,
  toQuotaUpdate,
  toShard,
} from './floor-keys.js';

export function createFloorWrites(client: DynamoDBDocumentClient, table: string) {
  /** member_count ± 1 as the toolbox writes it; a join also requires the neighborhood not to be deleting. */
  const countUpdate = (nbhdId: string, delta: 1 | -1) => ({
    Update: {
      TableName: table,
      Key: toNeighborhoodKey(nbhdId),
      UpdateExpression: 'SET #id = :id, #et = if_not_exists(#et, :et) ADD #c :delta',
      ConditionExpression: delta > 0 ? 'attribute_exists(#id) AND attribute_not_exists(#d)' : 'attribute_exists(#id)',
      ExpressionAttributeNames: {
        '#c': 'member_count',
        '#et': '_et',
        '#id': 'id',
        ...(delta > 0 ? { '#d': 'deleting_at' } : {}),
      },
      ExpressionAttributeValues: { ':id': nbhdId, ':delta': delta, ':et': 'NBHD' },
    },
  });
  return {
    /** Neighborhood + name claim + creator membership (+ idempotency record) + the creates quota in one TransactWriteItems. */
    async create(did: string, name: string, description: string | undefined, idem?: { key: string; hash: string }) {
      const id = randomUUID();
      const createdAt = new Date().toISOString();
      const nbhd = {
        id,
        name,
        description: description ?? null,
        created_by: did,
        created_at: createdAt,
        updated_at: null,
        member_count: 1,
      };
      const nowSeconds = Math.floor(Date.now() / 1000);
      const put = (Item: Item, ConditionExpression: string, names: Record<string, string>, values?: Item) => ({
        Put: {
          TableName: table,
          Item,
          ConditionExpression,
          ExpressionAttributeNames: names,
          ...(values ? { ExpressionAttributeValues: values } : {}),
        },
      });
      await client.send(
        new TransactWriteCommand({
          TransactItems: [
            put(
              {
                ...toNeighborhoodKey(id),
                id,
                name,
                description,
                created_by: did,
                created_at: createdAt,
                member_count: 1,
                member_order: metadataMemberOrder,
                entity_type: toShard(id),
                _et: 'NBHD',
              },
              'attribute_not_exists(#id)',
              { '#id': 'id' },
            ),
            put(
              {
                ...toNameKey(name),
                name,
                nbhd_id: id,
                normalized_name: name.normalize('NFKC').toLowerCase(),
                _et: 'NAME',
              },
              'attribute_not_exists(#n)',
              { '#n': 'nbhd_id' },
            ),
            put(toMembership(id, did, createdAt), 'attribute_not_exists(#id)', { '#id': 'id' }),
            ...(idem
              ? [
                  put(
                    {
                      ...toIdempotencyKey(did, idem.key),
                      did,
                      key: idem.key,
                      request_hash: idem.hash,
                      response: JSON.stringify({ status: 201, body: nbhd }),
                      expires_at: nowSeconds + 86_400,
                      _et: 'IDEMPOTENCY',
                    },
                    'attribute_not_exists(#h) OR #e <= :now',
                    { '#h': 'request_hash', '#e': 'expires_at' },
                    { ':now': nowSeconds },
                  ),
                ]
              : []),
            toQuotaUpdate(table, did, 'create'),
          ],
        }),
      );
      return nbhd;
    },
    /** Membership put + member_count + 1 (neighborhood exists, not deleting) + the two membership quotas. */
    join: (nbhdId: string, did: string) =>
      client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: table,
                Item: toMembership(nbhdId, did, new Date().toISOString()),
                ConditionExpression: 'attribute_not_exists(#id)',
                ExpressionAttributeNames: { '#id': 'id' },
              },
            },
            countUpdate(nbhdId, 1),
            toQuotaUpdate(table, did, 'membership'),
            toQuotaUpdate(table, did, 'membership-nbhd', nbhdId),
          ],
        }),
      ),
    /** Membership delete + member_count − 1 + the two membership quotas. */
    leave: (nbhdId: string, did: string) =>
      client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Delete: {
                TableName: table,
                Key: toMembershipKey(nbhdId, did),
                ConditionExpression: 'attribute_exists(#id)',
                ExpressionAttributeNames: { '#id': 'id' },
              },
            },
            countUpdate(nbhdId, -1),
            toQuotaUpdate(table, did, 'membership'),
            toQuotaUpdate(table, did, 'membership-nbhd', nbhdId),
          ],
        }),
      ),
    /**
     * Mark deleting (creator only) with the deletes quota in one transaction, query ≤ 98 items of the partition (its
     * members, then the metadata with the name), one transaction deleting them, the item and its name claim.
     */
    async remove(nbhdId: string, did: string) {
      await client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: table,
                Key: toNeighborhoodKey(nbhdId),
                UpdateExpression: 'SET #id = :id, #d = :now, #et = if_not_exists(#et, :et) REMOVE #type',
                ConditionExpression: '#by = :did',
                ExpressionAttributeNames: {
                  '#id': 'id',
                  '#d': 'deleting_at',
                  '#et': '_et',
                  '#type': 'entity_type',
                  '#by': 'created_by',
                },
                ExpressionAttributeValues: {
                  ':id': nbhdId,
                  ':now': new Date().toISOString(),
                  ':et': 'NBHD',
                  ':did': did,
                },
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            },
            toQuotaUpdate(table, did, 'delete'),
          ],
        }),
      );
      const page = await client.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: '#pk = :pk',
          ...entityFilter,
          ExpressionAttributeNames: { '#pk': 'PK', ...entityFilter.ExpressionAttributeNames },
          ExpressionAttributeValues: { ':pk': toPartition(nbhdId), ...entityFilter.ExpressionAttributeValues },
          Limit: 98,
          ConsistentRead: true,
        }),
      );
      const items = page.Items ?? [];
      const members = items.filter((item) => String(item.SK).startsWith(membershipSortKeyPrefix));
      const name = String(items.find((item) => isNeighborhoodItem(item))?.name);
      await client.send(
        new TransactWriteCommand({
          TransactItems: [
            ...members.map((member) => ({
              Delete: {
                TableName: table,
                Key: toMembershipKey(nbhdId, String(member.user_id)),
                ConditionExpression: 'attribute_exists(#id)',
                ExpressionAttributeNames: { '#id': 'id' },
              },
            })),
            {
              Delete: {
                TableName: table,
                Key: toNeighborhoodKey(nbhdId),
                ConditionExpression: '#c = :n',
                ExpressionAttributeNames: { '#c': 'member_count' },
                ExpressionAttributeValues: { ':n': members.length },
              },
            },
            {
              Delete: {
                TableName: table,
                Key: toNameKey(name),
                ConditionExpression: '#id = :id',
                ExpressionAttributeNames: { '#id': 'nbhd_id' },
                ExpressionAttributeValues: { ':id': nbhdId },
              },
            },
          ],
        }),
      );
    },
  };
}
