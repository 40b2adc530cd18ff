/**
 * `npm run bench`: runs the benchmark cases (each measurement a whole process, repeated and
 * interleaved), prints one table, and writes bench/results/latest.json and latest.md; a full run
 * with no failed case also puts the table into docs/benchmarks.md.
 *
 *   npm run bench [-- --quick] [-- --only scaling,overhead] [-- --runs 5] [-- --against <git ref> [--threshold 5]]
 *
 * --against builds the ref in a worktree and runs every measurement on both builds, interleaved,
 * then prints each variant's ratio (this / ref) and flags those slower than the threshold
 * (against.ts); flagged variants make the run exit 1.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { capacity } from './cases/capacity.js';
import { memory } from './cases/memory.js';
import { overhead } from './cases/overhead.js';
import { python } from './cases/python.js';
import { resume } from './cases/resume.js';
import { scaling } from './cases/scaling.js';
import { sweep } from './cases/sweep.js';
import { tax } from './cases/tax.js';
import { thumbnail } from './cases/thumbnail.js';
import { startup } from './cases/startup.js';
import { prepareRef } from './lib/against.js';
import { againstSection } from './lib/against-report.js';
import { trace } from './cases/trace.js';
import { writeResultsPage } from './lib/docs-page.js';
import { loadavg, machineInfo } from './lib/machine.js';
import { renderMarkdown, renderText, type Report } from './lib/report.js';
import type { BenchCase, BenchContext, CaseResult } from './lib/types.js';

const CASES: BenchCase[] = [startup, scaling, overhead, memory, resume, capacity, tax, sweep, thumbnail, python, trace];
/** Default --threshold: see docs/benchmarks.md ("Regression guard") for how it was chosen. */
const DEFAULT_THRESHOLD_PCT = 5;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface Args {
  quick: boolean;
  only: string[] | null;
  runs: number | null;
  against: string | null;
  thresholdPct: number;
}

function parseArgs(argv: string[]): Args {
  const out: Args = { quick: false, only: null, runs: null, against: null, thresholdPct: DEFAULT_THRESHOLD_PCT };
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k]!;
    if (a === '--quick') out.quick = true;
    else if (a === '--only') out.only = (argv[++k] ?? '').split(',').filter(Boolean);
    else if (a.startsWith('--only=')) out.only = a.slice(7).split(',').filter(Boolean);
    else if (a === '--runs') out.runs = Number(argv[++k]);
    else if (a === '--against') out.against = argv[++k] ?? '';
    else if (a.startsWith('--against=')) out.against = a.slice(10);
    else if (a === '--threshold') out.thresholdPct = Number(argv[++k]);
    else if (a === '--help' || a === '-h') {
      console.log(
        `usage: npm run bench [-- --quick] [-- --only <case>[,<case>...]] [-- --runs N] [-- --against <git ref> [--threshold <pct>]]\n` +
          `cases: ${CASES.map((c) => c.name).join(', ')}\n` +
          `--against: build the ref in a worktree, run every measurement on both builds interleaved, flag variants more than\n` +
          `  --threshold percent (default ${DEFAULT_THRESHOLD_PCT}) slower than the ref, exit 1 if any is`,
      );
      process.exit(0);
    } else {
      console.error(`unknown argument ${a}; see --help`);
      process.exit(2);
    }
  }
  const unknown = (out.only ?? []).filter((n) => !CASES.some((c) => c.name === n));
  if (unknown.length) {
    console.error(`unknown case ${unknown.join(', ')}; cases: ${CASES.map((c) => c.name).join(', ')}`);
    process.exit(2);
  }
  if (out.against === '') {
    console.error('--against needs a git ref (a commit, tag or branch)');
    process.exit(2);
  }
  if (!(out.thresholdPct > 0)) {
    console.error('--threshold must be a positive percentage');
    process.exit(2);
  }
  if (out.runs !== null && !(Number.isInteger(out.runs) && out.runs >= 1)) {
    console.error('--runs must be a positive integer');
    process.exit(2);
  }
  return out;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const tmp = path.join(root, 'bench/results/tmp');
  mkdirSync(tmp, { recursive: true });
  const ctx: BenchContext = {
    root,
    runs: args.runs ?? (args.quick ? 1 : 3),
    quick: args.quick,
    tmp,
    log: (l) => process.stderr.write(`${l}\n`),
  };
  if (args.against) {
    const { build, sha } = prepareRef(root, args.against, ctx.log);
    ctx.against = { ref: build, sha, runs: new Map(), peers: new Set(), labels: new Map(), notOnRef: new Map() };
  }
  const machine = machineInfo(root);
  const start = loadavg();
  const t0 = performance.now();
  ctx.log(
    `simrun bench: ${machine.nproc} cores, ${machine.cpu}, Node ${machine.node}; load ${start.join(' ')}; ${args.quick ? 'quick' : 'full'}, ${ctx.runs} run(s) each`,
  );
  const results: CaseResult[] = [];
  const perCase: Record<string, number[]> = {};
  let failed = 0;
  for (const c of CASES.filter((x) => !args.only || args.only.includes(x.name))) {
    ctx.log(`\n== ${c.name}: ${c.title}`);
    const tc = performance.now();
    try {
      results.push(await c.run(ctx));
    } catch (err) {
      failed++;
      const msg = err instanceof Error ? err.message : String(err);
      ctx.log(`  ${c.name} FAILED: ${msg}`);
      results.push({ name: c.name, title: c.title, rows: [], targets: [], notes: [`FAILED: ${msg.split('\n')[0]}`] });
    }
    perCase[c.name] = loadavg();
    ctx.log(`  ${c.name} took ${((performance.now() - tc) / 1000).toFixed(0)} s; load ${perCase[c.name]!.join(' ')}`);
  }
  const report: Report = {
    date: new Date().toISOString(),
    machine: { ...machine },
    mode: args.quick ? 'quick' : 'full',
    runs: ctx.runs,
    loadavg: { start, end: loadavg(), perCase },
    totalSeconds: (performance.now() - t0) / 1000,
    cases: results,
  };
  const guard = ctx.against ? againstSection(ctx.against, args.thresholdPct / 100) : null;
  console.log(`\n${renderText(report)}`);
  if (guard) console.log(`\n${guard.text}`);
  const dir = path.join(root, 'bench/results');
  // A partial run (--only), a quick one or a comparison must not overwrite the committed full results.
  const name = guard ? 'latest-against' : args.only || args.quick ? `latest-${args.quick ? 'quick' : 'partial'}` : 'latest';
  writeFileSync(path.join(dir, `${name}.json`), `${JSON.stringify({ ...report, against: guard?.json ?? undefined }, null, 2)}\n`);
  writeFileSync(path.join(dir, `${name}.md`), `${renderMarkdown(report)}${guard ? `\n${guard.markdown}\n` : ''}`);
  ctx.log(`\nwrote bench/results/${name}.json and ${name}.md`);
  // The human-facing page shows only complete results: a full run in which every case ran.
  if (name !== 'latest') ctx.log('docs/benchmarks.md left as it is: only a full run (no --quick, no --only) updates it');
  else if (failed) ctx.log(`docs/benchmarks.md left as it is: ${failed} case(s) failed`);
  else {
    writeResultsPage(path.join(root, 'docs/benchmarks.md'), renderMarkdown(report));
    ctx.log('wrote docs/benchmarks.md (its results block)');
  }
  if (failed || guard?.flagged) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
