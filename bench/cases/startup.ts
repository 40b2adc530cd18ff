/**
 * Case 0, startup: a run's fixed cost. `simrun run` of a plain .mjs model over range:10 on 2
 * workers (fresh database each time) and `simrun --help`, whole-process wall time, median of at
 * least 10 runs after one warm-up run each (hyperfine's way), beside `node -e ''`: the floor
 * any Node program pays. Sampling of /proc is off here: on 2 cores it would compete with the
 * process it times.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { measureRounds, makeRow, seconds, type Variant } from '../lib/measure.js';
import { expectExit, runProcess } from '../lib/proc.js';
import { dbPath, removeDb, TRIVIAL } from '../lib/simrun.js';
import { median } from '../lib/stats.js';
import type { BenchCase, BenchContext, CaseResult } from '../lib/types.js';

const NAME = 'startup';
const NO_SAMPLING = { sampleMs: 3_600_000 };
const RUN_TARGET_S = 0.35;
const HELP_TARGET_S = 0.15;

/**
 * The trivial model as a user writes it outside any project: `import { defineModel } from
 * 'simrun'`, where Node's own resolution cannot find simrun (written on each run: cheap, and
 * safe from cleaners of the temporary folder).
 */
function outsideModel(): string {
  const dir = path.join(os.tmpdir(), 'simrun-bench', 'outside');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'trivial-simrun.mjs');
  writeFileSync(
    file,
    `import { defineModel } from 'simrun';\n` +
      `export default defineModel({ name: 'trivial', version: '1', columns: { value: 'integer', half: 'real' },\n` +
      `  analyze: (item) => item, format: (v) => ({ value: v, half: v / 2 }) });\n`,
  );
  return file;
}

function variants(ctx: BenchContext): Variant[] {
  const db = dbPath(ctx, 'startup');
  const runModel = async (model: string, what: string) => {
    removeDb(db);
    const args = ['dist/src/cli.js', 'run', model, '--input', 'range:10', '--db', db, '--workers', '2', '-q'];
    return expectExit(await runProcess(process.execPath, args, { cwd: ctx.root, ...NO_SAMPLING }), what);
  };
  return [
    {
      id: 'run10',
      label: 'simrun run trivial.mjs --input range:10 --workers 2',
      items: 10,
      run: () => runModel(path.join(ctx.root, TRIVIAL), 'simrun run'),
    },
    {
      id: 'run10s',
      label: "the same, the model imports 'simrun' outside any project",
      items: 10,
      notOnRef: "older releases, 2c5a0ca among them, cannot resolve 'simrun' from outside a project",
      run: () => runModel(outsideModel(), 'simrun run (model importing simrun)'),
    },
    {
      id: 'help',
      label: 'simrun --help',
      items: 0,
      run: async () =>
        expectExit(await runProcess(process.execPath, ['dist/src/cli.js', '--help'], { cwd: ctx.root, ...NO_SAMPLING }), 'help'),
    },
    {
      id: 'node',
      label: "node -e '' (the floor)",
      items: 0,
      run: async () => expectExit(await runProcess(process.execPath, ['-e', ''], { cwd: ctx.root, ...NO_SAMPLING }), 'node'),
    },
  ];
}

export const startup: BenchCase = {
  name: NAME,
  title: "Startup: a run's fixed cost (range:10 on 2 workers) and --help",
  async run(ctx): Promise<CaseResult> {
    const vs = variants(ctx);
    // One warm-up run of each variant on each build (page cache, compiled native modules).
    const home = ctx.root;
    for (const root of [home, ...(ctx.against ? [ctx.against.ref.root] : [])]) {
      ctx.root = root;
      for (const v of vs) if (root === home || !v.notOnRef) await v.run(-1);
    }
    ctx.root = home;
    const m = await measureRounds(ctx, NAME, vs, Math.max(10, ctx.runs));
    const t = (id: string) => median(seconds(m.get(id)!));
    const rows = vs.map((v) =>
      makeRow(NAME, v.label, v.items, seconds(m.get(v.id)!), `min ${Math.min(...seconds(m.get(v.id)!)).toFixed(3)} s`),
    );
    return {
      name: NAME,
      title: this.title,
      rows,
      targets: [
        {
          case: NAME,
          target: `run range:10 on 2 workers < ${RUN_TARGET_S} s (median)`,
          measured: `${t('run10').toFixed(3)} s`,
          met: t('run10') < RUN_TARGET_S,
        },
        {
          case: NAME,
          target: `the same, model importing 'simrun' outside any project, < ${RUN_TARGET_S} s (median)`,
          measured: `${t('run10s').toFixed(3)} s`,
          met: t('run10s') < RUN_TARGET_S,
        },
        {
          case: NAME,
          target: `simrun --help < ${HELP_TARGET_S} s (median)`,
          measured: `${t('help').toFixed(3)} s`,
          met: t('help') < HELP_TARGET_S,
        },
      ],
      notes: [`node -e '' alone: ${t('node').toFixed(3)} s (median), the part no code of simrun's can remove`],
      data: { run10: t('run10'), help: t('help'), node: t('node') },
    };
  },
};
