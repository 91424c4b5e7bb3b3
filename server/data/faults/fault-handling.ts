import { ApiError } from '../../errors.js';

/** Error names the service uses when a table or account is over its capacity. */
const throttleNames = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'LimitExceededException',
]);
const throttleReasonCodes = new Set(['ThrottlingError', 'ProvisionedThroughputExceeded', 'RequestLimitExceeded']);

interface CancellationReason {
  Code?: string;
  Item?: Record<string, unknown>;
}

/** Cancellation reasons of a TransactionCanceledException, one per transaction item; undefined for other errors. */
export function getCancellationReasons(error: unknown): CancellationReason[] | undefined {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return undefined;
  return (error as Error & { CancellationReasons?: CancellationReason[] }).CancellationReasons ?? [];
}

/** True when the item at `index` of a cancelled transaction failed its condition. */
export function isConditionFailedAt(error: unknown, index: number): boolean {
  return getCancellationReasons(error)?.[index]?.Code === 'ConditionalCheckFailed';
}

export function isTransactionConflict(error: unknown): boolean {
  if (error instanceof Error && error.name === 'TransactionConflictException') return true;
  return getCancellationReasons(error)?.some((reason) => reason.Code === 'TransactionConflict') ?? false;
}

export function isThrottle(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (throttleNames.has(error.name)) return true;
  return getCancellationReasons(error)?.some((reason) => throttleReasonCodes.has(reason.Code ?? '')) ?? false;
}

export interface RetryPolicy {
  /** Total attempts for a transaction that keeps conflicting. */
  attempts: number;
  /** Upper bound of the first backoff in ms; doubles each attempt ("full jitter"). */
  baseDelayMs: number;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export const defaultRetryPolicy: RetryPolicy = { attempts: 4, baseDelayMs: 20 };

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs a DynamoDB operation, retrying transaction conflicts with full jitter (real DynamoDB cancels one of two
 * transactions touching the same item at once, e.g. two joins bumping one member_count) and turning capacity
 * errors the SDK's own retries could not absorb into a 503 with Retry-After.
 */
export async function runWithFaultHandling<T>(
  operation: () => Promise<T>,
  policy: RetryPolicy = defaultRetryPolicy,
): Promise<T> {
  const random = policy.random ?? Math.random;
  const sleep = policy.sleep ?? sleepFor;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await operation();
    } catch (error) {
      if (isThrottle(error)) {
        throw new ApiError('service-unavailable', 'The database is over capacity; retry shortly.', {
          retryAfter: 1,
          cause: error,
        });
      }
      if (!isTransactionConflict(error)) throw error;
      if (attempt >= policy.attempts) {
        throw new ApiError('service-unavailable', 'Too many concurrent changes to this resource; retry shortly.', {
          retryAfter: 1,
          cause: error,
        });
      }
      await sleep(random() * policy.baseDelayMs * 2 ** (attempt - 1));
    }
  }
}
