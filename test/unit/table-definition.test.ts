import { describe, expect, it } from 'vitest';
import { toCreateTableInput } from '../../server/data/table/definition.js';

describe('toCreateTableInput', () => {
  it('declares each key attribute once, with its type', () => {
    const input = toCreateTableInput('t');
    const names = input.AttributeDefinitions?.map((d) => d.AttributeName);
    expect(new Set(names).size).toBe(names?.length);
    expect(input.AttributeDefinitions).toContainEqual({ AttributeName: 'PK', AttributeType: 'S' });
    expect(input.GlobalSecondaryIndexes?.map((i) => i.IndexName)).toEqual(['GSI1', 'GSI3']);
    expect(input.LocalSecondaryIndexes?.map((i) => i.IndexName)).toEqual(['LSI1']);
  });

  it('keeps member_count out of GSI1: keys only, so joins and leaves never write to its constant partition key', () => {
    const input = toCreateTableInput('t');
    const gsi1 = input.GlobalSecondaryIndexes?.find((index) => index.IndexName === 'GSI1');
    expect(gsi1?.Projection).toEqual({ ProjectionType: 'KEYS_ONLY' });
    expect(gsi1?.KeySchema?.map((key) => key.AttributeName)).not.toContain('member_count');
  });

  it('orders a neighborhood partition on LSI1 (same partition key, member_order sort key, every attribute)', () => {
    const lsi1 = toCreateTableInput('t').LocalSecondaryIndexes?.[0];
    expect(lsi1?.KeySchema).toEqual([
      { AttributeName: 'PK', KeyType: 'HASH' },
      { AttributeName: 'member_order', KeyType: 'RANGE' },
    ]);
    expect(lsi1?.Projection).toEqual({ ProjectionType: 'ALL' });
  });

  it('enables the stream with new and old images, which reverse replication reads', () => {
    expect(toCreateTableInput('t').StreamSpecification).toEqual({
      StreamEnabled: true,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    });
  });
});
