import type { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import { type LogFields, type Logger, redact } from '../logger.js';

/**
 * The app's Logger interface on top of Powertools Logger, so every line the app writes on Lambda also carries
 * the invocation's keys (function_request_id, cold_start, api_request_id) that withObservability adds.
 * Children bind fields here rather than via Powertools' createChild, which would miss per-invocation keys.
 */
export function toAppLogger(logger: PowertoolsLogger, bound: LogFields = {}): Logger {
  const log =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (message: string, fields: LogFields = {}) =>
      logger[level](message, redact({ ...bound, ...fields }));
  return {
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    child: (fields) => toAppLogger(logger, { ...bound, ...fields }),
  };
}
