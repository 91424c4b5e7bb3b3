import { describe, expect, it } from 'vitest';
import { toCreateTableInput } from '../../server/data/table-definition.js';

describe('toCreateTableInput', () => {
  it('declares each key attribute once, with its type', () => {
    const input = toCreateTableInput('t');
    const names = input.AttributeDefinitions?.map((d) => d.AttributeName);
    expect(new Set(names).size).toBe(names?.length);
    expect(input.AttributeDefinitions).toContainEqual({ AttributeName: 'PK', AttributeType: 'S' });
    expect(input.GlobalSecondaryIndexes?.map((i) => i.IndexName)).toEqual(['GSI1', 'GSI3']);
  });
});
