/** `simrun trace --db f [--run N]`: a run's trace, summarised (table) or one row per chunk attempt (csv, tsv, json). */
import { Option, type Command } from 'commander';
import { usageError } from '../errors.js';
import { openStore, getRun, listRuns, type DB } from '../primary/store/store.js';
import { hasTrace } from '../primary/trace/schema.js';
import { NEXTFLOW_FIELDS, nextflowRows } from '../primary/trace/nextflow.js';
import { traceSummary, type TraceSummary } from '../primary/trace/summary.js';
import { formatDuration } from '../util/duration.js';
import { writeRows } from './output.js';

type Format = 'table' | 'csv' | 'tsv' | 'json';

export const pct = (x: number | null) => (x === null ? '' : `${(100 * x).toFixed(1)}%`);
export const mb = (bytes: number | null) => (bytes === null ? '' : `${(bytes / 1e6).toFixed(1)} MB`);
const secs = (ms: number) => (ms < 10_000 ? `${(ms / 1000).toFixed(2)}s` : formatDuration(ms / 1000));
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

function pickRun(db: DB, run: string | undefined): number {
  if (run === undefined) {
    const runs = listRuns(db);
    if (!runs.length) throw usageError('the database has no runs yet');
    return runs[runs.length - 1]!.id;
  }
  const id = Number(run);
  if (!Number.isInteger(id) || !getRun(db, id)) throw usageError(`no run ${run} in the database (see simrun status)`);
  return id;
}

function writeSummary(s: TraceSummary): void {
  const out = process.stdout;
  const outcomes = Object.entries(s.outcomes)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
  out.write(`run ${s.run}: ${s.attempts} chunk attempts (${outcomes}), ${s.sessions.length} session(s)\n`);
  out.write(`utilization ${pct(s.utilization)} (busy / wall time of ${s.workers.length} worker lanes), peak RSS ${mb(s.peak_rss)}\n\n`);
  out.write('workers (wall: the session, from the first fork to the last exit)\n');
  writeRows(
    ['session', 'shard', 'host', 'worker', 'processes', 'chunks', 'items', 'busy', 'wall', 'utilization', 'peak RSS'],
    s.workers.map((w) => [
      w.session,
      w.shard ?? '',
      w.host,
      w.worker,
      w.processes,
      w.chunks,
      w.items,
      secs(w.busy_ms),
      secs(w.wall_ms),
      pct(w.utilization),
      mb(w.peak_rss),
    ]),
    'table',
  );
  if (s.throughput.length) {
    out.write(`\nthroughput over time (${secs(s.throughput[0]!.ms)} buckets)\n`);
    writeRows(
      ['from (UTC)', 'items/s', 'utilization'],
      s.throughput.map((b) => [iso(b.at), Math.round(b.items_per_sec), pct(b.utilization)]),
      'table',
    );
  }
  out.write(`\n${s.slowest.length} slowest items (items > 1: a block of items too cheap to time one by one)\n`);
  writeRows(
    ['idx', 'items', 'ms', ...(s.slowest.some((x) => x.shard !== null) ? ['shard'] : [])],
    s.slowest.map((x) => [x.idx, x.items, x.ms, ...(x.shard !== null ? [x.shard] : [])]),
    'table',
  );
  out.write(`\nworker restarts: ${s.restarts.length ? `${s.restarts.reduce((n, r) => n + r.count, 0)}, by cause` : 'none'}\n`);
  if (s.restarts.length)
    writeRows(
      ['cause', 'count'],
      s.restarts.map((r) => [r.cause, r.count]),
      'table',
    );
}

export function registerTrace(program: Command): void {
  program
    .command('trace')
    .description(
      'The trace of every chunk attempt of a run (written as it runs; see docs/cli.md#trace). The table is a\n' +
        'summary; csv, tsv and json give one row per attempt with Nextflow trace field names (raw values).',
    )
    .requiredOption('-d, --db <file>', 'SQLite database')
    .option('--run <id>', 'the run (default: the newest)')
    .addOption(
      new Option('-f, --format <fmt>', 'table: the summary; csv, tsv, json: every attempt')
        .choices(['table', 'csv', 'tsv', 'json'])
        .default('table'),
    )
    .option('--summary', 'with --format json: the summary as JSON instead of the attempts', false)
    .addHelpText('after', '\nExamples:\n  simrun trace --db demo.db\n  simrun trace --db demo.db --run 1 --format tsv > trace.txt\n')
    .action((f: { db: string; run?: string; format: Format; summary: boolean }) => {
      const db = openStore(f.db, { readonly: true });
      try {
        const runId = pickRun(db, f.run);
        if (!hasTrace(db))
          throw usageError(
            `${f.db} has no trace: it was written by a simrun before the trace (schema 3); resume or run with this simrun to record one`,
          );
        if (f.format === 'table' || f.summary) {
          const run = getRun(db, runId)!;
          const s = traceSummary(db, runId, {
            buckets: f.format === 'json' ? 60 : 10,
            ...(run.status === 'running' ? { now: Date.now() } : {}),
          });
          if (f.format === 'json') process.stdout.write(JSON.stringify(s, null, 2) + '\n');
          else writeSummary(s);
          return;
        }
        if (f.format === 'tsv') {
          process.stdout.write(NEXTFLOW_FIELDS.join('\t') + '\n');
          for (const r of nextflowRows(db, runId))
            process.stdout.write(r.map((v) => (v === null ? '' : String(v).replace(/[\t\n]/g, ' '))).join('\t') + '\n');
          return;
        }
        writeRows(NEXTFLOW_FIELDS, nextflowRows(db, runId), f.format);
      } finally {
        db.close();
      }
    });
}
