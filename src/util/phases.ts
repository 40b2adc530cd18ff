/**
 * Start-up phase marks: `mark('store opened')` notes the time since this process started
 * (performance.now() counts from process start). Marks made before the logger exists are
 * kept and written when `flushPhases(log)` is called; later ones go to the log at once. At
 * `--log-level debug` each is one line `{phase, ms}`, so `simrun run ... --log-level debug`
 * shows where a run's fixed cost goes, in the primary and in every worker.
 */
import type { Logger } from 'pino';

const pending: [string, number][] = [];
let sink: Logger | null = null;

export function mark(phase: string): void {
  const ms = Math.round(performance.now() * 10) / 10;
  if (sink) sink.debug({ phase, ms }, 'phase');
  else pending.push([phase, ms]);
}

/** Writes the marks made so far to `log` and sends later ones there directly. */
export function flushPhases(log: Logger): void {
  sink = log;
  if (!log.isLevelEnabled('debug')) {
    pending.length = 0;
    return;
  }
  for (const [phase, ms] of pending.splice(0)) log.debug({ phase, ms }, 'phase');
}
