/**
 * pino JSON-lines logger: to --log <file> (appended, shared by primary and workers), or else to
 * stderr: as JSON lines when stderr is a pipe or a file (a Slurm log, CI), and as one human line
 * per record on a terminal, where raw JSON would only be noise between the progress lines.
 */
import pino, { type DestinationStream, type Logger } from 'pino';
import { usageError } from './errors.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export function createLogger(file: string | null, level: string, bindings: Record<string, unknown>): Logger {
  const dest = file ? logFile(file) : process.stderr.isTTY ? terminal() : pino.destination({ fd: 2, sync: true });
  return pino({ level, base: bindings }, dest);
}

function logFile(file: string) {
  try {
    return pino.destination({ dest: file, append: true, sync: true, mkdir: true });
  } catch (err) {
    throw usageError(`cannot write the log file ${file}: ${(err as Error).message}`);
  }
}

const LABELS: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warning', 50: 'error', 60: 'fatal' };
/** What every record carries and the human line leaves out. */
const LEFT_OUT = new Set(['level', 'time', 'msg', 'role', 'hostname']);

/** A log record as one line: `simrun: warning: worker died; requeueing its chunks (pid 4242, code 1)`. */
export function humanLine(json: string): string {
  let rec: Record<string, unknown>;
  try {
    rec = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return `simrun: ${json.trim()}`;
  }
  const fields = Object.entries(rec)
    .filter(([k, v]) => !LEFT_OUT.has(k) && v !== undefined && v !== null)
    .map(([k, v]) => `${k} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  const label = LABELS[rec.level as number] ?? String(rec.level);
  return `simrun: ${label}: ${String(rec.msg ?? '')}${fields.length ? ` (${fields.join(', ')})` : ''}`;
}

/** Human lines on the terminal; each clears the line first, so it never lands inside a progress bar. */
function terminal(): DestinationStream {
  return {
    write(json: string) {
      process.stderr.write(`\r\x1b[2K${humanLine(json)}\n`);
    },
  };
}
