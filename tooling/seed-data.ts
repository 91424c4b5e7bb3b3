import { v5 as uuidv5 } from 'uuid';
import { createSeededRandom } from './seeded-random.js';

const places = [
  'Oak',
  'Maple',
  'Cedar',
  'River',
  'Harbor',
  'Hill',
  'Lake',
  'Pine',
  'Willow',
  'Elm',
  'Bay',
  'Mill',
  'Stone',
  'Brook',
  'Garden',
  'Market',
];
const kinds = ['Park', 'Heights', 'Side', 'Village', 'Commons', 'Square', 'Gardens', 'Row', 'End', 'Point'];
const blurbs = [
  'Neighbors sharing news, tools and recommendations.',
  'Block parties, lost pets and the best coffee nearby.',
  'A quiet corner of town with loud opinions about parking.',
  null,
];
/** Fixed namespace so the same seed gives the same ids every run. */
const seedNamespace = '6f1f0b2a-4c1e-4b7e-9d8a-2b3c4d5e6f70';

export interface SeedOptions {
  neighborhoods: number;
  users: number;
  /** Newest created_at; everything else is spread over the year before it. */
  now?: Date;
}

/** Realistic-looking neighborhoods with skewed membership (a few big ones, many small ones). */
export function createSeedData({ neighborhoods: count, users, now = new Date() }: SeedOptions) {
  const random = createSeededRandom(42);
  const dids = Array.from({ length: users }, (_, i) => `did:plc:seed${String(i).padStart(6, '0')}`);
  const yearMs = 365 * 24 * 3600 * 1000;
  const neighborhoods = [];
  const nameClaims = [];
  const memberships = [];
  for (let i = 0; i < count; i += 1) {
    const id = uuidv5(`nbhd-${i}`, seedNamespace);
    const name = `${places[i % places.length]} ${kinds[Math.floor(i / places.length) % kinds.length]} ${Math.floor(i / (places.length * kinds.length)) + 1}`;
    const createdMs = now.getTime() - Math.floor(random() * yearMs);
    const createdBy = dids[Math.floor(random() * users)] as string;
    const memberCount = Math.min(users, 1 + Math.floor(random() ** 3 * 120));
    const members = new Set<string>([createdBy]);
    while (members.size < memberCount) members.add(dids[Math.floor(random() * users)] as string);
    for (const did of members) {
      const joinedMs = did === createdBy ? createdMs : createdMs + Math.floor(random() * (now.getTime() - createdMs));
      memberships.push({
        nbhd_id: id,
        user_id: did,
        id: uuidv5(`member-${i}-${did}`, seedNamespace),
        joined_at: new Date(joinedMs).toISOString(),
      });
    }
    const description = blurbs[i % blurbs.length];
    neighborhoods.push({
      id,
      name,
      ...(description ? { description } : {}),
      created_by: createdBy,
      created_at: new Date(createdMs).toISOString(),
      member_count: members.size,
    });
    nameClaims.push({ name, nbhd_id: id });
  }
  return { neighborhoods, nameClaims, memberships, userCount: users };
}
