import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** Records every DynamoDB command a client sends (name + duration), e.g. to count calls per API operation. */
export interface CallRecorder {
  calls: Array<{ command: string; ms: number }>;
  reset(): void;
}

/** Adds a middleware that records each command sent through `client` (outside the SDK's retries). */
export function recordDynamoDbCalls(client: DynamoDBClient): CallRecorder {
  const recorder: CallRecorder = {
    calls: [],
    reset() {
      recorder.calls.length = 0;
    },
  };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const started = performance.now();
      try {
        return await next(args);
      } finally {
        recorder.calls.push({ command: String(context.commandName), ms: performance.now() - started });
      }
    },
    { step: 'initialize', name: 'nbhdCallRecorder', override: true },
  );
  return recorder;
}

export interface InjectedFault {
  /** e.g. 'TransactWriteItemsCommand'; any command when omitted. */
  command?: string;
  /** How many matching calls fail; then calls go through again. */
  times: number;
  /** Builds the error to throw (a fresh one per call, like the SDK's). */
  error: () => Error;
}

/**
 * Makes matching commands fail before they reach the engine — for what DynamoDB Local never does
 * (throttling, TransactionConflict). Added at the initialize step, so the SDK's own retries do not see it.
 */
export function injectDynamoDbFaults(client: DynamoDBClient): { add(fault: InjectedFault): void; clear(): void } {
  const faults: InjectedFault[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const fault = faults.find((f) => f.times > 0 && (!f.command || f.command === context.commandName));
      if (fault) {
        fault.times -= 1;
        throw fault.error();
      }
      return next(args);
    },
    { step: 'initialize', name: 'nbhdFaultInjector', override: true },
  );
  return {
    add: (fault) => faults.push(fault),
    clear: () => {
      faults.length = 0;
    },
  };
}

/** An error shaped like the SDK's, with the fields the app looks at. */
export function createAwsError(name: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(`${name} (injected)`), { name, $fault: 'client', $metadata: {}, ...extra });
}
