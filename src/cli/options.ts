/** Option parsers and option sets shared by `run` and `resume`. */
import os from 'node:os';
import path from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { usageError } from '../errors.js';
import { LOG_LEVELS } from '../log-levels.js';
import type { SessionOptions } from '../primary/run/session.js';
import type { WorkerForks } from '../primary/pool/worker-forks.js';

export function intArg(min: number, what: string) {
  return (raw: string): number => {
    const n = Number(raw);
    if (!/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n < min) {
      throw new InvalidArgumentError(`${what} must be a whole number >= ${min}`);
    }
    return n;
  };
}

export function chunkSizeArg(raw: string): number | 'auto' {
  return raw === 'auto' ? 'auto' : intArg(1, "chunk size ('auto' or N)")(raw);
}

export const collect = (value: string, previous: string[]) => [...previous, value];

/** Flags that control one session of a run (both `run` and `resume` take them). */
export function addSessionOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option('-w, --workers <n>', 'worker processes')
        .argParser(intArg(1, 'workers'))
        .default(os.availableParallelism(), `all cores: ${os.availableParallelism()}`),
    )
    .option('--chunk-size <n|auto>', 'items per chunk; auto aims at ~100 ms of work per chunk', chunkSizeArg, 'auto' as const)
    .option(
      '--retries <n>',
      'times an item is tried again after it crashed its worker, timed out, or threw a transient error (transient() from simrun), before it is recorded as an error',
      intArg(0, 'retries'),
      2,
    )
    .option(
      '--retry-delay <ms>',
      'wait before retrying a transient error; doubles each time, with jitter, up to 30 s',
      intArg(0, 'retry delay'),
      200,
    )
    .option(
      '--item-timeout <ms>',
      'a watchdog in the worker kills it when one item runs longer than this; the item is retried under --retries, then recorded (kind timeout). Default: no limit',
      intArg(1, 'item timeout'),
    )
    .option(
      '--stall-warn <seconds>',
      'warn (log and progress line) when a worker with work in flight has reported nothing this long; 0: never',
      intArg(0, 'stall warning'),
      600,
    )
    .option('--grace <seconds>', 'on SIGINT/SIGTERM, how long in-flight chunks may take to finish', intArg(0, 'grace'), 30)
    .option('--out <dir>', 'directory for file outputs of the model (ctx.outDir)')
    .option('--log <file>', 'write pino JSON logs to this file (default: stderr, warn and above)')
    .addOption(new Option('--log-level <level>', 'log level').choices(LOG_LEVELS as unknown as string[]))
    .option('-q, --quiet', 'no progress and no summary line', false)
    .option('--force', `allow --workers above ${MAX_WORKERS_PER_CORE}x the cores`, false);
}

/** Workers past this many per core only thrash (300 on 2 cores: no item done in 100 s). */
export const MAX_WORKERS_PER_CORE = 4;

/**
 * --workers above the core count: a warning (they share the cores); above
 * MAX_WORKERS_PER_CORE times it: refused unless --force, before anything starts.
 */
export function checkWorkers(workers: number, force: boolean, cores = os.availableParallelism()): string | null {
  if (workers <= cores) return null;
  const max = MAX_WORKERS_PER_CORE * cores;
  if (workers > max && !force) {
    throw usageError(
      `--workers ${workers} is more than ${MAX_WORKERS_PER_CORE}x the ${cores} core(s) here (${max}): so many workers thrash instead of running faster; use --workers ${cores}, or pass --force`,
    );
  }
  return `simrun: warning: --workers ${workers} is more than the ${cores} core(s) here; the workers share them`;
}

/**
 * Forks the session's workers at once (see worker-forks.ts); loaded here, after the flags are
 * checked, so `--help` and a refused flag pay nothing for it.
 */
export function forkEarly(workers: number): Promise<WorkerForks> {
  const forks = import('../primary/pool/worker-forks.js').then(({ WorkerForks }) => WorkerForks.start(workers));
  // Awaited by the session; a run refused before it starts must not fail on an unhandled rejection.
  forks.catch(() => {});
  return forks;
}

export interface SessionFlags {
  workers: number;
  chunkSize: number | 'auto';
  retries: number;
  retryDelay: number;
  grace: number;
  stallWarn: number;
  itemTimeout?: number;
  out?: string;
  log?: string;
  logLevel?: string;
  quiet: boolean;
  force: boolean;
}

export function sessionOptions(f: SessionFlags): SessionOptions {
  const warning = checkWorkers(f.workers, f.force);
  if (warning) process.stderr.write(`${warning}\n`);
  return {
    workers: f.workers,
    chunkSize: f.chunkSize,
    retries: f.retries,
    retryDelayMs: f.retryDelay,
    graceMs: f.grace * 1000,
    itemTimeoutMs: f.itemTimeout ?? 0,
    stallWarnMs: f.stallWarn * 1000,
    outDir: f.out ? path.resolve(f.out) : null,
    logFile: f.log ?? null,
    logLevel: f.logLevel ?? (f.log ? 'info' : 'warn'),
    quiet: f.quiet,
  };
}
