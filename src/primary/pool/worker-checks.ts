/** What the supervisor says about a worker: why it died, and why the model it loaded is not the run's. */
import type { ColumnType } from '../../api/model.js';
import type { ReadyMessage } from '../../protocol.js';
import type { TimedOutItem } from '../../worker/item-watchdog.js';

export interface CrashInfo {
  code: number | null;
  signal: string | null;
  /** The protocol violation the worker was killed for, if that is why it died. */
  violation?: string;
}

export function describeExit({ code, signal, violation }: CrashInfo): string {
  if (violation) return `killed for breaking the protocol: ${violation}`;
  return signal ? `signal ${signal}` : `exit code ${code}`;
}

/** Why a loaded worker died, as the log, the run's error and the trace name it. */
export const deathCause = (info: CrashInfo, timedOut: TimedOutItem | null): string =>
  timedOut ? `item ${timedOut.idx} timed out` : describeExit(info);

/** Why a worker's model is not the run's model (columns or code), or null when it is. */
export function loadedOtherModel(
  msg: ReadyMessage,
  run: { modelRef: string; columns: [string, ColumnType][]; modelFingerprint: string },
): string | null {
  const show = (cols: [string, ColumnType][]) => cols.map(([n, t]) => `${n} ${t}`).join(', ');
  const ref = run.modelRef;
  if (show(msg.columns) !== show(run.columns)) {
    return `loaded model ${ref} with columns (${show(msg.columns)}), but the run's columns are (${show(run.columns)})`;
  }
  if (msg.modelFingerprint !== run.modelFingerprint) {
    return `loaded model ${ref} from code that differs from the run's (its files changed during the run)`;
  }
  return null;
}
