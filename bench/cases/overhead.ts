/**
 * Case 2, overhead: the trivial model over range:N end to end into SQLite (whole-process wall
 * time), simrun at auto and fixed chunk sizes, against (a) Python Pool.imap + sqlite3
 * executemany in the parent, (b) the seed's ProcessPoolExecutor.map with its default chunksize
 * (persists nothing; run on fewer items and scaled linearly), (c) a bare single-process
 * better-sqlite3 insert of the same rows: the store's limit.
 */
import os from 'node:os';
import path from 'node:path';
import { measureRounds, makeRow, seconds, type Variant } from '../lib/measure.js';
import { expectExit, runProcess } from '../lib/proc.js';
import { TRIVIAL, runSimrun } from '../lib/simrun.js';
import { median, round } from '../lib/stats.js';
import type { BenchCase, CaseResult } from '../lib/types.js';

const NAME = 'overhead';

export const overhead: BenchCase = {
  name: NAME,
  title: 'Overhead: trivial model, range:1M into SQLite, vs Python and the bare insert',
  async run(ctx): Promise<CaseResult> {
    const n = 1_000_000;
    const nSeed = ctx.quick ? 20_000 : 100_000;
    const workers = Math.max(2, os.availableParallelism());
    const input = `range:${n}`;
    const sim = (id: string, chunk: number | 'auto'): Variant => ({
      id,
      label: `simrun --workers ${workers}, chunk ${chunk}`,
      items: n,
      run: async () =>
        expectExit(await runSimrun(ctx, `overhead-${id}`, { model: TRIVIAL, input, workers, chunk }), `simrun chunk ${chunk}`),
    });
    const py = (id: string, label: string, items: number, args: string[]): Variant => ({
      id,
      label,
      items,
      run: async () => expectExit(await runProcess('python3', args, { cwd: ctx.root }), label),
    });
    const variants: Variant[] = [
      sim('auto', 'auto'),
      sim('c1000', 1000),
      sim('c10000', 10_000),
      py('pool', `(a) Python Pool(${workers}).imap chunksize 10000 + sqlite3`, n, [
        'bench/peers/pool_sqlite.py',
        String(n),
        path.join(ctx.tmp, 'overhead-pool.db'),
        String(workers),
        '10000',
      ]),
      py('ppe', `(b) seed ProcessPoolExecutor(${workers}).map, chunksize 1`, nSeed, [
        'bench/peers/seed_ppe.py',
        String(nSeed),
        String(workers),
      ]),
      {
        id: 'bare',
        label: '(c) bare better-sqlite3 insert, 1 process',
        items: n,
        run: async () =>
          expectExit(
            await runProcess(
              process.execPath,
              ['dist/bench/peers/bare-insert.js', '--n', String(n), '--db', path.join(ctx.tmp, 'overhead-bare.db')],
              { cwd: ctx.root },
            ),
            'bare insert',
          ),
      },
    ];
    const m = await measureRounds(ctx, NAME, variants);
    const t = (id: string) => median(seconds(m.get(id)!));
    const scale = n / nSeed;
    const tPool = t('pool');
    const tPpe = t('ppe') * scale;
    const tBare = t('bare');
    const bareInsertRate = median(m.get('bare')!.map((r) => (JSON.parse(r.stdout) as { rowsPerSec: number }).rowsPerSec));
    const simIds = ['auto', 'c1000', 'c10000'];
    const rows = variants.map((v) => {
      const times = seconds(m.get(v.id)!);
      if (v.id === 'ppe') {
        const scaled = times.map((x) => x * scale);
        return makeRow(
          NAME,
          `${v.label} [ran ${nSeed.toLocaleString('en')} items, time x${scale}]`,
          n,
          scaled,
          `persists nothing; measured ${t('ppe').toFixed(2)} s for ${nSeed.toLocaleString('en')} items`,
        );
      }
      const mine = t(v.id);
      let detail = '';
      if (simIds.includes(v.id)) {
        detail = `${(tPool / mine).toFixed(2)}x faster than (a); ${(tPpe / mine).toFixed(1)}x faster than (b); ${(tBare / mine).toFixed(2)}x the speed of (c)`;
      } else if (v.id === 'bare') detail = `store's limit; insert loop alone ${(bareInsertRate / 1e6).toFixed(2)}M rows/s`;
      else if (v.id === 'pool') detail = 'persists every row';
      return makeRow(NAME, v.label, n, times, detail);
    });
    const best = simIds.reduce((a, b) => (t(a) <= t(b) ? a : b));
    const tAuto = t('auto');
    const bestFixed = Math.min(t('c1000'), t('c10000'));
    return {
      name: NAME,
      title: this.title,
      rows,
      targets: [
        {
          case: NAME,
          target: '>= 1.2x faster than Python Pool+SQLite (auto chunk)',
          measured: `${(tPool / tAuto).toFixed(2)}x`,
          met: tPool / tAuto >= 1.2,
        },
        {
          case: NAME,
          target: "items/s >= 0.9x the bare insert (store's limit), auto chunk",
          measured: `${(tBare / tAuto).toFixed(2)}x`,
          met: tBare / tAuto >= 0.9,
        },
        {
          case: NAME,
          target: ">= 30x faster than the seed's ProcessPoolExecutor.map",
          measured: `${(tPpe / tAuto).toFixed(1)}x`,
          met: tPpe / tAuto >= 30,
        },
        {
          case: NAME,
          target: 'auto chunk within 10 % of the best fixed size',
          measured: `auto ${tAuto.toFixed(2)} s vs best fixed ${bestFixed.toFixed(2)} s (${((tAuto / bestFixed - 1) * 100).toFixed(1)} %)`,
          met: tAuto <= bestFixed * 1.1,
        },
      ],
      notes: [
        `(b) ran ${nSeed.toLocaleString('en')} items and its time is scaled x${scale} to 1M`,
        `fastest simrun variant: chunk ${best.replace('c', '')}`,
      ],
      data: {
        items: n,
        seedItems: nSeed,
        bareInsertLoopRowsPerSec: bareInsertRate,
        ratios: { vsPool: round(tPool / tAuto), vsBare: round(tBare / tAuto), vsSeed: round(tPpe / tAuto, 1) },
      },
    };
  },
};
