import { ApiError } from '../../errors.js';
import { defaultRetryPolicy, type RetryPolicy, waitBeforeRetry } from './backoff.js';
import { isThrottle, isTransactionConflict } from './dynamodb-errors.js';

/**
 * Runs a DynamoDB operation, retrying transaction conflicts with backoff (real DynamoDB cancels one of two
 * transactions touching the same item at once, e.g. two joins bumping one member_count) and turning capacity
 * errors the SDK's own retries could not absorb into a 503 with Retry-After.
 */
export async function runWithFaultHandling<T>(
  operation: () => Promise<T>,
  policy: RetryPolicy = defaultRetryPolicy,
): Promise<T> {
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
      await waitBeforeRetry(policy, attempt);
    }
  }
}
