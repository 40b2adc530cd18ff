import { InvalidArgumentError, type Command } from 'commander';
import { hostsText, viewRun, workersText } from '../primary/store/run-status.js';
import { listRuns, listShards, openStore, type RunRecord } from '../primary/store/store.js';
import { formatDuration } from '../util/duration.js';
import { localTime } from '../util/local-time.js';
import { writeRows } from './output.js';
import { watchStatus } from './status-watch.js';
import { sweepMembership } from '../primary/sweep/sweep-store.js';
import { traceStatus, traceStatusLine } from '../primary/trace/trace-status.js';

/** A run's params as a person wants them: what it changed from the model's defaults; all of them on request. */
function paramsText(r: RunRecord, full: boolean): string {
  const overrides = r.param_overrides_json === '{}' ? "the model's default params" : `param overrides ${r.param_overrides_json}`;
  return full ? `${overrides}; full params ${r.params_json}` : overrides;
}

/** Blank when unknown; whole seconds (rounded, so 59.6 s reads 1m00s, never 0m60s). */
const fmtSecs = (s: number | null) => (s === null ? '' : formatDuration(Math.round(s)));

function secondsArg(raw: string): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0.1) throw new InvalidArgumentError('interval must be a number of seconds >= 0.1');
  return n;
}

export function registerStatus(program: Command): void {
  program
    .command('status')
    .requiredOption('-d, --db <file>', 'SQLite database')
    .option('--json', 'machine-readable output (one object per run)', false)
    .option(
      '-w, --watch',
      'refresh: in place on a terminal until the runs it watches have finished; otherwise one line per refresh (with --json: one JSON array per line) until Ctrl-C',
      false,
    )
    .option('--interval <seconds>', 'seconds between refreshes with --watch', secondsArg, 2)
    .option('--until-done', 'with --watch: stop once no run is running', false)
    .option('--full-params', "also print each run's full effective params (default: only the overrides of the model's defaults)", false)
    .addHelpText(
      'after',
      '\nExamples:\n  simrun status --db demo.db\n  simrun status --db demo.db --watch --interval 1     # while `simrun run ... --db demo.db` runs elsewhere\n' +
        '\n"stale" means the run says running but its primary process is gone: resume it.\n',
    )
    .action(async (f: { db: string; json: boolean; watch: boolean; interval: number; untilDone: boolean; fullParams: boolean }) => {
      if (f.watch) return watchStatus(f);
      const db = openStore(f.db, { readonly: true });
      const shards = listShards(db);
      const sweeps = sweepMembership(db);
      const runs = listRuns(db).map((r) => {
        const mine = shards.filter((s) => s.run_id === r.id);
        const sweep = sweeps.get(r.id);
        const view = viewRun(r);
        const trace = traceStatus(db, r, view.state);
        return { ...view, ...(mine.length ? { shards: mine } : {}), ...(sweep ? { sweep } : {}), ...(trace ? { trace } : {}) };
      });
      db.close();
      if (f.json) {
        process.stdout.write(JSON.stringify(runs, null, 2) + '\n');
        return;
      }
      if (!runs.length) {
        process.stdout.write(`${f.db}: no runs yet\n`);
        return;
      }
      const cols = ['run', 'model', 'status', 'done/total', 'errors', 'items/s', 'elapsed', 'ETA', 'started'];
      writeRows(
        cols,
        runs.map((r) => [
          r.id,
          `${r.model} ${r.model_version}`,
          r.state,
          `${r.finished_items}/${r.total} (${((100 * r.finished_items) / r.total).toFixed(1)}%)`,
          r.errors,
          r.items_per_sec ?? '',
          fmtSecs(r.elapsed_sec),
          fmtSecs(r.eta_sec),
          localTime(r.created_at),
        ]),
        'table',
      );
      for (const r of runs) {
        process.stdout.write(
          `run ${r.id}: input ${r.input} (${r.input_fingerprint.slice(0, 19)}…), ${paramsText(r, f.fullParams)}, seed ${r.seed}, ` +
            `chunk ${r.chunk_size}, ${workersText(r, r.shards ?? [])}, simrun ${r.simrun_version} on ${hostsText(r, r.shards ?? [])}` +
            `${r.shard_index != null ? `, shard ${r.shard_index}/${r.shard_count} of ${r.input_total} items` : ''}` +
            `${r.sweep ? `, sweep ${r.sweep.sweep} variant ${r.sweep.variant} (${r.sweep.label})` : ''}${r.message ? `\n  message: ${r.message}` : ''}\n`,
        );
        if (r.trace) process.stdout.write(`  ${traceStatusLine(r.trace)}\n`);
        for (const s of r.shards ?? []) {
          process.stdout.write(
            `  shard ${s.shard_index}/${s.shard_count}: indices ${s.lo}-${s.hi}, ${s.done} rows, ${s.errors} errors, ${s.status}; ` +
              `from ${s.source_db} (run ${s.source_run_id}), ${s.workers} workers on ${s.host}, simrun ${s.simrun_version}, ` +
              `started ${localTime(s.created_at)}, merged ${localTime(s.merged_at)}\n`,
          );
        }
      }
    });
}
