/**
 * Progress while a run goes, on stderr: a live bar on a TTY (cli-progress), otherwise one plain
 * text line every few seconds (a Slurm log, a pipe). Progress is not the log: the pino log has
 * its own level (--log-level, default warn) and destination (--log). --quiet turns it off.
 */
import { createRequire } from 'node:module';
import { formatDuration } from '../../util/duration.js';

export interface Progress {
  update(done: number, errors: number): void;
  /** A warning shown on the progress line until the next one (empty text clears it). */
  warn(text: string): void;
  stop(): void;
}

const LOG_EVERY_MS = 5000;
/** The rate is known once this many commits followed the session's first one... */
export const ETA_AFTER_COMMITS = 3;
/** ...and this long has passed since it (a burst of commits says little about the rate). */
const ETA_AFTER_MS = 2000;

/**
 * The session's rate and ETA, measured from its first commit: the time before it (forking
 * workers, loading the model) is not the rate of the work, and counting it made the first ETA
 * wild (10h56m for a 40 s run). No ETA until the rate is known.
 */
export function rateMeter(total: number, now = () => Date.now()) {
  let first: { at: number; done: number } | null = null;
  let commits = 0;
  return {
    update(done: number): void {
      if (!first) first = { at: now(), done };
      else commits++;
    },
    /** items/s since the first commit; 0 before there is a second one */
    rate(done: number): number {
      return first && commits ? (done - first.done) / Math.max(0.001, (now() - first.at) / 1000) : 0;
    },
    /** seconds to go, or null while the rate is not known yet */
    eta(done: number): number | null {
      if (!first || commits < ETA_AFTER_COMMITS || now() - first.at < ETA_AFTER_MS) return null;
      const r = this.rate(done);
      return r > 0 ? (total - done) / r : null;
    },
  };
}

const etaText = (s: number | null) => (s === null ? '-' : formatDuration(s));

export function createProgress(opts: { runId: number; total: number; startDone: number; quiet: boolean }): Progress {
  const { runId, total, startDone } = opts;
  const meter = rateMeter(total);
  if (opts.quiet) return { update: () => {}, warn: () => {}, stop: () => {} };
  if (process.stderr.isTTY) {
    // Loaded for a terminal only (CommonJS, so synchronously): a pipe or a Slurm log does not pay for it.
    const cliProgress = createRequire(import.meta.url)('cli-progress') as typeof import('cli-progress');
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
    bar.start(total, startDone, { rate: '0', etaText: '-', errors: 0, warning: '' });
    return {
      update(done, errors) {
        meter.update(done);
        bar.update(done, { rate: Math.round(meter.rate(done)).toLocaleString('en-US'), etaText: etaText(meter.eta(done)), errors });
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
      meter.update(done);
      const now = Date.now();
      if (readerGone || now - last < LOG_EVERY_MS) return;
      last = now;
      const pct = ((100 * done) / total).toFixed(1);
      const line = `run ${runId} ${done}/${total} (${pct}%) ${Math.round(meter.rate(done)).toLocaleString('en-US')} items/s ETA ${etaText(meter.eta(done))} errors ${errors}`;
      process.stderr.write(`${new Date().toISOString().slice(0, 19)}Z ${line}\n`);
    },
    warn: (text) => {
      if (text && !readerGone) process.stderr.write(`${new Date().toISOString().slice(0, 19)}Z run ${runId} warning: ${text}\n`);
    },
    stop: () => {},
  };
}
