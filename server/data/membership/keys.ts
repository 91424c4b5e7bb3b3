import { toNeighborhoodPartition } from '../neighborhood/keys.js';
import { toKeyDigest } from '../table/key-digest.js';

/**
 * The membership's key formats, pure (no toolbox) so benches that send raw DocumentClient calls build the
 * same keys: `NBHD#{nbhd_id}` / `MEMBER#{digest(did)}`, its LSI1 order and its GSI3 partition.
 */

const memberPrefix = 'MEMBER#';

/** Sort-key prefix of membership items inside a neighborhood's partition (table and LSI1). */
export const membershipSortKeyPrefix = memberPrefix;

/** Primary key of one user's membership in one neighborhood; the DID is digested so any DID fits. */
export function toMembershipKey(nbhdId: string, userId: string): { PK: string; SK: string } {
  return { PK: toNeighborhoodPartition(nbhdId), SK: `${memberPrefix}${toKeyDigest(userId)}` };
}

/**
 * LSI1's sort key for a membership: joined_at, then the DID's digest so equal instants still have one total
 * order. ISO timestamps sort as text, and `MEMBER#…` sorts below `METADATA`, so a descending query gives the
 * neighborhood first, then members newest joined first. Fixed size: 7 + 24 + 1 + 43 bytes.
 */
export function toMemberOrder(joinedAt: string, userId: string): string {
  return `${memberPrefix}${joinedAt}#${toKeyDigest(userId)}`;
}

/** GSI3's partition key: one user's memberships, under a fixed-size digest of the DID. */
export function toUserMembershipsKey(userId: string): string {
  return `USER#${toKeyDigest(userId)}`;
}

/** True for a raw item (a query page's) that is a membership. */
export function isMembershipItem<T extends { SK?: unknown }>(item: T | undefined): item is T {
  return typeof item?.SK === 'string' && item.SK.startsWith(memberPrefix);
}
