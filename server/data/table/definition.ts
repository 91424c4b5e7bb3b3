import type { CreateTableCommandInput, Projection } from '@aws-sdk/client-dynamodb';

/**
 * The one DynamoDB table, described once. The toolbox `Table` (table/table.ts), local setup
 * (scripts/create-table.ts, test harness), the CloudFormation template test and `npm run capacity` read this.
 */
export const tableKeys = {
  partitionKey: { name: 'PK', type: 'string' },
  sortKey: { name: 'SK', type: 'string' },
} as const;

interface KeyAttribute {
  name: string;
  type: 'string' | 'number' | 'binary';
}

export interface IndexDefinition {
  type: 'global' | 'local';
  /** Absent for a local index: it shares the table's partition key. */
  partitionKey?: KeyAttribute;
  sortKey: KeyAttribute;
  projection: Projection;
}

/**
 * GSI1 lists neighborhoods newest first: only neighborhood items carry `entity_type`, so it is sparse. Its
 * partition key is a constant, so it projects keys only: joins and leaves change member_count (and renames
 * and descriptions change other attributes) without writing to it; only creates and deletes do.
 * GSI3 lists one user's memberships by `joined_at` under a digest of the DID; keys only (the neighborhood id
 * is in `PK`).
 * LSI1 orders a neighborhood's partition for reading: `METADATA`, then members newest joined first. It
 * projects everything (the detail view is one query) and caps one neighborhood's item collection (its
 * metadata and memberships, with their LSI copies) at 10 GB.
 */
export const tableIndexes = {
  GSI1: {
    type: 'global',
    partitionKey: { name: 'entity_type', type: 'string' },
    sortKey: { name: 'created_at', type: 'string' },
    projection: { ProjectionType: 'KEYS_ONLY' },
  },
  GSI3: {
    type: 'global',
    partitionKey: { name: 'user_key', type: 'string' },
    sortKey: { name: 'joined_at', type: 'string' },
    projection: { ProjectionType: 'KEYS_ONLY' },
  },
  LSI1: {
    type: 'local',
    sortKey: { name: 'member_order', type: 'string' },
    projection: { ProjectionType: 'ALL' },
  },
} as const satisfies Record<string, IndexDefinition>;

/** Items with this attribute (epoch seconds) expire; DynamoDB Local never deletes them, so readers check it too. */
export const ttlAttribute = 'expires_at';

const attributeType = { string: 'S', number: 'N', binary: 'B' } as const;

const toIndexKeySchema = (index: IndexDefinition) => [
  { AttributeName: index.partitionKey?.name ?? tableKeys.partitionKey.name, KeyType: 'HASH' as const },
  { AttributeName: index.sortKey.name, KeyType: 'RANGE' as const },
];

/**
 * The table's stream: new and old images, read by reverse replication (DynamoDB Streams → PostgreSQL) in the
 * stack's replicator Lambda and in `npm run migrate -- replicate`. The API never reads it: it costs no call.
 */
export const tableStream = { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } as const;

/** The CreateTable request for the table: on-demand, with the indexes and projections above, and the stream. */
export function toCreateTableInput(tableName: string): CreateTableCommandInput {
  const definitions = new Map<string, 'S' | 'N' | 'B'>();
  const addKey = (key: KeyAttribute) => definitions.set(key.name, attributeType[key.type]);
  addKey(tableKeys.partitionKey);
  addKey(tableKeys.sortKey);
  const indexes = Object.entries(tableIndexes as Record<string, IndexDefinition>);
  for (const [, index] of indexes) {
    if (index.partitionKey) addKey(index.partitionKey);
    addKey(index.sortKey);
  }
  const toIndex = ([IndexName, index]: [string, IndexDefinition]) => ({
    IndexName,
    KeySchema: toIndexKeySchema(index),
    Projection: index.projection,
  });
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...definitions].map(([AttributeName, AttributeType]) => ({
      AttributeName,
      AttributeType,
    })),
    KeySchema: [
      { AttributeName: tableKeys.partitionKey.name, KeyType: 'HASH' },
      { AttributeName: tableKeys.sortKey.name, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: indexes.filter(([, index]) => index.type === 'global').map(toIndex),
    LocalSecondaryIndexes: indexes.filter(([, index]) => index.type === 'local').map(toIndex),
    StreamSpecification: { ...tableStream },
  };
}
