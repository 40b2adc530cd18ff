/**
 * Runs one chunk in a foreign model's process: the whole chunk goes in one `chunk` frame, and
 * the process answers each item in order with a `row` or an `error` frame (or, in batch mode,
 * several items at once with a `rows` frame of columns). The worker checks
 * every row against the model's columns (row.ts) as for a JavaScript model, tells the
 * --item-timeout watchdog which item runs (the next one starts when the previous one answered),
 * and retries transient errors one item at a time with backoff. The process dying, or an answer
 * for another item, crashes the worker: the pool retries and bisects the chunk as for any crash.
 */
import type { Row } from '../../api/model.js';
import type { SerializedError } from '../../errors.js';
import type { ChunkMessage, ItemError, ResultMessage } from '../../protocol.js';
import { chunkResult, RowColumns } from '../row.js';
import type { WorkerSetup } from '../run-chunk.js';
import { retryTransient } from '../transient.js';
import { ForeignProcessError, type Frame } from './process.js';
import { asForeignError, crashWorker, foreignHandle, paramSet, type ForeignHandle } from './load.js';
import { decodeRow } from './wire.js';

type Outcome = { row: unknown } | { error: SerializedError; transient: boolean };

function serialized(v: unknown): { error: SerializedError; transient: boolean } {
  const e = asForeignError(v);
  return { error: { name: e.type, message: e.message, stack: e.traceback }, transient: e.transient === true };
}

/** A protocol violation: the worker ends as crashed. */
function broke(h: ForeignHandle, what: string): never {
  return crashWorker(h, new ForeignProcessError(`model process broke the protocol: ${what}`, null));
}

/**
 * The answers from item `idx` on: one `row` or `error` frame, or a `rows` frame (batch mode)
 * answering up to `max` items at once as columns. Anything else ends the worker as crashed.
 */
async function answers(h: ForeignHandle, idx: number, max: number): Promise<Outcome[]> {
  let f: Frame;
  try {
    f = await h.proc.next();
  } catch (err) {
    return crashWorker(h, err as ForeignProcessError);
  }
  if (f.index !== idx || (f.type !== 'row' && f.type !== 'error' && f.type !== 'rows'))
    return broke(h, `sent '${String(f.type)}' for index ${String(f.index)}, expected item ${idx}`);
  if (f.type === 'row') return [{ row: f.row }];
  if (f.type === 'error') return [serialized(f.error)];
  const columns = f.columns as Record<string, unknown[]> | null;
  const names = columns && typeof columns === 'object' ? Object.keys(columns) : [];
  const n = names.length && Array.isArray(columns![names[0]!]) ? columns![names[0]!]!.length : 0;
  if (n < 1 || n > max || !names.every((c) => Array.isArray(columns![c]) && columns![c]!.length === n))
    return broke(h, `sent 'rows' for index ${idx} that are not 1..${max} rows of columns of one length`);
  const out: Outcome[] = [];
  for (let r = 0; r < n; r++) {
    const row: Record<string, unknown> = {};
    for (const c of names) row[c] = columns![c]![r];
    out.push({ row });
  }
  return out;
}

async function sendItems(h: ForeignHandle, s: WorkerSetup, id: number, entries: { index: number; item: unknown }[]): Promise<void> {
  // A sweep's variant runs under its own parameter set (set up on first use), with its own seed.
  const set = await paramSet(h, s.params);
  // With --item-timeout the worker must see each answer as it is made (the next item's clock starts then).
  h.proc.send({ type: 'chunk', id, set, seed: s.seed, flush: s.watchdog ? 'item' : 'chunk', items: entries });
}

export function isForeignModel(s: WorkerSetup): boolean {
  return foreignHandle(s.model) !== undefined;
}

export async function runForeignChunk(s: WorkerSetup, chunk: ChunkMessage, items: unknown[] | null): Promise<ResultMessage> {
  const h = foreignHandle(s.model)!;
  const t0 = performance.now();
  const itemAt = (k: number) => (items ? items[k] : chunk.start + k);
  await sendItems(
    h,
    s,
    chunk.id,
    Array.from({ length: chunk.count }, (_, k) => ({ index: chunk.start + k, item: itemAt(k) })),
  );
  const outcomes: Outcome[] = [];
  while (outcomes.length < chunk.count) {
    s.watchdog?.start(chunk.start + outcomes.length);
    outcomes.push(...(await answers(h, chunk.start + outcomes.length, chunk.count - outcomes.length)));
  }
  s.watchdog?.idle();
  const out = new RowColumns(s.columns, chunk.count);
  const okIdx: number[] = [];
  const errors: ItemError[] = [];
  for (let k = 0; k < chunk.count; k++) {
    const idx = chunk.start + k;
    let o = outcomes[k]!;
    let attempts: number | undefined;
    if ('error' in o && o.transient && s.retry.retries > 0) {
      const first = Object.assign(new Error(o.error.message), { transient: true });
      const again = await retryTransient(first, () => attempt(h, s, chunk.id, idx, itemAt(k)), s.retry);
      attempts = again.attempts;
      o = again.ok ? { row: again.value } : { error: toSerialized(again.error), transient: false };
    }
    if ('error' in o) {
      errors.push({ idx, kind: 'throw', error: o.error, ...(attempts ? { attempts } : {}) });
      continue;
    }
    try {
      out.add(decodeRow(o.row) as Row);
      okIdx.push(idx);
    } catch (err) {
      errors.push({
        idx,
        kind: 'row',
        error: { name: (err as Error).name, message: (err as Error).message },
        ...(attempts ? { attempts } : {}),
      });
    }
  }
  return chunkResult(chunk, out, okIdx, errors, () => ({ ms: performance.now() - t0 }));
}

/** A retried item's error keeps the model's type, message and traceback. */
class ForeignItemError extends Error {
  constructor(
    readonly serialized: SerializedError,
    readonly transient: boolean,
  ) {
    super(serialized.message);
  }
}

function toSerialized(err: unknown): SerializedError {
  if (err instanceof ForeignItemError) return err.serialized;
  return { name: (err as Error).name ?? 'Error', message: (err as Error).message ?? String(err) };
}

/** One more try of one item, in a chunk of its own: a row, or a thrown ForeignItemError. */
async function attempt(h: ForeignHandle, s: WorkerSetup, id: number, idx: number, item: unknown): Promise<unknown> {
  await sendItems(h, s, id, [{ index: idx, item }]);
  s.watchdog?.start(idx);
  const o = (await answers(h, idx, 1))[0]!;
  s.watchdog?.idle();
  if ('error' in o) throw new ForeignItemError(o.error, o.transient);
  return o.row;
}
