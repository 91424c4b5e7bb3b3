import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type RetryPolicy, waitBeforeRetry } from '../server/data/faults/backoff.js';
import { isThrottle, isTransient } from '../server/data/faults/dynamodb-errors.js';
import type { WriteRequest } from './target-items.js';

/** DynamoDB's limit on requests per BatchWriteItem call. */
export const batchSize = 25;

export interface BulkWriterOptions {
  documentClient: DynamoDBDocumentClient;
  tableName: string;
  /** BatchWriteItem calls in flight at once. */
  concurrency?: number;
  /** Attempts per batch before the run fails (unprocessed items and throttled calls both count), and the waits. */
  retryPolicy?: RetryPolicy;
}

/** 12 attempts per batch, waits doubling from up to 50 ms to at most 2 s. */
export const bulkWriterRetryPolicy: RetryPolicy = { attempts: 12, baseDelayMs: 50, maxDelayMs: 2_000 };

export interface BulkWriterStats {
  calls: number;
  retries: number;
  throttled: number;
  unprocessed: number;
}

/**
 * Writes requests with BatchWriteItem, 25 per call and at most `concurrency` calls in flight.
 * Unprocessed items and throttled or failed calls are retried with the data layer's backoff
 * (server/data/faults/backoff.ts), so parallel workers do not hit the same hot partition in lockstep.
 */
export function createBulkWriter(options: BulkWriterOptions) {
  const concurrency = options.concurrency ?? 8;
  const policy = options.retryPolicy ?? bulkWriterRetryPolicy;
  const stats: BulkWriterStats = { calls: 0, retries: 0, throttled: 0, unprocessed: 0 };
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;

  async function writeBatch(requests: WriteRequest[]): Promise<void> {
    let pending = requests;
    for (let attempt = 1; ; attempt += 1) {
      stats.calls += 1;
      try {
        const result = await options.documentClient.send(
          new BatchWriteCommand({ RequestItems: { [options.tableName]: pending } }),
        );
        const left = (result.UnprocessedItems?.[options.tableName] ?? []) as WriteRequest[];
        if (left.length === 0) return;
        stats.unprocessed += left.length;
        pending = left;
      } catch (error) {
        if (!isThrottle(error) && !isTransient(error)) throw error;
        stats.throttled += 1;
      }
      if (attempt >= policy.attempts) {
        throw new Error(
          `BatchWriteItem still failing after ${policy.attempts} attempts (${pending.length} requests left)`,
        );
      }
      stats.retries += 1;
      await waitBeforeRetry(policy, attempt);
    }
  }

  return {
    stats,
    /**
     * Sends one batch (≤ 25 requests) once a slot is free; resolves when it has been handed off, so a
     * caller's loop naturally waits and memory stays bounded. `onDone` runs after the batch is written.
     */
    async submit(requests: WriteRequest[], onDone?: () => void): Promise<void> {
      if (requests.length > batchSize) throw new Error(`A batch holds at most ${batchSize} requests`);
      while (inFlight.size >= concurrency) await Promise.race(inFlight);
      if (failure) throw failure;
      const task: Promise<void> = writeBatch(requests)
        .then(() => onDone?.())
        .catch((error: unknown) => {
          failure ??= error;
        })
        .finally(() => inFlight.delete(task));
      inFlight.add(task);
    },
    /** Waits for every submitted batch; throws the first failure. */
    async flush(): Promise<void> {
      while (inFlight.size > 0) await Promise.race(inFlight);
      if (failure) throw failure;
    },
  };
}

export type BulkWriter = ReturnType<typeof createBulkWriter>;
