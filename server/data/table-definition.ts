import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/**
 * The one DynamoDB table, described once. The toolbox `Table` (table.ts), local setup
 * (scripts/create-table.ts, test harness) and the CloudFormation template test all read this.
 */
export const tableKeys = {
  partitionKey: { name: 'PK', type: 'string' },
  sortKey: { name: 'SK', type: 'string' },
} as const;

/**
 * GSI1 lists neighborhoods newest first: only neighborhood items carry `entity_type`, so the index
 * is sparse. Its partition key is a constant, so every neighborhood write (creates, and each join or
 * leave that changes `member_count`) lands on one index partition: about 1,000 writes/s overall.
 * GSI3 lists one user's memberships by `joined_at`.
 */
export const tableIndexes = {
  GSI1: {
    type: 'global',
    partitionKey: { name: 'entity_type', type: 'string' },
    sortKey: { name: 'created_at', type: 'string' },
  },
  GSI3: {
    type: 'global',
    partitionKey: { name: 'user_id', type: 'string' },
    sortKey: { name: 'joined_at', type: 'string' },
  },
} as const;

/** Items with this attribute (epoch seconds) expire; DynamoDB Local never deletes them, so readers check it too. */
export const ttlAttribute = 'expires_at';

const attributeType = { string: 'S', number: 'N', binary: 'B' } as const;

/** The CreateTable request for the table: on-demand, every index projecting all attributes. */
export function toCreateTableInput(tableName: string): CreateTableCommandInput {
  const definitions = new Map<string, 'S' | 'N' | 'B'>();
  const addKey = (key: { name: string; type: keyof typeof attributeType }) =>
    definitions.set(key.name, attributeType[key.type]);
  addKey(tableKeys.partitionKey);
  addKey(tableKeys.sortKey);
  for (const index of Object.values(tableIndexes)) {
    addKey(index.partitionKey);
    addKey(index.sortKey);
  }
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
    GlobalSecondaryIndexes: Object.entries(tableIndexes).map(([IndexName, index]) => ({
      IndexName,
      KeySchema: [
        { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    })),
  };
}
