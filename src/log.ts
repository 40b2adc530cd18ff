/** pino JSON-lines logger: to --log <file> (appended, shared by primary and workers) or stderr. */
import pino, { type Logger } from 'pino';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export function createLogger(file: string | null, level: string, bindings: Record<string, unknown>): Logger {
  const dest = file ? pino.destination({ dest: file, append: true, sync: true, mkdir: true }) : pino.destination({ fd: 2, sync: true });
  return pino({ level, base: bindings }, dest);
}
