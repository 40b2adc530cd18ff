/** Runs every item of one chunk through analyze() and format(); a throw fails that item only. */
import type { Logger } from 'pino';
import { serializeError } from '../errors.js';
import type { ColumnType, Context, Model, Params } from '../index.js';
import { chunkIndex, type ChunkMessage, type ItemError, type ResultMessage } from '../protocol.js';
import { itemRandom } from './random.js';
import { rowValues } from './row.js';

export interface WorkerSetup {
  model: Model;
  columns: [string, ColumnType][];
  params: Params;
  seed: number;
  outDir: string | null;
  log: Logger;
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return v !== null && typeof v === 'object' && typeof (v as { then?: unknown }).then === 'function';
}

function makeContext(s: WorkerSetup, index: number): Context {
  let rng: (() => number) | null = null;
  let log: Logger | null = null;
  return {
    index,
    params: s.params,
    outDir: s.outDir,
    random: () => (rng ??= itemRandom(s.seed, index))(),
    get log() {
      return (log ??= s.log.child({ idx: index }));
    },
  };
}

export async function runChunk(s: WorkerSetup, chunk: ChunkMessage): Promise<ResultMessage> {
  const t0 = performance.now();
  const rows: unknown[][] = [];
  const errors: ItemError[] = [];
  const { model, columns } = s;
  for (let k = 0; k < chunk.items.length; k++) {
    const idx = chunkIndex(chunk, k);
    const item = chunk.items[k];
    const ctx = makeContext(s, idx);
    let stage: 'throw' | 'row' = 'throw';
    try {
      let result = model.analyze(item, ctx);
      if (isThenable(result)) result = await result;
      let row = model.format(result, item, ctx);
      if (isThenable(row)) row = await row;
      stage = 'row';
      const values: unknown[] = [idx];
      rowValues(row, columns, values);
      rows.push(values);
    } catch (err) {
      errors.push({ idx, kind: stage, error: serializeError(err) });
    }
  }
  return { type: 'result', id: chunk.id, rows, errors, ms: performance.now() - t0 };
}
