/**
 * The floor's data access: per operation, the same DocumentClient commands and items as the app's data layer
 * (server/data/*-repo.ts, docs/server.md's calls table), written out by hand: no toolbox, no schema parsing.
 * Items carry toolbox's `_et` entity tag and the derived index attributes, as the app writes them.
 */
import { createHash, randomUUID } from 'node:crypto';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { toKeyDigest } from '../../server/data/key-digest.js';

type Item = Record<string, unknown>;

const shards = ['NBHD#0', 'NBHD#1'];
const toPartition = (id: string) => `NBHD#${id}`;
const toShard = (id: string) => shards[(createHash('sha256').update(id).digest()[0] as number) % shards.length];
const toMembershipKey = (nbhdId: string, did: string) => ({
  PK: toPartition(nbhdId),
  SK: `MEMBER#${toKeyDigest(did)}`,
});
const toNameKey = (name: string) => ({ PK: `NAME#${toKeyDigest(name.normalize('NFKC').toLowerCase())}`, SK: 'NAME' });
const toMembership = (nbhdId: string, did: string, joinedAt: string) => ({
  ...toMembershipKey(nbhdId, did),
  nbhd_id: nbhdId,
  user_id: did,
  id: randomUUID(),
  joined_at: joinedAt,
  member_order: `MEMBER#${joinedAt}#${toKeyDigest(did)}`,
  user_key: `USER#${toKeyDigest(did)}`,
  _et: 'MEMBER',
});
const entityFilter = {
  FilterExpression: '(#et = :nbhd) OR (#et = :member)',
  ExpressionAttributeNames: { '#et': '_et' },
  ExpressionAttributeValues: { ':nbhd': 'NBHD', ':member': 'MEMBER' },
};

export function toNbhd(item: Item) {
  const { id, name, description, created_by, created_at, updated_at, member_count } = item;
  return {
    id,
    name,
    description: description ?? null,
    created_by,
    created_at,
    updated_at: updated_at ?? null,
    member_count,
  };
}

export function createFloorStore(client: DynamoDBDocumentClient, table: string) {
  const batchGet = async (ids: string[]) => {
    if (ids.length === 0) return [];
    const out = await client.send(
      new BatchGetCommand({
        RequestItems: {
          [table]: { Keys: ids.map((id) => ({ PK: toPartition(id), SK: 'METADATA' })), ConsistentRead: false },
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
      const page = await queryKeys('GSI3', 'user_key', `USER#${toKeyDigest(did)}`, limit + 1);
      const ids = (page.Items ?? []).slice(0, limit).map((key) => String(key.PK).slice(5));
      return { items: await batchGet(ids), more: (page.Items?.length ?? 0) > limit };
    },
    getIdempotency: (did: string, key: string) =>
      client.send(
        new GetCommand({
          TableName: table,
          Key: { PK: `IDEMPOTENCY#${toKeyDigest(`${did}\u0000${key}`)}`, SK: 'IDEMPOTENCY' },
          ConsistentRead: true,
        }),
      ),
    /** Neighborhood + name claim + creator membership (+ idempotency record) in one TransactWriteItems. */
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
                PK: toPartition(id),
                SK: 'METADATA',
                id,
                name,
                description,
                created_by: did,
                created_at: createdAt,
                member_count: 1,
                member_order: 'METADATA',
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
                      PK: `IDEMPOTENCY#${toKeyDigest(`${did}\u0000${idem.key}`)}`,
                      SK: 'IDEMPOTENCY',
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
          ],
        }),
      );
      return nbhd;
    },
    /** Membership put + member_count + 1 (neighborhood exists, not deleting). */
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
            {
              Update: {
                TableName: table,
                Key: { PK: toPartition(nbhdId), SK: 'METADATA' },
                UpdateExpression: 'SET #id = :id, #et = if_not_exists(#et, :et) ADD #c :one',
                ConditionExpression: 'attribute_exists(#id) AND attribute_not_exists(#d)',
                ExpressionAttributeNames: { '#c': 'member_count', '#et': '_et', '#id': 'id', '#d': 'deleting_at' },
                ExpressionAttributeValues: { ':id': nbhdId, ':one': 1, ':et': 'NBHD' },
              },
            },
          ],
        }),
      ),
    /** Membership delete + member_count − 1. */
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
            {
              Update: {
                TableName: table,
                Key: { PK: toPartition(nbhdId), SK: 'METADATA' },
                UpdateExpression: 'SET #id = :id, #et = if_not_exists(#et, :et) ADD #c :minus',
                ConditionExpression: 'attribute_exists(#id)',
                ExpressionAttributeNames: { '#c': 'member_count', '#et': '_et', '#id': 'id' },
                ExpressionAttributeValues: { ':id': nbhdId, ':minus': -1, ':et': 'NBHD' },
              },
            },
          ],
        }),
      ),
    /** Mark deleting (creator only), query ≤ 98 members, one transaction deleting them, the item and its name claim. */
    async remove(nbhdId: string, did: string) {
      const marked = await client.send(
        new UpdateCommand({
          TableName: table,
          Key: { PK: toPartition(nbhdId), SK: 'METADATA' },
          UpdateExpression: 'SET #id = :id, #d = :now, #et = if_not_exists(#et, :et) REMOVE #type',
          ConditionExpression: '#by = :did',
          ExpressionAttributeNames: {
            '#id': 'id',
            '#d': 'deleting_at',
            '#et': '_et',
            '#type': 'entity_type',
            '#by': 'created_by',
          },
          ExpressionAttributeValues: { ':id': nbhdId, ':now': new Date().toISOString(), ':et': 'NBHD', ':did': did },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      const name = String(marked.Attributes?.name);
      const page = await client.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :member)',
          FilterExpression: '#et = :et',
          ExpressionAttributeNames: { '#pk': 'PK', '#sk': 'SK', '#et': '_et' },
          ExpressionAttributeValues: { ':pk': toPartition(nbhdId), ':member': 'MEMBER#', ':et': 'MEMBER' },
          Limit: 98,
          ConsistentRead: true,
        }),
      );
      const members = page.Items ?? [];
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
                Key: { PK: toPartition(nbhdId), SK: 'METADATA' },
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

export type FloorStore = ReturnType<typeof createFloorStore>;
