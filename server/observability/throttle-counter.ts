import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** Error names DynamoDB uses when it throttles a request (on-demand tables included). */
const throttleErrors = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
]);

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
        if (error instanceof Error && throttleErrors.has(error.name)) count += 1;
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
