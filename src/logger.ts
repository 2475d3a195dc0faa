import { type Logger as PinoLogger, pino } from 'pino';

export type Logger = PinoLogger;
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/**
 * Paths that must never be written even if a caller hands them to the logger by mistake.
 * The client never logs these values on purpose; this is the second lock on the door.
 */
const REDACTED_PATHS = [
  'accessKeyId',
  'accessKeySecret',
  'securityToken',
  'signature',
  '*.accessKeyId',
  '*.accessKeySecret',
  '*.securityToken',
  '*.signature',
  'req.headers.authorization',
];

export interface LoggerOptions {
  /** @default 'info' */
  level?: LogLevel;
  /** Human-readable lines instead of JSON. @default false */
  pretty?: boolean;
}

/** The project's one structured logger. Library modules receive it; none creates its own. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? 'info';
  const redact = { paths: REDACTED_PATHS, censor: '[redacted]' };
  if (options.pretty) {
    return pino({
      level,
      redact,
      transport: {
        target: 'pino-pretty',
        options: { colorize: true, translateTime: 'SYS:HH:MM:ss' },
      },
    });
  }

  return pino({ level, redact });
}

/** A logger that writes nothing, for tests and embedders that bring none. */
export const silentLogger: Logger = pino({ level: 'silent' });
