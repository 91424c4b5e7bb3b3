import { getXRayTraceIdFromEnv } from '@aws-lambda-powertools/commons/utils/env';
import type { Context } from 'aws-lambda';
import type { Logger } from '../logger.js';
import { serviceName } from './metric-names.js';

/** What one access-log line says about its request, after the envelope. */
export interface AccessLogEntry {
  request_id: string;
  /** The operationId the dispatcher matched; absent for an unknown path. */
  operation: string | undefined;
  method: string;
  path: string;
  status: number;
  duration_ms: number;
}

export interface AccessLog {
  /** Keys the lines carry until the next call: withObservability sets the Lambda invocation's, then clears them. */
  setInvocationKeys(keys: Record<string, unknown>): void;
  write(entry: AccessLogEntry): void;
}

/** Powertools' INFO threshold: the line is written when the logger would write an info line. */
const infoLevel = 12;

/**
 * The one line per request. It has the envelope of the logger's lines (level, message, timestamp, service, the
 * Lambda context keys, the persistent keys such as `stage`) but is written straight to stdout: Powertools'
 * per-line pipeline (attribute merging, environment reads, a replacer on every value) costs several times what
 * the line itself does, and this line is written on every request. Every other line goes through the logger.
 *
 * @example
 * const accessLog = createAccessLog(logger);
 * accessLog.write({ request_id, operation, method: 'GET', path: '/health', status: 200, duration_ms: 1 });
 */
export function createAccessLog(logger: Logger, writeLine: (line: string) => void = writeToStdout): AccessLog {
  let invocationKeys: Record<string, unknown> = {};
  // The level as the logger settled it at start (LOG_LEVEL, Lambda's log-level controls); asking it per line
  // reads the environment each time.
  const enabled = logger.level <= infoLevel;
  return {
    setInvocationKeys(keys) {
      invocationKeys = keys;
    },
    write(entry) {
      if (!enabled) return;
      const line = {
        level: 'INFO',
        message: 'request',
        timestamp: new Date().toISOString(),
        service: serviceName,
        ...invocationKeys,
        ...logger.getPersistentLogAttributes(),
        ...entry,
      };
      writeLine(`${JSON.stringify(line)}\n`);
    },
  };
}

function writeToStdout(line: string): void {
  process.stdout.write(line);
}

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

/** The keys Powertools' `addContext` puts on a Lambda invocation's lines, with the same names, plus the API request id. */
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
