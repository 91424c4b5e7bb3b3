import type { LogLevel } from './config.js';
import { serviceName } from './observability/metric-names.js';

export type LoggerLevel = LogLevel | 'silent';
type Attributes = Record<string, unknown>;
type Write = (level: Uppercase<LogLevel>, line: string) => void;

export interface Logger {
  debug(message: string, attributes?: Attributes | Error): void;
  info(message: string, attributes?: Attributes | Error): void;
  warn(message: string, attributes?: Attributes | Error): void;
  error(message: string, attributes?: Attributes | Error): void;
  /** Keys every line carries until the next call (`{}` clears them): withObservability sets the Lambda invocation's. */
  setInvocationKeys(keys: Attributes): void;
}

export interface CreateLoggerOptions {
  level?: LoggerLevel;
  /** Added to every line (e.g. the stage). */
  persistentKeys?: Record<string, string>;
  /** Where a finished line goes; by default ERROR and WARN to stderr, the rest to stdout, as Powertools does. */
  write?: Write;
}

const ranks: Record<LoggerLevel, number> = { debug: 8, info: 12, warn: 16, error: 20, silent: 28 };
/** Field names whose values never reach a log line, whatever a caller passes. */
const secretField = /authorization|token|secret|password|cookie|jwt/i;
const stackFrameLocation = /\(([^()]*?):(\d+?):(\d+?)\)\\?$/;

/** Where an error was thrown, as Powertools Logger reports it: the first stack frame's `file:line`. */
function findLocation(stack: string | undefined): string {
  for (const frame of stack?.split('\n') ?? []) {
    const match = stackFrameLocation.exec(frame);
    if (match) return `${match[1]}:${Number(match[2])}`;
  }
  return '';
}

/** An error as Powertools Logger writes it: name, location, message, stack, cause, then its own fields. */
function formatError(error: Error): Attributes {
  const { name, message, stack, cause } = error;
  const formatted: Attributes = {
    name,
    location: findLocation(stack),
    message,
    stack,
    cause: cause instanceof Error ? formatError(cause) : cause,
  };
  for (const key in error) {
    if (!['name', 'message', 'stack', 'cause'].includes(key)) formatted[key] = (error as unknown as Attributes)[key];
  }
  return formatted;
}

/** Powertools' rules for values: secrets redacted, errors formatted, BigInt as text, repeated objects dropped. */
function createReplacer() {
  const seen = new WeakSet<object>();
  return (key: string, value: unknown): unknown => {
    if (key !== '' && secretField.test(key)) return '[redacted]';
    if (value instanceof Error) value = formatError(value);
    if (typeof value === 'bigint') return value.toString();
    if (typeof value === 'object' && value !== null) {
      if (seen.has(value)) return undefined;
      seen.add(value);
    }
    return value;
  };
}

/** Flat attributes of plain values with no secret-looking name need no replacer (the access line on every request). */
function isPlain(attributes: Attributes): boolean {
  for (const key in attributes) {
    const value = attributes[key];
    if ((typeof value === 'object' && value !== null) || typeof value === 'bigint' || secretField.test(key)) {
      return false;
    }
  }
  return true;
}

const writeToConsoleStreams: Write = (level, line) => {
  (level === 'ERROR' || level === 'WARN' ? process.stderr : process.stdout).write(line);
};

/**
 * The one logger, on Lambda, locally and in tests: one JSON object per line with Powertools Logger's envelope
 * (level, message, timestamp, service, the Lambda invocation's keys, the persistent keys, then the line's own)
 * and its rules for values. Written here rather than with Powertools: its per-line pipeline (environment reads,
 * attribute merging, a replacer on every value) cost more than the request it logs, and loading and building it
 * was a tenth of a cold start. test/unit/logger.test.ts holds the lines equal to Powertools Logger's.
 *
 * @example
 * const logger = createLogger({ level: config.logLevel, persistentKeys: { stage: config.stage } });
 */
export function createLogger({
  level = 'info',
  persistentKeys = {},
  write = writeToConsoleStreams,
}: CreateLoggerOptions = {}): Logger {
  const threshold = ranks[level];
  let invocationKeys: Attributes = {};
  const log = (lineLevel: LogLevel) => {
    const rank = ranks[lineLevel];
    const name = lineLevel.toUpperCase() as Uppercase<LogLevel>;
    return (message: string, attributes: Attributes | Error = {}) => {
      if (rank < threshold) return;
      const own = attributes instanceof Error ? { error: attributes } : attributes;
      const line = {
        level: name,
        message,
        timestamp: new Date().toISOString(),
        service: serviceName,
        ...invocationKeys,
        ...persistentKeys,
        ...own,
      };
      write(name, `${isPlain(own) ? JSON.stringify(line) : JSON.stringify(line, createReplacer())}\n`);
    };
  };
  return {
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    setInvocationKeys(keys) {
      invocationKeys = keys;
    },
  };
}
