import { Entity } from 'dynamodb-toolbox/entity';
import { item } from 'dynamodb-toolbox/schema/item';
import { number } from 'dynamodb-toolbox/schema/number';
import { string } from 'dynamodb-toolbox/schema/string';
import type { AppTable } from '../table/table.js';
import { toIdempotencyKey } from './keys.js';

export const idempotencySchema = item({
  /** The caller's DID; not named user_id so these records never look like memberships. */
  did: string().key(),
  key: string().key(),
  /** SHA-256 of the request body, to tell a replay from a reused key. */
  request_hash: string(),
  /** The first response, JSON-encoded, replayed as-is. */
  response: string(),
  /** Epoch seconds; DynamoDB's TTL deletes it eventually, readers treat it as gone right away. */
  expires_at: number(),
});

/** The idempotency record `IDEMPOTENCY#{did}#{key}` / `IDEMPOTENCY`. */
export function createIdempotencyEntity(table: AppTable) {
  return new Entity({
    name: 'IDEMPOTENCY',
    table,
    schema: idempotencySchema,
    computeKey: ({ did, key }) => toIdempotencyKey(did, key),
    timestamps: false,
  });
}

export type IdempotencyEntity = ReturnType<typeof createIdempotencyEntity>;
