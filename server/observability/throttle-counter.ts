import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { isThrottle } from '../data/faults/dynamodb-errors.js';

export interface ThrottleCounter {
  /** Throttled DynamoDB calls since the last take(), each SDK retry counted, then resets to 0. */
  take(): number;
}

/**
 * Counts throttled DynamoDB calls with an SDK middleware inside the retry loop (finalizeRequest runs per attempt), so throttles the SDK
 * retried away still show up in the DynamoDbThrottles metric (they cost latency before they cost errors).
 */
export function countDynamoDbThrottles(client: Pick<DynamoDBClient, 'middlewareStack'>): ThrottleCounter {
  let count = 0;
  client.middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        if (isThrottle(error)) count += 1;
        throw error;
      }
    },
    { step: 'finalizeRequest', name: 'nbhdCountThrottles', override: true },
  );
  return {
    take() {
      const taken = count;
      count = 0;
      return taken;
    },
  };
}
