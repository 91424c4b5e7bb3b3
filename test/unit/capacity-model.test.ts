import { describe, expect, it } from 'vitest';
import {
  computeGetTouch,
  computeQueryTouch,
  computeWriteTouches,
  type TableSpec,
} from '../../loadtest/capacity/capacity-rules.js';
import { aggregateKeyLoads, findFirstThrottle, projectKeyLoads } from '../../loadtest/capacity/projection.js';
import { readQueryPartition } from '../../loadtest/capacity/request-recorder.js';
import { findItemLimitViolations, measureItemBytes } from '../../server/data/table/item-limits.js';

const table: TableSpec = {
  partitionKey: 'PK',
  sortKey: 'SK',
  indexes: [
    { name: 'G', type: 'global', partitionKey: 'g', sortKey: 'c', projection: { type: 'KEYS_ONLY', attributes: [] } },
    { name: 'L', type: 'local', partitionKey: 'PK', sortKey: 'o', projection: { type: 'ALL', attributes: [] } },
  ],
};

// Worked by hand: PK 2+6, SK 2+8, g 1+4, c 1+4, o 1+8, text 4+1,500 = 1,541 bytes → 2 WCU.
// Its GSI entry (keys only): PK 8 + SK 10 + g 5 + c 5 = 28 bytes → 1 WCU. Its LSI entry (all): 1,541 → 2 WCU.
const item = { PK: 'NBHD#1', SK: 'METADATA', g: 'NBHD', c: '2026', o: 'METADATA', text: 'x'.repeat(1500) };

describe('item size (DynamoDB rules)', () => {
  it('counts attribute names and UTF-8 value bytes, and numbers by significant digits', () => {
    expect(measureItemBytes(item)).toBe(1541);
    expect(measureItemBytes({ n: 12345 })).toBe(1 + 4); // ceil(5 / 2) + 1
    expect(measureItemBytes({ é: 'ﷺ' })).toBe(2 + 3);
  });

  it('finds keys over their byte limits and items over 400 KB, nothing in a normal item', () => {
    expect(findItemLimitViolations(item)).toEqual([]);
    expect(findItemLimitViolations({ PK: 'x'.repeat(2049), SK: 'y'.repeat(1025) })).toEqual([
      'partition key PK is 2049 bytes (limit 2048)',
      'sort key SK is 1025 bytes (limit 1024)',
    ]);
    expect(findItemLimitViolations({ PK: 'a', SK: 'b', text: 'x'.repeat(400 * 1024) })[0]).toMatch(
      /^item is \d+ bytes/,
    );
  });
});

describe('write capacity', () => {
  it('charges a new 1,541-byte item 2 WCU, its keys-only GSI entry 1 and its LSI entry 2 (on the table partition)', () => {
    expect(computeWriteTouches(table, { after: item, partition: 'NBHD#1', transactional: false })).toEqual([
      { target: 'table', partition: 'NBHD#1', rcu: 0, wcu: 2 },
      { target: 'G', via: 'G', partition: 'NBHD', rcu: 0, wcu: 1 },
      { target: 'table', via: 'L', partition: 'NBHD#1', rcu: 0, wcu: 2 },
    ]);
  });

  it('doubles every write of a transaction, index writes included', () => {
    const touches = computeWriteTouches(table, { after: item, partition: 'NBHD#1', transactional: true });
    expect(touches.map((touch) => touch.wcu)).toEqual([4, 2, 4]);
  });

  it('writes no keys-only GSI entry when only a non-key attribute changes, but rewrites the all-attributes LSI entry', () => {
    const touches = computeWriteTouches(table, {
      before: item,
      after: { ...item, n: 1 },
      partition: 'NBHD#1',
      transactional: true,
    });
    expect(touches).toEqual([
      { target: 'table', partition: 'NBHD#1', rcu: 0, wcu: 4 },
      { target: 'table', via: 'L', partition: 'NBHD#1', rcu: 0, wcu: 4 },
    ]);
  });

  it('counts an index key change as a delete plus a put on that index', () => {
    const touches = computeWriteTouches(table, {
      before: item,
      after: { ...item, c: '2027' },
      partition: 'NBHD#1',
      transactional: false,
    });
    expect(touches.filter((touch) => touch.via === 'G').map((touch) => touch.wcu)).toEqual([1, 1]);
  });

  it('charges a delete the deleted item and its index entries; a write that found nothing still 1 WCU', () => {
    const touches = computeWriteTouches(table, { before: item, partition: 'NBHD#1', transactional: false });
    expect(touches.map((touch) => touch.wcu)).toEqual([2, 1, 2]);
    expect(computeWriteTouches(table, { partition: 'NBHD#2', transactional: false })).toEqual([
      { target: 'table', partition: 'NBHD#2', rcu: 0, wcu: 1 },
    ]);
  });
});

describe('read capacity', () => {
  it('sums a query page before rounding to 4 KB, halves eventually consistent reads, and GSI reads are always eventual', () => {
    const page = [item, item, item]; // 4,623 bytes → 2 × 4 KB
    expect(computeQueryTouch(table, { partition: 'NBHD#1', items: page, consistent: true }).rcu).toBe(2);
    expect(computeQueryTouch(table, { indexName: 'L', partition: 'NBHD#1', items: page, consistent: false })).toEqual({
      target: 'table',
      via: 'L',
      partition: 'NBHD#1',
      rcu: 1,
      wcu: 0,
    });
    expect(computeQueryTouch(table, { indexName: 'G', partition: 'NBHD', items: page, consistent: true }).rcu).toBe(1);
  });

  it('charges a get of a missing item one unit (half when eventually consistent)', () => {
    expect(computeGetTouch({ partition: 'USER#x', consistent: false }).rcu).toBe(0.5);
    expect(computeGetTouch({ partition: 'USER#x', item, consistent: true }).rcu).toBe(1);
  });

  it("reads a query's partition value from its key condition, on the table or an index", () => {
    const input = {
      IndexName: 'G',
      KeyConditionExpression: '(#c0_1 = :c0_1)',
      ExpressionAttributeNames: { '#c0_1': 'g' },
      ExpressionAttributeValues: { ':c0_1': 'NBHD' },
    };
    expect(readQueryPartition(table, input)).toBe('NBHD');
  });
});

describe('projection', () => {
  it('projects units per key at a rate and finds the rate at which the first key reaches its limit', () => {
    const requests = [
      {
        command: 'TransactWriteItems',
        failed: false,
        touches: [{ target: 'table', partition: 'NBHD#1', rcu: 0, wcu: 12 }],
      },
      { command: 'Query', failed: false, touches: [{ target: 'GSI1', partition: 'NBHD', rcu: 30, wcu: 8 }] },
    ];
    // Over 10 iterations: NBHD#1 1.2 WCU/iteration, GSI1 NBHD 3 RCU + 0.8 WCU per iteration.
    const projected = projectKeyLoads(aggregateKeyLoads(requests, 10), 100);
    expect(projected.map((key) => [key.partition, key.scope, +key.share.toFixed(3)])).toEqual([
      ['NBHD#1', 'neighborhood', 0.12],
      ['NBHD', 'service', 0.1], // max(300 / 3,000 RCU, 80 / 1,000 WCU)
    ]);
    const first = findFirstThrottle(projected);
    expect(first?.partition).toBe('NBHD#1');
    expect(first?.throttleRate).toBeCloseTo(1000 / 1.2, 6);
  });
});
