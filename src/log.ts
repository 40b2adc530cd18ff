/**
 * pino JSON-lines logger: to --log <file> (appended, shared by primary and workers), or else to
 * stderr: as JSON lines when stderr is a pipe or a file (a Slurm log, CI), and as one human line
 * per record on a terminal, where raw JSON would only be noise between the progress lines.
 *
 * The stderr logger is created lazily: pino (a dozen modules) is loaded, synchronously, the
 * first time something is logged at an enabled level or the logger is used in any other way
 * (a child, a property). At the default level (warn) a run that warns of nothing never loads
 * it, in the primary or in any worker: start-up cost, see docs/benchmarks.md. A --log file is
 * opened at once, so a path that cannot be written fails before the run starts.
 */
import { createRequire } from 'node:module';
import type { DestinationStream, Logger } from 'pino';
import { usageError } from './errors.js';
import { LOG_LEVELS } from './log-levels.js';

export { LOG_LEVELS } from './log-levels.js';

type Pino = typeof import('pino');
let pinoModule: Pino | null = null;
const pino = (): Pino => (pinoModule ??= createRequire(import.meta.url)('pino') as Pino);

/** pino's numeric levels (silent: above all). */
const LEVEL_VALUES: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };

export function createLogger(file: string | null, level: string, bindings: Record<string, unknown>): Logger {
  if (file) {
    const p = pino();
    return p.default({ level, base: bindings }, logFile(p, file));
  }
  const stderr = (): DestinationStream => (process.stderr.isTTY ? terminal() : pino().destination({ fd: 2, sync: true }));
  return lazyLogger(level, () => pino().default({ level, base: bindings }, stderr()));
}

function logFile(p: Pino, file: string) {
  try {
    return p.destination({ dest: file, append: true, sync: true, mkdir: true });
  } catch (err) {
    throw usageError(`cannot write the log file ${file}: ${(err as Error).message}`);
  }
}

const noop = () => {};

/**
 * A Logger that is `make()` from its first real use on. Until then, a call at a level below
 * `level` is a no-op and `isLevelEnabled`/`level` answer without it.
 */
function lazyLogger(level: string, make: () => Logger): Logger {
  const threshold = LEVEL_VALUES[level] ?? LEVEL_VALUES.info!;
  let real: Logger | null = null;
  const get = (): Logger => (real ??= make());
  const bound = new Map<PropertyKey, { of: unknown; call: unknown }>();
  return new Proxy({} as Logger, {
    get(_target, prop) {
      if (!real) {
        if (typeof prop === 'string' && (LOG_LEVELS as readonly string[]).includes(prop) && LEVEL_VALUES[prop]! < threshold) return noop;
        if (prop === 'isLevelEnabled') return (l: string) => (LEVEL_VALUES[l] ?? Infinity) >= threshold;
        if (prop === 'level') return level;
      }
      const r = get();
      const value = Reflect.get(r, prop, r) as unknown;
      if (typeof value !== 'function') return value;
      // Bound once per method: a log call through the proxy allocates nothing.
      let fn = bound.get(prop);
      if (fn?.of !== value) bound.set(prop, (fn = { of: value, call: (value as (...a: unknown[]) => unknown).bind(r) }));
      return fn.call;
    },
    set(_target, prop, value) {
      return Reflect.set(get(), prop, value);
    },
    has(_target, prop) {
      return Reflect.has(get(), prop);
    },
  });
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
