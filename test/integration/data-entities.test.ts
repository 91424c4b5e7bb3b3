import { createHash } from 'node:crypto';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { PutItemCommand } from 'dynamodb-toolbox/entity/actions/put';
import { beforeAll, describe, expect, it } from 'vitest';
import { listShards, normalizeName, toListShard } from '../../server/data/neighborhood/keys.js';
import { createEntities, type Entities } from '../../server/data/table/entities.js';
import { createTestDocumentClient } from '../helpers/document-client.js';
import { type TestTable, useTestTable } from '../helpers/dynamodb.js';

let testTable: TestTable;
let entities: Entities;

/** base64url(SHA-256(value)): the fixed-size digest keys hold instead of caller-supplied strings. */
const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest('base64url');

async function readRaw(PK: string, SK: string) {
  const { Item } = await testTable.client.send(
    new GetItemCommand({ TableName: testTable.tableName, Key: { PK: { S: PK }, SK: { S: SK } }, ConsistentRead: true }),
  );
  return Item ? unmarshall(Item) : undefined;
}

beforeAll(async () => {
  testTable = await useTestTable('entities');
  entities = createEntities({ documentClient: createTestDocumentClient(testTable), tableName: testTable.tableName });
});

describe('data entities', () => {
  it('stores a neighborhood at NBHD#{id} / METADATA with its GSI1 shard NBHD#{0|1} and METADATA for LSI1', async () => {
    await entities.neighborhoods
      .build(PutItemCommand)
      .item({
        id: 'n1',
        name: 'Park',
        created_by: 'did:plc:a',
        created_at: '2026-01-01T00:00:00.000Z',
        member_count: 0,
      })
      .send();
    expect(listShards).toContain(toListShard('n1'));
    expect(await readRaw('NBHD#n1', 'METADATA')).toMatchObject({
      id: 'n1',
      entity_type: toListShard('n1'),
      member_count: 0,
      member_order: 'METADATA',
    });
  });

  it('stores a membership at NBHD#{nbhd_id} / MEMBER#{sha256(did)} with LSI1 and GSI3 attributes', async () => {
    await entities.memberships
      .build(PutItemCommand)
      .item({ nbhd_id: 'n1', user_id: 'did:plc:a', id: 'm1', joined_at: '2026-01-01T00:00:00.000Z' })
      .send();
    expect(await readRaw('NBHD#n1', `MEMBER#${sha256('did:plc:a')}`)).toEqual({
      PK: 'NBHD#n1',
      SK: `MEMBER#${sha256('did:plc:a')}`,
      _et: 'MEMBER',
      nbhd_id: 'n1',
      user_id: 'did:plc:a',
      id: 'm1',
      joined_at: '2026-01-01T00:00:00.000Z',
      member_order: `MEMBER#2026-01-01T00:00:00.000Z#${sha256('did:plc:a')}`,
      user_key: `USER#${sha256('did:plc:a')}`,
    });
  });

  it('stores a name claim under a digest of the NFKC lower-cased name, keeping that form readable', async () => {
    await entities.nameClaims.build(PutItemCommand).item({ name: 'Ｐａｒｋ Side', nbhd_id: 'n1' }).send();
    expect(normalizeName('Ｐａｒｋ Side')).toBe('park side');
    expect(await readRaw(`NAME#${sha256('park side')}`, 'NAME')).toMatchObject({
      nbhd_id: 'n1',
      name: 'Ｐａｒｋ Side',
      normalized_name: 'park side',
    });
  });

  it('stores an idempotency record under a digest of did and key, with expires_at', async () => {
    await entities.idempotency
      .build(PutItemCommand)
      .item({ did: 'did:plc:a', key: 'k1', request_hash: 'h', response: '{}', expires_at: 1 })
      .send();
    expect(await readRaw(`IDEMPOTENCY#${sha256('did:plc:a\u0000k1')}`, 'IDEMPOTENCY')).toMatchObject({
      did: 'did:plc:a',
      key: 'k1',
      expires_at: 1,
    });
  });
});
