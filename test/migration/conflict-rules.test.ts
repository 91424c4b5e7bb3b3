import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { createWatermark } from '../../migration/checkpoint.js';
import { toMembershipUuid, toNeighborhoodUuid } from '../../migration/ids.js';
import type { LegacyMembership, LegacyNeighborhood } from '../../migration/legacy-rows.js';
import type { LegacySource } from '../../migration/legacy-source.js';
import {
  cleanDescription,
  cleanName,
  countCodePoints,
  toSuffixedName,
  truncateToCodePoints,
} from '../../migration/name-rules.js';
import { buildPlan } from '../../migration/plan.js';
import { assertWithinLimits, createTargetItems, ItemLimitError } from '../../migration/target-items.js';
import { toUtcIso } from '../../migration/timestamps.js';

function sourceOf(
  neighborhoods: Partial<LegacyNeighborhood>[],
  memberships: Partial<LegacyMembership>[] = [],
): LegacySource {
  const rows = neighborhoods.map((row, index) => ({
    id: index + 1,
    name: `N${index + 1}`,
    description: null,
    created_by: 'did:plc:a',
    created_at: '2024-01-01T00:00:00.000000Z',
    updated_at: null,
    ...row,
  }));
  const members = memberships.map((row, index) => ({
    id: index + 1,
    user_id: `did:plc:u${index}`,
    neighborhood_id: 1,
    joined_at: '2024-01-01T00:00:00.000000Z',
    ...row,
  }));
  return {
    counts: async () => ({ neighborhoods: rows.length, memberships: members.length }),
    neighborhoods: async function* () {
      yield* rows;
    },
    memberships: async function* () {
      yield* members;
    },
    close: async () => undefined,
  };
}

describe('name rules', () => {
  it('cuts over-long names at a grapheme boundary, never inside an accent or an emoji sequence', () => {
    const family = '👨‍👩‍👧‍👦'; // 7 code points
    expect(truncateToCodePoints(`${'a'.repeat(95)}${family}`, 100)).toBe('a'.repeat(95));
    expect(truncateToCodePoints(`${'e\u0301'.repeat(51)}`, 100)).toBe('e\u0301'.repeat(50));
    expect(cleanName(`${'x'.repeat(99)}e\u0301`, 1).value).toBe('x'.repeat(99));
  });

  it('counts length in code points, so 100 emoji (200 UTF-16 units) are within the limit', () => {
    const name = '🌆'.repeat(100);
    expect(countCodePoints(name)).toBe(100);
    expect(cleanName(name, 1)).toEqual({ value: name, reasons: [] });
  });

  it('trims whitespace, replaces control characters and names empty names after their legacy id', () => {
    expect(cleanName(' Elm\u0007Street\t', 3).value).toBe('Elm Street');
    expect(cleanName('   ', 9).value).toBe('Neighborhood 9');
  });

  it('keeps tabs and newlines in descriptions but replaces other control characters and truncates at 1000', () => {
    expect(cleanDescription('a\tb\r\nc\u0001d').value).toBe('a\tb\r\nc d');
    const long = cleanDescription('ab'.repeat(600));
    expect(countCodePoints(long.value)).toBe(1_000);
    expect(long.reasons).toHaveLength(1);
  });

  it('suffixes a collision loser with its legacy id and keeps it within 100 characters', () => {
    expect(toSuffixedName('oak park', 2, 1)).toBe('oak park (#2)');
    expect(toSuffixedName('oak park', 2, 2)).toBe('oak park (#2-2)');
    expect(countCodePoints(toSuffixedName('🌆'.repeat(100), 12345, 1))).toBe(100);
  });
});

describe('conflict plan', () => {
  it('gives a name shared ignoring case and Unicode form to the oldest neighborhood and suffixes the others', async () => {
    const plan = await buildPlan(
      sourceOf([
        { name: 'oak park', created_at: '2024-02-01T00:00:00.000000Z' },
        { name: 'Oak Park', created_at: '2024-01-01T00:00:00.000000Z' },
        { name: 'Café', created_at: '2024-01-01T00:00:00.000000Z' },
        { name: 'CAFE\u0301', created_at: '2024-01-01T00:00:00.000000Z' },
      ]),
    );
    expect(plan.nameOf(2)).toBe('Oak Park');
    expect(plan.nameOf(1)).toBe('oak park (#1)');
    expect(plan.nameOf(3)).toBe('Café'); // same created_at: the lower legacy id wins
    expect(plan.nameOf(4)).toBe('CAFE\u0301 (#4)');
    expect([...plan.issues()].filter((i) => i.kind === 'name-collision').map((i) => i.legacy_id)).toEqual([1, 4]);
    plan.close();
  });

  it('picks another suffix when the suffixed name is itself a legacy name', async () => {
    const plan = await buildPlan(sourceOf([{ name: 'Elm' }, { name: 'elm' }, { name: 'ELM (#2)' }]));
    expect(plan.nameOf(2)).toBe('elm (#2-2)');
    expect(plan.nameOf(3)).toBe('ELM (#2)');
    plan.close();
  });

  it('reports every NULL updated_at and counts members per neighborhood exactly', async () => {
    const plan = await buildPlan(
      sourceOf([{ updated_at: null }, { updated_at: '2024-01-01T00:00:00.000000Z' }], [{}, {}, { neighborhood_id: 2 }]),
    );
    expect([...plan.issues()].filter((i) => i.kind === 'updated-at-null').map((i) => i.legacy_id)).toEqual([1]);
    expect([plan.memberCountOf(1), plan.memberCountOf(2), plan.memberCountOf(3)]).toEqual([2, 1, 0]);
    plan.close();
  });
});

describe('DynamoDB limits in the plan', () => {
  it('accepts a 100 × U+FDFA name (3,300 bytes after NFKC): its claim key holds a fixed-size digest', async () => {
    const name = '\uFDFA'.repeat(100);
    expect(Buffer.byteLength(name.normalize('NFKC'))).toBeGreaterThan(3000);
    const plan = await buildPlan(sourceOf([{ name }], [{}]));
    expect([...plan.issues()]).toEqual([expect.objectContaining({ kind: 'updated-at-null' })]);
    expect(plan.nameOf(1)).toBe(name);
    const target = createTargetItems(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'local' })), 't');
    const items = target.toNeighborhoodItems(
      { id: 1, name, description: null, created_by: 'did:plc:a', created_at: 'x', updated_at: null },
      plan,
    );
    expect(items.map((item) => Buffer.byteLength(String(item.PK)))).toEqual([41, 48, 13]); // nbhd, name claim, legacy id
    expect(() => assertWithinLimits(target, 'neighborhood', 1, items)).not.toThrow();
    plan.close();
  });

  it('refuses through the same check the import runs a row whose items DynamoDB would refuse (item-limit)', () => {
    // Unreachable from the plan since DIDs are checked first (≤ 512 characters): the import's guard still holds.
    const huge = `did:plc:${'x'.repeat(410 * 1024)}`;
    const target = createTargetItems(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'local' })), 't');
    const row = { id: 7, user_id: huge, neighborhood_id: 1, joined_at: '2024-01-01T00:00:00.000Z' };
    expect(() => assertWithinLimits(target, 'membership', 7, [target.toMembershipItem(row)])).toThrow(ItemLimitError);
  });
});

describe('DIDs the contract rejects', () => {
  const hostile = ['did:', 'did:plc:has space', `did:plc:${'a'.repeat(592)}`, 'did:plc:bell\u0007', '', 'DID:PLC:abc'];

  it('refuses every membership whose user_id breaks the Did schema, and member_count counts only the others', async () => {
    const plan = await buildPlan(
      sourceOf(
        [{}, {}],
        [
          ...hostile.map((user_id) => ({ user_id })),
          { user_id: 'did:plc:fine' },
          { user_id: `did:web:${'b'.repeat(504)}` }, // exactly 512 characters: valid
          { user_id: 'did:plc:other', neighborhood_id: 2 },
        ],
      ),
    );
    const didIssues = [...plan.issues()].filter((issue) => issue.kind === 'did-invalid');
    expect(didIssues.map((issue) => [issue.legacy_id, issue.original])).toEqual(hostile.map((did, i) => [i + 1, did]));
    expect(didIssues.map((issue) => issue.detail)).toEqual([
      expect.stringContaining('not atproto DID syntax'),
      expect.stringContaining('not atproto DID syntax'),
      "not imported: this membership of neighborhood 1: its user_id is 600 characters, over the Did schema's maxLength 512",
      expect.stringContaining('not atproto DID syntax'),
      'not imported: this membership of neighborhood 1: its user_id is empty',
      expect.stringContaining('not atproto DID syntax'),
    ]);
    expect([plan.memberCountOf(1), plan.memberCountOf(2)]).toEqual([2, 1]);
    expect(plan.counts).toEqual({ neighborhoods: 2, memberships: hostile.length + 3 });
    expect(plan.imported).toEqual({ neighborhoods: 2, memberships: 3 });
    expect(plan.refusesMembership({ id: 1, user_id: 'did:', neighborhood_id: 1, joined_at: 'x' })).toBe(true);
    expect(plan.refusesMembership({ id: 7, user_id: 'did:plc:fine', neighborhood_id: 1, joined_at: 'x' })).toBe(false);
    plan.close();
  });

  it('refuses a neighborhood whose created_by breaks the Did schema, with its memberships, and leaves its name free', async () => {
    const plan = await buildPlan(
      sourceOf(
        [
          { name: 'Oak Park', created_by: 'did:plc:has space', created_at: '2020-01-01T00:00:00.000000Z' },
          { name: 'oak park' },
        ],
        [{ user_id: 'did:plc:one' }, { user_id: 'did:', neighborhood_id: 1 }, { neighborhood_id: 2 }],
      ),
    );
    const issues = [...plan.issues()];
    expect(issues).toEqual([
      {
        kind: 'did-invalid',
        legacy_id: 1,
        detail: expect.stringMatching(/^not imported: this neighborhood: its created_by is not atproto DID syntax/),
        original: 'did:plc:has space',
        resolved: null,
      },
      expect.objectContaining({ kind: 'updated-at-null', legacy_id: 2 }),
      {
        kind: 'neighborhood-refused',
        legacy_id: 1,
        detail: expect.stringContaining('legacy neighborhood 1, which is refused'),
        original: 'did:plc:one',
        resolved: null,
      },
      expect.objectContaining({ kind: 'did-invalid', legacy_id: 2, original: 'did:' }),
    ]);
    expect(plan.refusesNeighborhood(1)).toBe(true);
    expect(plan.refusesNeighborhood(2)).toBe(false);
    expect(plan.nameOf(2)).toBe('oak park'); // a refused neighborhood takes no part in name collisions
    expect(plan.imported).toEqual({ neighborhoods: 1, memberships: 1 });
    expect([plan.memberCountOf(1), plan.memberCountOf(2)]).toEqual([0, 1]);
    plan.close();
  });
});

describe('ids and timestamps', () => {
  it('maps a legacy id to the same UUIDv5 every time, different per entity', () => {
    expect(toNeighborhoodUuid(1)).toBe(toNeighborhoodUuid(1));
    expect(toNeighborhoodUuid(1)).not.toBe(toMembershipUuid(1));
    expect(toNeighborhoodUuid(1)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // Pinned: every migrated id and every old-id link depends on these never changing.
    expect(toNeighborhoodUuid(1)).toBe('8bd82290-1153-575d-8c82-b212644f3de2');
    expect(toMembershipUuid(42)).toBe('dcd54872-f2d2-5919-b593-4f2e7364cf8b');
  });

  it('converts odd offsets to UTC and keeps microseconds', () => {
    expect(toUtcIso('2023-03-14 15:09:26.535897+05:45')).toBe('2023-03-14T09:24:26.535897Z');
    expect(toUtcIso('2023-12-31T23:30:00-09:30')).toBe('2024-01-01T09:00:00.000000Z');
  });
});

describe('checkpoint watermark', () => {
  it('advances only over batches that finished with every earlier batch', () => {
    const seen: number[] = [];
    const watermark = createWatermark((line) => seen.push(line));
    const first = watermark.register(25);
    const second = watermark.register(50);
    const third = watermark.register(75);
    second();
    third();
    expect(seen).toEqual([]);
    first();
    expect(seen).toEqual([75]);
  });
});
