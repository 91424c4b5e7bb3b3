import type { LogLevel } from './config.js';

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `fields` (e.g. request_id) to every line. */
  child(fields: LogFields): Logger;
}

const levelRank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Field names whose values never reach a log line, whatever a caller passes. */
const secretField = /authorization|token|secret|password|cookie|jwt/i;

function redact(fields: LogFields): LogFields {
  const out: LogFields = {};
  for (const [key, value] of Object.entries(fields)) {
    if (secretField.test(key)) out[key] = '[redacted]';
    else if (value instanceof Error) out[key] = { name: value.name, message: value.message, stack: value.stack };
    else out[key] = value;
  }
  return out;
}

export interface CreateLoggerOptions {
  level?: LogLevel;
  service?: string;
  /** Where lines go; stdout by default (CloudWatch on Lambda). Tests pass an array's push. */
  write?: (line: string) => void;
  now?: () => Date;
}

/**
 * A one-JSON-object-per-line logger: small, synchronous and dependency-free, so every line carries the same
 * shape on Lambda, locally and in tests.
 *
 * @example
 * const logger = createLogger({ level: 'info' }).child({ request_id });
 */
export function createLogger(options: CreateLoggerOptions = {}, bound: LogFields = {}): Logger {
  const threshold = levelRank[options.level ?? 'info'];
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const now = options.now ?? (() => new Date());
  const log =
    (level: LogLevel) =>
    (message: string, fields: LogFields = {}) => {
      if (levelRank[level] < threshold) return;
      write(
        JSON.stringify({
          timestamp: now().toISOString(),
          level,
          service: options.service ?? 'nbhd-city-api',
          message,
          ...redact({ ...bound, ...fields }),
        }),
      );
    };
  return {
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    child: (fields) => createLogger(options, { ...bound, ...fields }),
  };
}
