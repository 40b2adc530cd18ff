/** Runs every item of one chunk through analyze() and format(); a throw fails that item only. */
import type { Logger } from 'pino';
import { serializeError } from '../errors.js';
import type { ColumnType, Context, Model, Params, Row } from '../api/model.js';
import type { ChunkMessage, ItemError, ResultMessage } from '../protocol.js';
import type { ItemWatchdog } from './item-watchdog.js';
import { ChunkTimer } from './chunk-timer.js';
import { itemRandom } from './random.js';
import { chunkResult, RowColumns } from './row.js';
import { isTransient, retryTransient, type RetryPolicy } from './transient.js';
import { isForeignModel, runForeignChunk } from './foreign/run-chunk.js';

export interface WorkerSetup {
  model: Model;
  columns: [string, ColumnType][];
  params: Params;
  seed: number;
  outDir: string | null;
  log: Logger;
  /** --item-timeout: told as each item starts, or null. */
  watchdog: ItemWatchdog | null;
  /** How transient errors are retried (--retries, --retry-delay). */
  retry: RetryPolicy;
  ctx?: ItemContext;
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return v !== null && typeof v === 'object' && typeof (v as { then?: unknown }).then === 'function';
}

/**
 * One context object per worker, re-pointed at each item in turn (items run one at a time),
 * so a chunk of cheap items allocates only the item's random stream. That stream is made here,
 * not at the first draw: a first-draw stub in `random` made the model's ctx.random() call
 * sites see two functions and cost ~2 % on a 1 ms item, against ~0.1 us per item for seeding.
 */
class ItemContext implements Context {
  index = 0;
  random: () => number = () => 0;
  private childLog: Logger | null = null;
  readonly params: Params;
  readonly outDir: string | null;
  constructor(private readonly s: WorkerSetup) {
    this.params = s.params;
    this.outDir = s.outDir;
  }
  moveTo(index: number): void {
    this.index = index;
    this.random = itemRandom(this.s.seed, index);
    this.childLog = null;
  }
  get log(): Logger {
    return (this.childLog ??= this.s.log.child({ idx: this.index }));
  }
}

/**
 * Inside a chunk the worker turns its event loop every YIELD_MS (checked every 64 items), so
 * that IPC traffic flows while it computes: the rest of its last result goes out and its next
 * chunk comes in, instead of both waiting for the chunk's end. A 10,000-household tax chunk
 * is ~2 MB of JSON each way; the 1-worker tax run went from 8.2 to 7.7 s.
 */
const YIELD_MS = 4;
const turnEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Runs the chunk's items: `items[k]` is item start + k (null for range:N input, where each
 * item is its own index).
 */
export async function runChunk(s: WorkerSetup, chunk: ChunkMessage, items: unknown[] | null): Promise<ResultMessage> {
  if (isForeignModel(s)) return runForeignChunk(s, chunk, items);
  const timer = new ChunkTimer(chunk.start);
  const out = new RowColumns(s.columns, chunk.count);
  const okIdx: number[] = [];
  const errors: ItemError[] = [];
  const { model, watchdog } = s;
  const ctx = (s.ctx ??= new ItemContext(s));
  // A local, not timer.exact: the loop of a trivial model measurably slowed by the property read.
  const exact = timer.exact;
  let turned = performance.now();
  for (let k = 0; k < chunk.count; k++) {
    const idx = chunk.start + k;
    if (exact && k > 0) timer.mark(idx, performance.now());
    if ((k & 63) === 63) {
      const now = performance.now();
      if (!exact) timer.mark(idx, now);
      if (now - turned > YIELD_MS) {
        await turnEventLoop();
        turned = performance.now();
        timer.skip(turned);
      }
    }
    const item = items ? items[k] : idx;
    ctx.moveTo(idx);
    watchdog?.start(idx);
    let stage: 'throw' | 'row' = 'throw';
    try {
      let result = model.analyze(item, ctx);
      if (isThenable(result)) result = await result;
      let row = model.format(result, item, ctx);
      if (isThenable(row)) row = await row;
      stage = 'row';
      out.add(row);
      okIdx.push(idx);
    } catch (err) {
      if (stage === 'throw' && isTransient(err) && s.retry.retries > 0) {
        const again = await retryTransient(err as Error, () => attempt(s, ctx, idx, item), s.retry);
        if (again.ok) {
          try {
            out.add(again.value);
            okIdx.push(idx);
            continue;
          } catch (rowErr) {
            errors.push({ idx, kind: 'row', error: serializeError(rowErr), attempts: again.attempts });
            continue;
          }
        }
        errors.push({ idx, kind: 'throw', error: serializeError(again.error), attempts: again.attempts });
      } else errors.push({ idx, kind: stage, error: serializeError(err) });
    }
  }
  watchdog?.idle();
  return chunkResult(chunk, out, okIdx, errors, () => timer.finish(chunk.start + chunk.count, chunk.count));
}

/** One more try of an item from the start: the same random stream, a new timeout clock. */
async function attempt(s: WorkerSetup, ctx: ItemContext, idx: number, item: unknown): Promise<Row> {
  ctx.moveTo(idx);
  s.watchdog?.start(idx);
  const result = await s.model.analyze(item, ctx);
  return s.model.format(result, item, ctx);
}
