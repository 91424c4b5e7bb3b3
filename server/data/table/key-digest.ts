import { createHash } from 'node:crypto';

/**
 * A fixed-size stand-in for a caller-supplied string inside a key: base64url(SHA-256(value)), 43 ASCII
 * characters whatever the input. DynamoDB refuses a partition key over 2,048 bytes and a sort key over
 * 1,024, and DIDs, names (up to 3,300 bytes after NFKC), Idempotency-Keys and OAuth states come from
 * outside: a digest keeps every key within those limits for any input, so none can turn into a 500.
 * The readable value is kept as an attribute of the item.
 */
export function toKeyDigest(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('base64url');
}

/** DynamoDB's documented key limits, in UTF-8 bytes. */
export const keyLimits = { partitionKeyBytes: 2048, sortKeyBytes: 1024 } as const;
