import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { Logger } from '../logger.js';
import { createColdStartFlag, toInvocationKeys } from './invocation-keys.js';
import type { LambdaMetrics } from './lambda-telemetry.js';
import type { ThrottleCounter } from './throttle-counter.js';

export type HttpApiHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

export interface ObservabilityDeps {
  logger: Logger;
  metrics: LambdaMetrics;
  /** The operationId the app's dispatcher matched for this invocation ("unmatched" if none). */
  takeOperation: () => string;
  throttles?: ThrottleCounter;
}

/**
 * Wraps the HTTP API handler: per invocation it adds the Lambda context (request id, cold start) to every
 * log line, including the app's access-log line (one per request), and writes the request's metrics as EMF.
 *
 * @example
 * export const handler = withObservability(createLambdaHandler(runtime.app), runtime);
 */
export function withObservability(handler: HttpApiHandler, deps: ObservabilityDeps): HttpApiHandler {
  const isColdStart = createColdStartFlag();
  return async (event, context) => {
    // process.hrtime, not node:perf_hooks' performance: that module (and the global) loads ten more at a cold start.
    const started = process.hrtime.bigint();
    const coldStart = isColdStart();
    deps.logger.setInvocationKeys(toInvocationKeys(context, coldStart, event.requestContext.requestId));
    if (coldStart) deps.metrics.recordColdStart(context.functionName);
    let status = 500;
    try {
      const result = await handler(event, context);
      status = result.statusCode ?? 200;
      return result;
    } catch (error) {
      deps.logger.error('unhandled error in the Lambda handler', error as Error);
      throw error;
    } finally {
      const latencyMs = Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100;
      const dynamoDbThrottles = deps.throttles?.take() ?? 0;
      // Lambda sends one event at a time to a process: what the dispatcher matched belongs to this one.
      const operation = deps.takeOperation();
      deps.metrics.recordRequest({ operation, status, latencyMs, dynamoDbThrottles });
      deps.logger.setInvocationKeys({});
    }
  };
}
