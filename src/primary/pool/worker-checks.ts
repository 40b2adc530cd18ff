/** What the supervisor says about a worker: why it died, and why the model it loaded is not the run's. */
import type { ColumnType } from '../../api/model.js';
import { modelError, runFailed, type SerializedError } from '../../errors.js';
import { E_MODEL_LOAD_TIMEOUT } from '../../worker/model-loader.js';
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

/** Why worker `pid`'s model is not the run's model (columns or code): the run's error; null when it is. */
export function loadedOtherModel(
  pid: number,
  msg: ReadyMessage,
  run: { modelRef: string; columns: [string, ColumnType][]; modelFingerprint: string },
): Error | null {
  const show = (cols: [string, ColumnType][]) => cols.map(([n, t]) => `${n} ${t}`).join(', ');
  const ref = run.modelRef;
  let why: string | null = null;
  if (show(msg.columns) !== show(run.columns)) {
    why = `loaded model ${ref} with columns (${show(msg.columns)}), but the run's columns are (${show(run.columns)})`;
  } else if (msg.modelFingerprint !== run.modelFingerprint) {
    why = `loaded model ${ref} from code that differs from the run's (its files changed during the run)`;
  }
  return why
    ? runFailed(
        `worker ${pid} ${why}; the run is stopped (nothing that worker computed was written): restore the model, or resume with --allow-model-change`,
      )
    : null;
}

/** A worker whose model failed to load: a load that hangs is the model's fault, as in the primary (exit 2); else the run fails. */
export function loadFailure(e: SerializedError, modelRef: string): Error {
  if (e.code === E_MODEL_LOAD_TIMEOUT) return modelError(e.message);
  return runFailed(`model ${modelRef} failed to start in a worker: ${e.name}: ${e.message}`);
}
