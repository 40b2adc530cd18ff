/**
 * One model process of a foreign model (Python, R, a manifest's program): started once, spoken
 * to in frames on fds 3 (to the model) and 4 (from the model), see wire.ts and docs/protocol.md.
 * Its stdout and stderr are the model's own output: they go to the worker's log line by line
 * (and the last lines are kept for error messages), never into results.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import type { Logger } from 'pino';
import type { ForeignSpec } from './spec.js';
import { encodeFrame, FrameReader } from './wire.js';

export type Frame = Record<string, unknown>;

/** How the model process ended, for the messages that name it. */
export interface ForeignExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The spawn itself failed (e.g. ENOENT: no such interpreter). */
  spawnError: NodeJS.ErrnoException | null;
}

/** The model process is gone (or broke the protocol) while simrun waited for a frame. */
export class ForeignProcessError extends Error {
  override name = 'ForeignProcessError';
  constructor(
    message: string,
    readonly exit: ForeignExit | null,
  ) {
    super(message);
  }
}

const TAIL_LINES = 20;
const MAX_LINE = 64 * 1024;

/** Model processes still running: killed when this process exits, whatever the reason (a load timeout, an error). */
const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});
/** The ForeignProcess objects not yet ended, a model still starting included (closeAll). */
const open = new Set<ForeignProcess>();
let started = false;

/**
 * Says bye to every model process of this worker, a model still starting (no `setup` yet) too,
 * and waits for each to end (1 s at most, then SIGKILL). True when this worker ever started one.
 */
export async function closeAllForeignProcesses(): Promise<boolean> {
  await Promise.all([...open].map((p) => p.close()));
  return started;
}

const LEVELS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal']);

export class ForeignProcess {
  readonly child: ChildProcess;
  private readonly toModel: Writable;
  private readonly reader = new FrameReader();
  private readonly inbox: Frame[] = [];
  private waiter: { resolve: (f: Frame) => void; reject: (e: Error) => void } | null = null;
  private failure: ForeignProcessError | null = null;
  exited: ForeignExit | null = null;
  private readonly exitWaiters: (() => void)[] = [];
  /** The model's last lines of output (stdout and stderr), newest last. */
  readonly tail: string[] = [];
  private held: [string, string][] = [];
  private log: Logger | null = null;
  /** Called once when the process ends or breaks the protocol (after `failure` is set). */
  onFailure: ((err: ForeignProcessError) => void) | null = null;

  constructor(readonly spec: ForeignSpec) {
    this.child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe'],
      env: { ...process.env, PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1', SIMRUN_PROTOCOL_FDS: '3,4' },
    });
    live.add(this.child);
    open.add(this);
    started = true;
    this.toModel = this.child.stdio[3] as Writable;
    const fromModel = this.child.stdio[4] as Readable;
    this.toModel.on('error', () => {}); // EPIPE when the model is gone: its exit says why
    fromModel.on('data', (d: Buffer) => this.receive(d));
    fromModel.on('error', () => {});
    this.lines(this.child.stdout!, 'stdout');
    this.lines(this.child.stderr!, 'stderr');
    this.child.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT' || err.code === 'EACCES') this.ended({ code: null, signal: null, spawnError: err });
    });
    this.child.on('exit', (code, signal) => this.ended({ code, signal, spawnError: null }));
  }

  /** From now on the model's output and its ctx.log messages go to `log` (held lines first). */
  attachLog(log: Logger): void {
    this.log = log;
    for (const [stream, line] of this.held) log.info({ stream, model: true }, line);
    this.held = [];
  }

  send(message: object): void {
    if (!this.exited) this.toModel.write(encodeFrame(message));
  }

  /** The next frame from the model (its `log` frames are logged, not returned). */
  next(): Promise<Frame> {
    const f = this.inbox.shift();
    if (f) return Promise.resolve(f);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => (this.waiter = { resolve, reject }));
  }

  /** Resolves when the process has exited (at once if it has). */
  whenExited(): Promise<void> {
    return this.exited ? Promise.resolve() : new Promise((r) => this.exitWaiters.push(r));
  }

  /** Resolves when the model's output has been read to its end (or after `ms`), for error messages. */
  outputRead(ms = 500): Promise<void> {
    if (this.child.stdout!.readableEnded && this.child.stderr!.readableEnded) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.child.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Says bye and waits up to `ms` for the process to exit, then kills it; resolves once it is gone. */
  async close(ms = 1000): Promise<void> {
    if (this.exited) return;
    this.onFailure = null;
    this.send({ type: 'bye' });
    this.toModel.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), ms);
    await this.whenExited();
    clearTimeout(timer);
  }

  /** Kills the process at once (no bye). */
  kill(): void {
    this.onFailure = null;
    if (!this.exited) this.child.kill('SIGKILL');
  }

  private receive(data: Buffer): void {
    let frames: Frame[];
    try {
      frames = this.reader.push(data);
    } catch (err) {
      this.fail(new ForeignProcessError(`model process broke the protocol: ${(err as Error).message}`, null));
      return;
    }
    for (const f of frames) {
      if (f.type === 'log') this.modelLog(f);
      else if (this.waiter) {
        const w = this.waiter;
        this.waiter = null;
        w.resolve(f);
      } else this.inbox.push(f);
    }
  }

  /** A `{type: "log", level, msg, index?}` frame: ctx.log in the model. */
  private modelLog(f: Frame): void {
    const level = typeof f.level === 'string' && LEVELS.has(f.level) ? f.level : 'info';
    const msg = typeof f.msg === 'string' ? f.msg : JSON.stringify(f.msg);
    const fields = typeof f.index === 'number' ? { idx: f.index, model: true } : { model: true };
    if (this.log) this.log[level as 'info'](fields, msg);
    else this.held.push(['log', msg]);
  }

  private lines(stream: Readable, name: string): void {
    let partial = '';
    stream.setEncoding('utf8');
    stream.on('data', (text: string) => {
      const parts = (partial + text).split('\n');
      partial = parts.pop()!;
      // Output without line ends (a progress bar) is logged in pieces, not kept in memory.
      if (partial.length > MAX_LINE) {
        parts.push(partial);
        partial = '';
      }
      for (const line of parts) this.line(name, line);
    });
    stream.on('end', () => partial && this.line(name, partial));
  }

  private line(stream: string, line: string): void {
    this.tail.push(line);
    if (this.tail.length > TAIL_LINES) this.tail.shift();
    if (this.log) this.log.info({ stream, model: true }, line);
    else if (this.held.length < 1000) this.held.push([stream, line]);
  }

  private ended(exit: ForeignExit): void {
    live.delete(this.child);
    open.delete(this);
    if (this.exited) return;
    this.exited = exit;
    for (const r of this.exitWaiters.splice(0)) r();
    this.fail(new ForeignProcessError(describeExit(exit, this.spec.command, this.spec.language), exit));
  }

  private fail(err: ForeignProcessError): void {
    if (this.failure) return;
    this.failure = err;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = null;
      w.reject(err);
    }
    this.onFailure?.(err);
  }
}

const INSTALL_HINT: Record<ForeignSpec['language'], string> = {
  python: 'install Python 3, or name the interpreter with SIMRUN_PYTHON=/path/to/python3',
  r: 'install R (Debian: r-base-core), or name it with SIMRUN_RSCRIPT=/path/to/Rscript',
  program: "check the manifest's command",
};

export function describeExit(exit: ForeignExit, command: string, language: ForeignSpec['language']): string {
  if (exit.spawnError) {
    return exit.spawnError.code === 'ENOENT'
      ? `${command} not found (${INSTALL_HINT[language]})`
      : `${command} could not be started: ${exit.spawnError.message}`;
  }
  return exit.signal ? `model process was killed by ${exit.signal}` : `model process exited with code ${exit.code}`;
}
