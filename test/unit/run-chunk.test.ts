import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { ColumnType, Model } from '../../src/index.js';
import { runChunk, type WorkerSetup } from '../../src/worker/run-chunk.js';

/** A synchronous model whose items each spin for `spinMs`. */
function spinModel(spinMs: number): Model {
  return {
    name: 'spin',
    version: '1',
    columns: { twice: 'integer' },
    params: {},
    analyze(item: unknown) {
      const end = performance.now() + spinMs;
      while (performance.now() < end);
      return (item as number) * 2;
    },
    format: (twice: unknown) => ({ twice }),
  } as unknown as Model;
}

function setupFor(model: Model): WorkerSetup {
  const columns: [string, ColumnType][] = [['twice', 'integer']];
  return {
    model,
    columns,
    params: {},
    seed: 1,
    outDir: null,
    log: pino({ enabled: false }),
    watchdog: null,
    retry: { retries: 0, delayMs: 0 },
  };
}

describe('runChunk', () => {
  it('turns the event loop during a long synchronous chunk, so IPC can flow meanwhile', async () => {
    let turned = false;
    setImmediate(() => (turned = true));
    let turnedBeforeEnd = false;
    const model = spinModel(0.1);
    const analyze = model.analyze.bind(model);
    // 400 items of 0.1 ms: ~40 ms, ten times the worker's 4 ms yield interval.
    model.analyze = (item, ctx) => {
      if (ctx.index === 399) turnedBeforeEnd = turned;
      return analyze(item, ctx);
    };
    const res = await runChunk(setupFor(model), { type: 'chunk', id: 1, start: 0, count: 400 }, null);
    expect(turnedBeforeEnd).toBe(true);
    expect(Array.from(res.columns[0] as Float64Array)).toEqual(Array.from({ length: 400 }, (_, i) => i * 2));
    expect(res.idx).toBeNull();
    expect(res.errors).toEqual([]);
  });
});
