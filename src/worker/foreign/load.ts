/**
 * Loading a foreign model (Python, R, a manifest's program): start its process, say hello, read
 * its `describe` and give back a model object that the rest of simrun treats like any other
 * (name, version, columns, params; `setup` sends `setup` to the process). In a worker the process
 * stays for the whole run (run-chunk.ts streams chunks to it); anywhere else (the primary, report,
 * merge) it is told `bye` as soon as the declaration is read.
 */
import cluster from 'node:cluster';
import type { Logger } from 'pino';
import type { ColumnType, Model, Params } from '../../api/model.js';
import { closeAllForeignProcesses, describeExit, ForeignProcess, ForeignProcessError, type Frame } from './process.js';
import { processGroupMembers } from '../../util/process-group.js';
import { foreignSpec, type ForeignLanguage } from './spec.js';
import { PROTOCOL_VERSION } from './wire.js';

const HANDLE = Symbol.for('simrun.foreignModel');

export interface ForeignHandle {
  language: ForeignLanguage;
  proc: ForeignProcess;
  /** What the process said it runs on (e.g. "CPython 3.11.2"), part of the code fingerprint. */
  interpreter: string;
  /** The log once set up, for the line that says why the model process ended. */
  log: Logger | null;
  /**
   * The parameter sets the process was set up with, by the params object of each (a sweep's
   * variants: one `setup` frame each, sent before the variant's first chunk); set 0 is the run's.
   */
  sets: Map<Params, number>;
  outDir: string | null;
}

export function foreignHandle(model: Model): ForeignHandle | undefined {
  return (model as unknown as Record<symbol, ForeignHandle | undefined>)[HANDLE];
}

/** A model error's `error` object from the process: { type, message, traceback?, where?, transient? }. */
export interface ForeignError {
  type: string;
  message: string;
  traceback?: string;
  where?: string;
  transient?: boolean;
}

export function asForeignError(v: unknown): ForeignError {
  const e = (v && typeof v === 'object' ? v : {}) as Record<string, unknown>;
  return {
    type: typeof e.type === 'string' && e.type ? e.type : 'Error',
    message: typeof e.message === 'string' ? e.message : JSON.stringify(e.message ?? null),
    traceback: typeof e.traceback === 'string' ? e.traceback : undefined,
    where: typeof e.where === 'string' ? e.where : undefined,
    transient: e.transient === true,
  };
}

function oneLine(e: ForeignError): string {
  const msg = e.message.split('\n').find((l) => l.trim()) ?? '';
  return `${e.type}: ${msg}${e.where && !msg.includes(e.where) ? ` (${e.where})` : ''}`;
}

/** The next frame, which must be `type` (a `fatal` frame or anything else is an error). */
export async function expectFrame(proc: ForeignProcess, type: string): Promise<Frame> {
  const f = await proc.next();
  if (f.type === type) return f;
  if (f.type === 'fatal') throw new Error(oneLine(asForeignError(f.error)));
  throw new ForeignProcessError(`model process sent '${String(f.type)}' where simrun expected '${type}'`, null);
}

/** One line for a model that did not start: its own error, or how its process ended and its last output. */
async function startError(proc: ForeignProcess, err: unknown): Promise<Error> {
  if (!(err instanceof ForeignProcessError)) return err as Error;
  await proc.outputRead();
  const last = proc.tail.filter((l) => l.trim()).slice(-3);
  const how = err.exit ? describeExit(err.exit, proc.spec.command, proc.spec.language) : err.message;
  return new Error(last.length ? `${how}; its last output: ${last.map((l) => l.trim()).join(' | ')}` : how);
}

/** Starts the model's process and reads its declaration; the module-like `{ default: model }` of model-loader.ts. */
export async function importForeignModel(file: string): Promise<{ default: Model }> {
  const spec = foreignSpec(file);
  const proc = new ForeignProcess(spec);
  let describe: Frame;
  try {
    // Imported here: version.ts reads package.json relative to dist/, which unit tests of run-chunk.ts do not have.
    const { SIMRUN_VERSION } = await import('../../version.js');
    proc.send({ type: 'hello', protocol: PROTOCOL_VERSION, simrun: SIMRUN_VERSION, file: spec.file, language: spec.language });
    describe = await expectFrame(proc, 'describe');
    if (describe.protocol !== PROTOCOL_VERSION)
      throw new Error(`its runtime speaks protocol ${String(describe.protocol)}, this simrun speaks ${PROTOCOL_VERSION}`);
  } catch (err) {
    const e = await startError(proc, err);
    proc.kill();
    throw e;
  }
  const declared = (spec.declaration ?? describe.model ?? {}) as Partial<Model>;
  const handle: ForeignHandle = {
    language: spec.language,
    proc,
    interpreter: typeof describe.interpreter === 'string' ? describe.interpreter : '',
    log: null,
    sets: new Map(),
    outDir: null,
  };
  const model = {
    name: declared.name as string,
    version: declared.version as string,
    columns: declared.columns as Record<string, ColumnType>,
    params: (declared.params ?? {}) as Params,
    setup: (ctx: { params: Params; log: Logger; outDir: string | null }) => setUp(handle, ctx),
    analyze: () => {
      throw new Error('a foreign model runs in its own process (foreign/run-chunk.ts)');
    },
    format: () => {
      throw new Error('a foreign model runs in its own process (foreign/run-chunk.ts)');
    },
    [HANDLE]: handle,
  };
  if (!cluster.isWorker) await proc.close();
  return { default: model as Model };
}

async function setUp(h: ForeignHandle, ctx: { params: Params; log: Logger; outDir: string | null }): Promise<void> {
  h.log = ctx.log;
  h.outDir = ctx.outDir;
  h.proc.attachLog(ctx.log);
  h.proc.send({ type: 'setup', set: 0, params: ctx.params, out_dir: ctx.outDir });
  try {
    await expectFrame(h.proc, 'ready');
  } catch (err) {
    const e = await startError(h.proc, err);
    h.proc.kill();
    throw new Error(`setup failed: ${e.message}`);
  }
  h.sets.set(ctx.params, 0);
  // From now on the process ending (between chunks too) is the worker crashing.
  h.proc.onFailure = (err) => crashWorker(h, err);
}

/**
 * The set id of `params` in the model's process: a sweep's variant is set up (its own `setup`
 * frame, answered `ready`) before its first chunk. A setup that fails then ends the worker as
 * crashed: the variant's params passed the model's declaration when the sweep was checked.
 */
export async function paramSet(h: ForeignHandle, params: Params): Promise<number> {
  const known = h.sets.get(params);
  if (known !== undefined) return known;
  const set = h.sets.size;
  h.proc.send({ type: 'setup', set, params, out_dir: h.outDir });
  let f: Frame;
  try {
    f = await h.proc.next();
  } catch (err) {
    return crashWorker(h, err as ForeignProcessError);
  }
  if (f.type !== 'ready' || f.set !== set) {
    const what = f.type === 'fatal' ? oneLine(asForeignError(f.error)) : `sent '${String(f.type)}'`;
    return crashWorker(h, new ForeignProcessError(`model process: setup of parameter set ${set} failed: ${what}`, null));
  }
  h.sets.set(params, set);
  return set;
}

/**
 * The model process died or broke the protocol: the worker ends the same way (same exit code or
 * signal), so the pool treats it as a worker crash (its chunk retried, bisected to the item).
 */
export function crashWorker(h: ForeignHandle, err: ForeignProcessError): never {
  h.log?.error({ exit: err.exit, lastOutput: h.proc.tail.slice(-5) }, `${err.message}; the worker exits as crashed`);
  const signal = err.exit?.signal;
  if (signal) {
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  }
  process.exit(err.exit?.code || 1);
}

/**
 * Before the worker exits: closes its model processes, one still starting included, and waits
 * (1 s at most) for what they started to end with them (R's pipe helpers end on their pipes'
 * EOF), so that nothing of simrun's own is left in the worker's group to be counted as the
 * model's leftovers.
 */
export async function closeForeignModels(): Promise<void> {
  if (!(await closeAllForeignProcesses())) return;
  const until = Date.now() + 1000;
  const others = () => (processGroupMembers(process.pid) ?? []).filter((pid) => pid !== process.pid);
  while (others().length && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
}
