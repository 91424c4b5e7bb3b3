import { toKeyDigest } from '../table/key-digest.js';

/** Primary key of the record that remembers one user's use of one Idempotency-Key (pure: benches use it too). */
export function toIdempotencyKey(did: string, key: string): { PK: string; SK: string } {
  return { PK: `IDEMPOTENCY#${toKeyDigest(`${did}\u0000${key}`)}`, SK: 'IDEMPOTENCY' };
}
