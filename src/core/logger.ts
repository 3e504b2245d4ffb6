import { pino, type Logger, type LoggerOptions, type DestinationStream } from 'pino';

export type { Logger } from 'pino';

/**
 * Paths that may hold credentials. pino replaces them before a line is written, so a secret
 * never reaches a log sink even when a whole request or config object is logged.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'headers.authorization',
  'headers["x-api-key"]',
  'apiKey',
  '*.apiKey',
  'providers.*.apiKey',
  'key',
  'secret',
];

export interface CreateLoggerOptions {
  level?: string;
  /** Where lines go; standard output when absent. */
  destination?: DestinationStream;
}

/** The process logger: structured JSON lines, credentials redacted by path. */
export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const settings: LoggerOptions = {
    level: options.level ?? 'info',
    base: { service: 'rampart' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}

/** A logger that writes nothing, for library use and tests. */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}
