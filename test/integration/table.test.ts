import { DescribeTableCommand, DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { ensureTable } from '../../server/data/table/admin.js';
import { useTestTable } from '../helpers/dynamodb.js';

const table = await useTestTable('table');

describe('ensureTable on DynamoDB Local', () => {
  it('creates the table with both indexes and TTL, and is a no-op the second time', async () => {
    const { Table } = await table.client.send(new DescribeTableCommand({ TableName: table.tableName }));
    expect(Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName).sort()).toEqual(['GSI1', 'GSI3']);
    const ttl = await table.client.send(new DescribeTimeToLiveCommand({ TableName: table.tableName }));
    expect(ttl.TimeToLiveDescription?.AttributeName).toBe('expires_at');
    expect(await ensureTable(table.client, table.tableName)).toBe(false);
  });
});
