/**
 * What a run session does with each thing its workers report: a chunk's rows, an item that
 * crashes or outlasts --item-timeout, a worker gone silent. Every write goes through RunCommits.
 */
import type { Logger } from 'pino';
import type { ColumnType } from '../../api/model.js';
import { modelError, runFailed } from '../../errors.js';
import type { ResultMessage, VariantResult } from '../../protocol.js';
import { formatDuration } from '../../util/duration.js';
import { resultShapeError } from '../pool/result-shape.js';
import type { CrashInfo, SupervisorOptions } from '../pool/supervisor.js';
import type { ErrorRow } from '../store/results-writer.js';
import type { TraceRecorder } from '../trace/recorder.js';
import type { Chunk } from './chunk-feed.js';
import type { Progress } from './progress.js';
import type { RunCommits } from './transactions.js';
import { keepItems, type Keep } from '../sweep/retry-rows.js';

export interface SessionCounts {
  done: number;
  errors: number;
}

type Events = Pick<SupervisorOptions, 'onResult' | 'onPoisonItem' | 'onTimedOutItem' | 'onStall'>;

export function sessionEvents(o: {
  model: string;
  columns: [string, ColumnType][];
  itemTimeoutMs: number;
  commits: RunCommits;
  /** A sweep's variants besides the first (0 for a run): each result carries their rows in `more`. */
  variants: number;
  /** resume --retry-errors of a sweep: the items each variant (the first too) takes from a chunk. */
  keep?: (Keep | undefined)[];
  counts: SessionCounts;
  progress: Progress;
  activeMs: () => number;
  trace: TraceRecorder | null;
  log: Logger;
}): Events {
  const { commits, counts, progress, trace, log } = o;
  let sawRow = false;
  const noRows = (e: ErrorRow) => ({ idx: [], start: e.idx, rows: 0, columns: [], specials: null });
  // An item that crashes or hangs its worker fails in every variant of a sweep: which one did is not known.
  const recordError = (e: ErrorRow) => {
    const [first, ...more] = Array.from({ length: o.variants + 1 }, (_, k) => keepItems(noRows(e), [e], o.keep?.[k]));
    commits.commit(
      first!.rows,
      first!.errors,
      o.activeMs(),
      more,
      trace ? () => trace.recorded(e.idx, e.attempts, `recorded as an error: ${e.error.message}`) : undefined,
    );
    counts.done++;
    counts.errors++;
    progress.update(counts.done, counts.errors);
  };
  return {
    onResult(chunk: Chunk, msg: ResultMessage) {
      if (!sawRow && msg.errors.length === chunk.count && msg.errors.every((e) => e.kind === 'row')) {
        // Every row of the first chunk disagrees with the declared columns: a model bug, not bad items.
        throw modelError(`model ${o.model} returns rows that do not match its columns: ${msg.errors[0]!.error.message}`);
      }
      const parts = [msg, ...(msg.more ?? [])];
      const malformed =
        parts.length !== o.variants + 1
          ? `${parts.length} variant(s) of rows for ${o.variants + 1}`
          : parts.map((p) => resultShapeError(chunk, p, o.columns.length)).find((m) => m !== null);
      if (malformed) throw runFailed(`a worker sent a malformed result for chunk ${chunk.start}..: ${malformed}; the run is stopped`);
      sawRow ||= msg.rows > 0;
      const write = (p: VariantResult, k: number) =>
        keepItems(
          { idx: p.idx, start: chunk.start, rows: p.rows, columns: p.columns, specials: p.specials },
          p.errors.map((e) => ({ ...e, attempts: e.attempts ?? chunk.crashes + 1 })),
          o.keep?.[k],
        );
      const [first, ...more] = parts.map(write);
      commits.commit(first!.rows, first!.errors, o.activeMs(), more, trace ? () => trace.committed(chunk, msg) : undefined);
      counts.done += chunk.count;
      counts.errors += parts.reduce((n, p) => n + p.errors.length, 0);
      progress.update(counts.done, counts.errors);
    },
    onPoisonItem(idx: number, crashes: number, info: CrashInfo) {
      const how = info.violation
        ? `killed for breaking the IPC protocol: ${info.violation}`
        : info.signal
          ? `signal ${info.signal}`
          : `exit code ${info.code}`;
      const message = `worker died (${how}) while running this item, ${crashes} time(s)`;
      log.error({ idx, crashes, ...info }, 'item crashes its worker; recorded as an error');
      recordError({
        idx,
        attempts: crashes,
        kind: 'crash',
        error: { name: 'WorkerCrash', message, code: info.signal ?? String(info.code) },
      });
    },
    onTimedOutItem(idx: number, attempts: number) {
      const message = `item ran longer than --item-timeout ${o.itemTimeoutMs} ms, ${attempts} time(s); its worker was killed`;
      log.error({ idx, attempts, timeoutMs: o.itemTimeoutMs }, 'item times out; recorded as an error');
      recordError({ idx, attempts, kind: 'timeout', error: { name: 'ItemTimeout', message, code: 'ETIMEDOUT' } });
    },
    onStall(pid: number, silentMs: number, chunk: Chunk | null) {
      if (silentMs === 0) {
        log.info({ pid }, 'worker reports again');
        progress.warn('');
        return;
      }
      const items = chunk ? `items ${chunk.start}..${chunk.start + chunk.count - 1}` : 'its chunk';
      const text = `worker ${pid} has reported nothing for ${formatDuration(silentMs / 1000)} (${items}); a hung item? --item-timeout limits each item`;
      log.warn({ pid, silentMs: Math.round(silentMs), start: chunk?.start, count: chunk?.count }, 'worker stalled');
      progress.warn(text);
    },
  };
}
