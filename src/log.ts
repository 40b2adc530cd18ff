/** pino JSON-lines logger: to --log <file> (appended, shared by primary and workers) or stderr. */
import pino, { type Logger } from 'pino';
import { usageError } from './errors.js';

export { LOG_LEVELS } from './log-levels.js';

export function createLogger(file: string | null, level: string, bindings: Record<string, unknown>): Logger {
  return pino({ level, base: bindings }, file ? logFile(file) : pino.destination({ fd: 2, sync: true }));
}

function logFile(file: string) {
  try {
    return pino.destination({ dest: file, append: true, sync: true, mkdir: true });
  } catch (err) {
    throw usageError(`cannot write the log file ${file}: ${(err as Error).message}`);
  }
}
