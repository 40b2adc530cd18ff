/**
 * Progress while a run goes: a live bar on a TTY (cli-progress), otherwise a pino info line on
 * stderr every few seconds. --quiet turns both off.
 */
import cliProgress from 'cli-progress';
import pino from 'pino';
import { formatDuration } from '../duration.js';

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
  const log = pino({ base: { run: runId } }, pino.destination({ fd: 2, sync: true }));
  let last = Date.now();
  return {
    update(done, errors) {
      const now = Date.now();
      if (now - last < LOG_EVERY_MS) return;
      last = now;
      const r = rate(done);
      log.info({ done, total, errors, itemsPerSec: Math.round(r), etaSec: Math.round((total - done) / r) }, 'progress');
    },
    warn: (text) => {
      if (text) log.warn(text);
    },
    stop: () => {},
  };
}
