/**
 * The floor's reads: per operation the same DocumentClient commands as the app's data layer
 * (server/data/neighborhood/repo.ts, list.ts, membership/repo.ts; docs/server.md's calls table).
 */
import { BatchGetCommand, type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  entityFilter,
  shards,
  toIdempotencyKey,
  toNeighborhoodKey,
  toPartition,
  toUserMembershipsKey,
} from './floor-keys.js';

export function createFloorReads(client: DynamoDBDocumentClient, table: string) {
  const batchGet = async (ids: string[]) => {
    if (ids.length === 0) return [];
    const out = await client.send(
      new BatchGetCommand({
        RequestItems: {
          [table]: { Keys: ids.map(toNeighborhoodKey), ConsistentRead: false },
        },
      }),
    );
    const byId = new Map((out.Responses?.[table] ?? []).map((item) => [item.id as string, item]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  };
  const queryLsi = (nbhdId: string, limit: number) =>
    client.send(
      new QueryCommand({
        TableName: table,
        IndexName: 'LSI1',
        KeyConditionExpression: '#pk = :pk',
        ...entityFilter,
        ExpressionAttributeNames: { ...entityFilter.ExpressionAttributeNames, '#pk': 'PK' },
        ExpressionAttributeValues: { ...entityFilter.ExpressionAttributeValues, ':pk': toPartition(nbhdId) },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
  const queryKeys = (index: string, attr: string, value: string, limit: number) =>
    client.send(
      new QueryCommand({
        TableName: table,
        IndexName: index,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': attr },
        ExpressionAttributeValues: { ':pk': value },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );

  return {
    /** A Query per GSI1 shard (limit + 1), merged newest first, then one BatchGetItem. */
    async list(limit: number) {
      const pages = await Promise.all(shards.map((shard) => queryKeys('GSI1', 'entity_type', shard, limit + 1)));
      const keys = pages.flatMap((page) => page.Items ?? []);
      keys.sort((a, b) => String(b.created_at).localeCompare(String(a.created_at)));
      const ids = keys.slice(0, limit).map((key) => String(key.PK).slice(5));
      return { items: await batchGet(ids), more: keys.length > limit };
    },
    /** One Query on LSI1: METADATA first, then members newest first. */
    queryPartition: queryLsi,
    /** A Query on GSI3 (limit + 1), then one BatchGetItem. */
    async listMine(did: string, limit: number) {
      const page = await queryKeys('GSI3', 'user_key', toUserMembershipsKey(did), limit + 1);
      const ids = (page.Items ?? []).slice(0, limit).map((key) => String(key.PK).slice(5));
      return { items: await batchGet(ids), more: (page.Items?.length ?? 0) > limit };
    },
    getIdempotency: (did: string, key: string) =>
      client.send(new GetCommand({ TableName: table, Key: toIdempotencyKey(did, key), ConsistentRead: true })),
  };
}
