/**
 * Case 4, resume: a range:10M trivial run (quick: 2M) is stopped with SIGINT once
 * `SELECT done FROM runs` (read-only) passes 99 %; each run then resumes a copy of that
 * database. Measured from the spawn of `simrun resume`: its first log line ("run session
 * start", pino time), the first log line that names a dispatched chunk if the core logs one,
 * else the first newly committed row (polling runs.done), and the total resume time.
 */
import { copyFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { makeRow } from '../lib/measure.js';
import { expectExit, runProcess, type RunResult } from '../lib/proc.js';
import { TRIVIAL, dbPath, donePoller, removeDb, runSimrun } from '../lib/simrun.js';
import { median, round } from '../lib/stats.js';
import type { BenchCase, BenchContext, CaseResult } from '../lib/types.js';

const NAME = 'resume';
/**
 * SIGINT once this share of the rows is committed. The in-flight chunks still finish, so on the
 * quick 2M run (1 % = ~20 ms of work) it has to be sent earlier to leave anything to resume.
 */
const stopAt = (quick: boolean) => (quick ? 0.95 : 0.99);

async function interruptedRun(ctx: BenchContext, n: number, workers: number): Promise<{ db: string; doneAt: number; r: RunResult }> {
  for (let attempt = 1; attempt <= 3; attempt++) {
    const db = dbPath(ctx, 'resume-base');
    const poll = donePoller(db);
    let doneAt = 0;
    const r = await runSimrun(
      ctx,
      'resume-base',
      { model: TRIVIAL, input: `range:${n}`, workers, chunk: 'auto' },
      {
        sampleMs: 10,
        onSample: () => {
          const d = poll.done();
          if (d !== null && d >= stopAt(ctx.quick) * n) return 'stop';
        },
      },
    );
    poll.close();
    if (r.code === 130) {
      const p = donePoller(db);
      doneAt = p.done() ?? 0;
      p.close();
      return { db, doneAt, r };
    }
    expectExit(r, 'run to interrupt', [0]);
    ctx.log(`  ${NAME}: run finished before the SIGINT landed (attempt ${attempt}); again`);
  }
  throw new Error('could not interrupt the run before it finished');
}

interface LogLine {
  time: number;
  msg?: string;
  level: number;
}

function readLog(file: string): LogLine[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as LogLine);
}

export const resume: BenchCase = {
  name: NAME,
  title: 'Resume: 10M-item run interrupted at ~99 %, time to first dispatch and total',
  async run(ctx): Promise<CaseResult> {
    const n = ctx.quick ? 2_000_000 : 10_000_000;
    const workers = Math.max(2, os.availableParallelism());
    const base = await interruptedRun(ctx, n, workers);
    ctx.log(
      `  ${NAME}: interrupted at ${base.doneAt}/${n} (${((base.doneAt / n) * 100).toFixed(2)} %) after ${base.r.seconds.toFixed(2)} s`,
    );
    const totals: number[] = [];
    const firstLog: number[] = [];
    const firstDispatch: number[] = [];
    const firstRow: number[] = [];
    for (let k = 0; k < ctx.runs; k++) {
      const db = dbPath(ctx, `resume-${k}`);
      removeDb(db);
      for (const s of ['', '-wal']) if (existsSync(base.db + s)) copyFileSync(base.db + s, db + s);
      const logFile = db.replace(/\.db$/, '.log');
      rmSync(logFile, { force: true });
      const poll = donePoller(db);
      let rowAt = NaN;
      const spawnedAt = Date.now();
      const r = await runProcess(
        process.execPath,
        ['dist/src/cli.js', 'resume', '--db', db, '--workers', String(workers), '--quiet', '--log', logFile, '--log-level', 'debug'],
        {
          cwd: ctx.root,
          sampleMs: 10,
          onSample: (t) => {
            if (Number.isNaN(rowAt)) {
              const d = poll.done();
              if (d !== null && d > base.doneAt) rowAt = t;
            }
          },
        },
      );
      poll.close();
      expectExit(r, 'resume');
      const lines = readLog(logFile);
      const first = lines[0];
      const dispatch = lines.find((l) => /dispatch|chunk sent|first chunk/i.test(l.msg ?? ''));
      totals.push(r.seconds);
      firstLog.push(first ? (first.time - spawnedAt) / 1000 : NaN);
      firstDispatch.push(dispatch ? (dispatch.time - spawnedAt) / 1000 : NaN);
      firstRow.push(Number.isNaN(rowAt) ? r.seconds : rowAt);
      ctx.log(
        `  ${NAME} run ${k + 1}/${ctx.runs}  resume total ${r.seconds.toFixed(2)} s, first log line ${firstLog[k]!.toFixed(2)} s, first new row ${firstRow[k]!.toFixed(2)} s`,
      );
    }
    const hasDispatchLine = firstDispatch.every((x) => !Number.isNaN(x));
    const toFirst = hasDispatchLine ? firstDispatch : firstRow;
    const how = hasDispatchLine ? 'first dispatch log line' : 'first new committed row (no dispatch log line)';
    const left = n - base.doneAt;
    const tFirst = median(toFirst);
    return {
      name: NAME,
      title: this.title,
      rows: [
        makeRow(
          NAME,
          `simrun resume, ${left.toLocaleString('en')} items left of ${n / 1e6}M`,
          left,
          totals,
          `to ${how}: ${tFirst.toFixed(2)} s; first log line ${median(firstLog).toFixed(2)} s`,
        ),
      ],
      targets: [
        {
          case: NAME,
          target: 'first chunk dispatched within 5 s of resume start',
          measured: `${tFirst.toFixed(2)} s (${how})`,
          met: tFirst <= 5,
        },
      ],
      notes: [
        `interrupted at ${base.doneAt}/${n} with SIGINT after ${base.r.seconds.toFixed(1)} s; each resume ran on a copy of that database`,
      ],
      data: {
        items: n,
        interruptedAt: base.doneAt,
        interruptedAfterS: round(base.r.seconds, 2),
        resumeTotalS: totals.map((x) => round(x)),
        firstLogLineS: firstLog.map((x) => round(x)),
        firstDispatchLineS: firstDispatch.map((x) => round(x)),
        firstNewRowS: firstRow.map((x) => round(x)),
        measuredBy: how,
      },
    };
  },
};
