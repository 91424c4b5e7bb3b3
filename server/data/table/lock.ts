import { randomUUID } from 'node:crypto';
import { Entity } from 'dynamodb-toolbox/entity';
import { DeleteItemCommand } from 'dynamodb-toolbox/entity/actions/delete';
import { PutItemCommand } from 'dynamodb-toolbox/entity/actions/put';
import { item } from 'dynamodb-toolbox/schema/item';
import { number } from 'dynamodb-toolbox/schema/number';
import { string } from 'dynamodb-toolbox/schema/string';
import { type RetryPolicy, waitBeforeRetry } from '../faults/backoff.js';
import { isConditionFailed } from '../faults/dynamodb-errors.js';
import { toKeyDigest } from './key-digest.js';
import type { AppTable } from './table.js';
import { toEpochSeconds } from './ttl.js';

/** Primary key of a named cross-instance lock. */
export function toLockKey(name: string): { PK: string; SK: string } {
  return { PK: `LOCK#${toKeyDigest(name)}`, SK: 'LOCK' };
}

export const lockSchema = item({
  name: string().key(),
  /** Who holds it: only the holder's release deletes it. */
  owner: string(),
  /** A crashed holder's lock is free again after this (epoch seconds; also the table's TTL). */
  expires_at: number(),
});

export function createLockEntity(table: AppTable) {
  return new Entity({
    name: 'LOCK',
    table,
    schema: lockSchema,
    computeKey: ({ name }) => toLockKey(name),
    timestamps: false,
  });
}

export interface LockOptions {
  table: AppTable;
  /** How long a holder may keep the lock before others may take it (covers a token refresh). */
  leaseSeconds?: number;
  /** How long to wait for a busy lock before giving up. */
  waitMs?: number;
  now?: () => Date;
  /** Waits between tries of a busy lock; `waitMs`, not `attempts`, bounds them. */
  retryPolicy?: RetryPolicy;
}

/** Up to 50 ms before the second try, doubling to at most 1 s. */
const lockRetryPolicy: RetryPolicy = { attempts: Number.POSITIVE_INFINITY, baseDelayMs: 50, maxDelayMs: 1_000 };

export class LockTimeoutError extends Error {
  constructor(name: string) {
    super(`Timed out waiting for lock ${name}`);
    this.name = 'LockTimeoutError';
  }
}

/**
 * A lock shared by every instance using the table: a conditional put that succeeds only when nobody holds
 * the lock or the holder's lease ran out. The OAuth client takes it around token refreshes, so two
 * instances never spend the same refresh token (the second would get the session revoked).
 */
export function createTableLock({
  table,
  leaseSeconds = 30,
  waitMs = 15_000,
  now = () => new Date(),
  retryPolicy = lockRetryPolicy,
}: LockOptions) {
  const entity = createLockEntity(table);

  async function tryAcquire(name: string, owner: string): Promise<boolean> {
    const at = toEpochSeconds(now());
    try {
      await entity
        .build(PutItemCommand)
        .item({ name, owner, expires_at: at + leaseSeconds })
        .options({
          condition: {
            or: [
              { attr: 'owner', exists: false },
              { attr: 'expires_at', lt: at },
            ],
          },
        })
        .send();
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
  }

  async function release(name: string, owner: string): Promise<void> {
    try {
      await entity
        .build(DeleteItemCommand)
        .key({ name })
        .options({ condition: { attr: 'owner', eq: owner } })
        .send();
    } catch (error) {
      // Our lease ran out and someone else holds it now: theirs to release.
      if (!isConditionFailed(error)) throw error;
    }
  }

  return async function withLock<T>(name: string, fn: () => T | PromiseLike<T>): Promise<T> {
    const owner = randomUUID();
    const deadline = Date.now() + waitMs;
    for (let retry = 1; !(await tryAcquire(name, owner)); retry += 1) {
      if (Date.now() >= deadline) throw new LockTimeoutError(name);
      await waitBeforeRetry(retryPolicy, retry);
    }
    try {
      return await fn();
    } finally {
      await release(name, owner);
    }
  };
}
