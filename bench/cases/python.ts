/**
 * Case `python` (issue 26): Python models run by simrun's workers in one long-lived process each.
 * (1) a pure-Python model of ~1 ms per item against multiprocessing.Pool.imap + sqlite3 in the
 * parent (the method of the institute's write-up); (2) a cheap model (~20 us per item): the
 * protocol's overhead per item; (3) the same cheap computation vectorized with numpy in batch
 * mode (analyze_batch) against per-item mode. Skipped when python3 (with numpy) is missing.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { makeRow, measureRounds, seconds, type Variant } from '../lib/measure.js';
import { expectExit, runProcess } from '../lib/proc.js';
import { runSimrun } from '../lib/simrun.js';
import { median } from '../lib/stats.js';
import type { BenchCase, CaseResult } from '../lib/types.js';

const NAME = 'python';
const WORKERS = 2;

function hasNumpy(): boolean {
  try {
    execFileSync('python3', ['-c', 'import numpy']);
    return true;
  } catch {
    return false;
  }
}

export const python: BenchCase = {
  name: NAME,
  title: 'Python models: vs Pool.imap + sqlite3, protocol overhead per item, numpy batch mode',
  async run(ctx): Promise<CaseResult> {
    if (!hasNumpy())
      return {
        name: NAME,
        title: this.title,
        rows: [],
        targets: [],
        notes: ['skipped: python3 with numpy not found'],
        skipped: 'no numpy',
      };
    const nSlow = ctx.quick ? 4_000 : 20_000;
    const nCheap = ctx.quick ? 100_000 : 1_000_000;
    const sim = (id: string, label: string, model: string, n: number): Variant => ({
      id,
      label,
      items: n,
      run: async () =>
        expectExit(await runSimrun(ctx, `python-${id}`, { model, input: `range:${n}`, workers: WORKERS, chunk: 'auto' }), label),
    });
    const variants: Variant[] = [
      sim('slow', `simrun, py_1ms.py, --workers ${WORKERS}`, 'bench/models/py_1ms.py', nSlow),
      {
        id: 'pool',
        label: `Pool(${WORKERS}).imap chunksize 100 + sqlite3`,
        items: nSlow,
        run: async () =>
          expectExit(
            await runProcess(
              'python3',
              ['bench/peers/pool_python_model.py', String(nSlow), path.join(ctx.tmp, 'python-pool.db'), String(WORKERS), '100'],
              { cwd: ctx.root },
            ),
            'pool',
          ),
      },
      sim('cheap', `simrun, py_cheap.py per item, --workers ${WORKERS}`, 'bench/models/py_cheap.py', nCheap),
      sim('batch', `simrun, py_cheap_batch.py (numpy, analyze_batch)`, 'bench/models/py_cheap_batch.py', nCheap),
    ];
    const m = await measureRounds(ctx, NAME, variants);
    const t = (id: string) => median(seconds(m.get(id)!));
    const poolRatio = t('pool') / t('slow');
    const batchRatio = t('cheap') / t('batch');
    const modelUs = cheapModelUs(ctx.root);
    const perItemUs = (t('cheap') * WORKERS * 1e6) / nCheap - modelUs;
    const rows = variants.map((v) => {
      const detail =
        v.id === 'slow'
          ? `${poolRatio.toFixed(2)}x the throughput of Pool.imap`
          : v.id === 'cheap'
            ? `~${perItemUs.toFixed(0)} us per item of overhead per worker (model alone ${modelUs.toFixed(0)} us)`
            : v.id === 'batch'
              ? `${batchRatio.toFixed(1)}x per-item mode`
              : 'persists every row';
      return makeRow(NAME, v.label, v.items, seconds(m.get(v.id)!), detail);
    });
    return {
      name: NAME,
      title: this.title,
      rows,
      targets: [
        {
          case: NAME,
          target: '1 ms Python model: >= 0.95x the throughput of Pool.imap + sqlite3',
          measured: `${poolRatio.toFixed(2)}x`,
          met: poolRatio >= 0.95,
        },
        { case: NAME, target: 'numpy batch mode >= 5x per-item mode', measured: `${batchRatio.toFixed(1)}x`, met: batchRatio >= 5 },
      ],
      notes: [
        `Overhead per item = wall time x ${WORKERS} workers / items, minus the model's own time measured in one Python process; it covers both sides (the worker: frames, row checks, IPC to the primary; the Python runtime: JSON, ctx, the random stream) and the primary's commit.`,
      ],
      data: { poolRatio, batchRatio, perItemUs, modelUs },
    };
  },
};

/** py_cheap.py's analyze alone, in us per item, timed in one Python process. */
function cheapModelUs(root: string): number {
  const code = [
    'import sys, time',
    "sys.path[:0] = ['bench/models', 'runtimes/python']",
    'import py_cheap, simrun',
    'class C:',
    '    def __init__(s, i): s.random = simrun.item_random(1, i)',
    'ctxs = [C(i) for i in range(20000)]',
    't = time.perf_counter()',
    'for i, c in enumerate(ctxs): py_cheap.analyze(i, c)',
    'print((time.perf_counter() - t) / 20000 * 1e6)',
  ].join('\n');
  return Number(execFileSync('python3', ['-c', code], { cwd: root, encoding: 'utf8' }).trim());
}
