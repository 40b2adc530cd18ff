/**
 * Progress while a run goes, on stderr: a live bar on a TTY (cli-progress), otherwise one plain
 * text line every few seconds (a Slurm log, a pipe). Progress is not the log: the pino log has
 * its own level (--log-level, default warn) and destination (--log). --quiet turns it off.
 */
import cliProgress from 'cli-progress';
import { formatDuration } from '../../util/duration.js';

export interface Progress {
  update(done: number, errors: number): void;
  /** A warning shown on the progress line until the next one (empty text clears it). */
  warn(text: string): void;
  stop(): void;
}

const LOG_EVERY_MS = 5000;

export function createProgress(opts: { runId: number; total: number; startDone: number; quiet: boolean }): Progress {
  const { runId, total, startDone } = opts;
  const t0 = Date.now();
  const rate = (done: number) => (done - startDone) / Math.max(0.001, (Date.now() - t0) / 1000);
  if (opts.quiet) return { update: () => {}, warn: () => {}, stop: () => {} };
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: `run ${runId} {bar} {percentage}% | {value}/{total} | {rate} items/s | ETA {etaText} | errors {errors}{warning}`,
        stream: process.stderr,
        hideCursor: true,
        etaBuffer: 50,
        fps: 5,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, startDone, { rate: '0', etaText: '?', errors: 0, warning: '' });
    return {
      update(done, errors) {
        const r = rate(done);
        bar.update(done, { rate: Math.round(r).toLocaleString('en-US'), etaText: formatDuration((total - done) / r), errors });
      },
      warn: (text) => bar.update({ warning: text ? ` | ${text}` : '' }),
      stop: () => bar.stop(),
    };
  }
  let last = Date.now();
  // `simrun run ... 2>&1 | head`: once stderr's reader is gone, progress stops instead of the
  // EPIPE error event killing the primary in the middle of the run.
  let readerGone = false;
  process.stderr.on('error', () => (readerGone = true));
  return {
    update(done, errors) {
      const now = Date.now();
      if (readerGone || now - last < LOG_EVERY_MS) return;
      last = now;
      const r = rate(done);
      const pct = ((100 * done) / total).toFixed(1);
      const line = `run ${runId} ${done}/${total} (${pct}%) ${Math.round(r).toLocaleString('en-US')} items/s ETA ${formatDuration((total - done) / r)} errors ${errors}`;
      process.stderr.write(`${new Date().toISOString().slice(0, 19)}Z ${line}\n`);
    },
    warn: (text) => {
      if (text && !readerGone) process.stderr.write(`${new Date().toISOString().slice(0, 19)}Z run ${runId} warning: ${text}\n`);
    },
    stop: () => {},
  };
}
