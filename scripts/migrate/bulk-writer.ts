import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { WriteRequest } from './target-items.js';

/** DynamoDB's limit on requests per BatchWriteItem call. */
export const batchSize = 25;

export interface BulkWriterOptions {
  documentClient: DynamoDBDocumentClient;
  tableName: string;
  /** BatchWriteItem calls in flight at once. */
  concurrency?: number;
  /** Attempts per batch before the run fails (unprocessed items and throttled calls both count). */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

export interface BulkWriterStats {
  calls: number;
  retries: number;
  throttled: number;
  unprocessed: number;
}

/** Errors worth retrying: the service is busy or briefly unavailable, not a bad request. */
const retryableErrors = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
  'ECONNRESET',
]);

function isRetryable(error: unknown): boolean {
  const e = error as { name?: string; code?: string; $retryable?: unknown };
  return retryableErrors.has(e?.name ?? '') || retryableErrors.has(e?.code ?? '') || Boolean(e?.$retryable);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Writes requests with BatchWriteItem, 25 per call and at most `concurrency` calls in flight.
 * Unprocessed items and throttled calls are retried with exponential backoff and full jitter
 * (random 0…min(max, base·2^attempt)), which spreads retries from parallel workers instead of
 * having them hit the same hot partition in lockstep.
 */
export function createBulkWriter(options: BulkWriterOptions) {
  const concurrency = options.concurrency ?? 8;
  const maxAttempts = options.maxAttempts ?? 12;
  const baseDelayMs = options.baseDelayMs ?? 25;
  const maxDelayMs = options.maxDelayMs ?? 2_000;
  const stats: BulkWriterStats = { calls: 0, retries: 0, throttled: 0, unprocessed: 0 };
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;

  const backoff = (attempt: number) => sleep(Math.random() * Math.min(maxDelayMs, baseDelayMs * 2 ** attempt));

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
        if (!isRetryable(error)) throw error;
        stats.throttled += 1;
      }
      if (attempt >= maxAttempts) {
        throw new Error(`BatchWriteItem still failing after ${maxAttempts} attempts (${pending.length} requests left)`);
      }
      stats.retries += 1;
      await backoff(attempt);
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

/** Groups requests into batches of 25 while streaming. */
export async function writeAll(
  writer: BulkWriter,
  requests: Iterable<WriteRequest> | AsyncIterable<WriteRequest>,
): Promise<number> {
  let batch: WriteRequest[] = [];
  let count = 0;
  for await (const request of requests) {
    batch.push(request);
    count += 1;
    if (batch.length === batchSize) {
      await writer.submit(batch);
      batch = [];
    }
  }
  if (batch.length > 0) await writer.submit(batch);
  await writer.flush();
  return count;
}
