import { Logger } from '@aws-lambda-powertools/logger';
import type { LogLevel } from './config.js';
import { serviceName } from './observability/metric-names.js';

export type { Logger } from '@aws-lambda-powertools/logger';

/** Field names whose values never reach a log line, whatever a caller passes. */
const secretField = /authorization|token|secret|password|cookie|jwt/i;

/** Runs before Powertools' own rules (which format errors and drop circular references). */
function redactSecrets(key: string, value: unknown): unknown {
  return key !== '' && secretField.test(key) ? '[redacted]' : value;
}

export interface CreateLoggerOptions {
  level?: LogLevel;
  /** Added to every line (e.g. the stage). */
  persistentKeys?: Record<string, string>;
}

/**
 * The one logger, on Lambda, locally and in tests: Powertools Logger, one JSON object per line. On Lambda,
 * withObservability adds the invocation's keys (function_request_id, cold_start) to every line.
 *
 * @example
 * const logger = createLogger({ level: config.logLevel, persistentKeys: { stage: config.stage } });
 */
export function createLogger({ level = 'info', persistentKeys = {} }: CreateLoggerOptions = {}): Logger {
  return new Logger({
    serviceName,
    logLevel: level.toUpperCase() as Uppercase<LogLevel>,
    persistentKeys,
    jsonReplacerFn: redactSecrets,
  });
}
