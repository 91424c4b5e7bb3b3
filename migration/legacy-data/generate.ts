import { createSeededRandom } from '../../tooling/seeded-random.js';
import type { LegacyMembership, LegacyNeighborhood } from '../legacy-rows.js';
import { formatWithOffset } from '../timestamps.js';

/**
 * Names real legacy data holds and the new rules trip over. The first eight differ only in case or
 * Unicode form (and "Oak Park (#2)" is what the collision rule would rename "oak park" to).
 */
export const awkwardNames: readonly string[] = [
  'Oak Park',
  'oak park',
  'OAK PARK',
  'Oak Park (#2)',
  'Café Quarter',
  'Cafe\u0301 Quarter',
  'ｍａｐｌｅ ｓｔｒｅｅｔ',
  'Maple Street',
  'İstanbul Yolu',
  'i̇stanbul yolu',
  '🌳 Green Belt 🏡',
  '👨‍👩‍👧‍👦 Family Block',
  'حي الزيتون 5',
  'שכונת התקווה',
  'Z̤͔ͧ̑̓ä͖̭̈̇l̮̒ͫǧ̗͚̚o̙̔ͮ̇͐̇ Heights',
  '🌆'.repeat(100),
  `${'e\u0301'.repeat(49)}ab`,
  ' Leading Space',
  'Trailing Space ',
  'Bell\u0007Street',
  'Tab\tInside',
  '',
  '   ',
];

const offsets = [345, -210, 840, -720, 0, 570, 330, -570, 45];

function describe(random: () => number, index: number): string | null {
  const roll = random();
  if (roll < 0.3) return null;
  if (roll < 0.35) return `A very long story. ${'Lorem ipsum 🌳 dolor sit amet. '.repeat(40)}`;
  if (roll < 0.38) return `Control\u0001chars\u001b[31m and tabs\tand\r\nnewlines`;
  if (roll < 0.5) return `مرحبا بكم في الحي ${index} — שלום 👋`;
  return `Neighborhood number ${index}, friendly and green.`;
}

function didFor(user: number): string {
  return user % 17 === 0 ? `did:web:user${user}.example.com` : `did:plc:${user.toString(36).padStart(24, 'a')}`;
}

export interface GenerateOptions {
  neighborhoods: number;
  memberships: number;
  seed?: number;
  /** Rows per yielded chunk. */
  chunkSize?: number;
}

export interface LegacyChunk {
  neighborhoods: LegacyNeighborhood[];
  memberships: LegacyMembership[];
}

/**
 * Generates legacy rows in chunks (neighborhoods before the memberships that point at them), with
 * timestamps as microsecond strings in odd UTC offsets, NULL descriptions and `updated_at`, and the
 * awkward names above. Exactly `memberships` memberships; every neighborhood has its creator as a member.
 */
export function* generateLegacyData(options: GenerateOptions): Generator<LegacyChunk> {
  const random = createSeededRandom(options.seed ?? 42);
  const total = options.neighborhoods;
  const chunkSize = options.chunkSize ?? 1_000;
  let users = Math.max(1_000, Math.ceil(options.memberships / Math.max(total, 1)) * 4 + 7);
  // The k-th member is (creator + k·7919) mod users: distinct for k < users while 7919 ∤ users.
  if (users % 7919 === 0) users += 1;
  let membershipsLeft = options.memberships;
  let membershipId = 0;
  const start = 1_640_995_200_000_000n; // 2022-01-01 in microseconds
  const span = 3 * 365 * 86_400_000_000;
  for (let base = 1; base <= total; base += chunkSize) {
    const chunk: LegacyChunk = { neighborhoods: [], memberships: [] };
    for (let id = base; id < Math.min(base + chunkSize, total + 1); id += 1) {
      const createdMicros = start + BigInt(Math.floor(random() * span));
      const offset = offsets[id % offsets.length] ?? 0;
      const creator = Math.floor(random() * users);
      const updated = random() < 0.3 ? null : createdMicros + BigInt(Math.floor(random() * 86_400_000_000));
      chunk.neighborhoods.push({
        id,
        name: awkwardNames[id - 1] ?? `Neighborhood ${id}`,
        description: describe(random, id),
        created_by: didFor(creator),
        created_at: formatWithOffset(createdMicros, offset),
        updated_at: updated === null ? null : formatWithOffset(updated, -offset),
      });
      // Spread what is left evenly over the remaining neighborhoods, at least the creator each.
      const remaining = total - id + 1;
      const fair = Math.ceil(membershipsLeft / remaining);
      const jitter = (random() < 0.5 ? -1 : 1) * Math.floor(random() * fair * 0.5);
      const wanted = id === total ? membershipsLeft : Math.max(1, fair + jitter);
      const count = Math.min(membershipsLeft, wanted, users);
      for (let k = 0; k < count; k += 1) {
        membershipId += 1;
        const user = k === 0 ? creator : (creator + k * 7919) % users;
        const joined = createdMicros + BigInt(k === 0 ? 0 : Math.floor(random() * 30 * 86_400_000_000));
        chunk.memberships.push({
          id: membershipId,
          user_id: didFor(user),
          neighborhood_id: id,
          joined_at: formatWithOffset(joined, offsets[k % offsets.length] ?? 0),
        });
      }
      membershipsLeft -= count;
    }
    yield chunk;
  }
}
