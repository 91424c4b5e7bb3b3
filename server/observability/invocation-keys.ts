import { getXRayTraceIdFromEnv } from '@aws-lambda-powertools/commons/utils/env';
import type { Context } from 'aws-lambda';

/**
 * Tells each invocation whether it is the cold start, by Powertools' rule: the process's first invocation, and
 * only when Lambda says the environment was initialised on demand (provisioned concurrency is never cold).
 */
export function createColdStartFlag(env: NodeJS.ProcessEnv = process.env): () => boolean {
  let cold = env.AWS_LAMBDA_INITIALIZATION_TYPE?.trim() === 'on-demand';
  return () => {
    const verdict = cold;
    cold = false;
    return verdict;
  };
}

/**
 * The keys Powertools Logger's `addContext` puts on a Lambda invocation's lines, with the same names, plus the API
 * request id: every line of the invocation carries them (logger.setInvocationKeys).
 */
export function toInvocationKeys(context: Context, coldStart: boolean, apiRequestId: string): Record<string, unknown> {
  const xrayTraceId = getXRayTraceIdFromEnv();
  return {
    cold_start: coldStart,
    function_arn: context.invokedFunctionArn,
    function_memory_size: context.memoryLimitInMB,
    function_name: context.functionName,
    function_request_id: context.awsRequestId,
    ...(xrayTraceId ? { xray_trace_id: xrayTraceId } : {}),
    api_request_id: apiRequestId,
  };
}
