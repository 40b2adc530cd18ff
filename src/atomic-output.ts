/**
 * A file appears under its name only when complete: it is written to `<name>.partial-<pid>`
 * in the same folder (same filesystem, so the rename is atomic) and renamed at the end. On a
 * failure, SIGINT or SIGTERM the partial file is removed (exit 130 / 143), so an interrupted
 * export or generate never leaves a truncated file that a later reader would take for whole;
 * an older file under the name stays as it was until the new one replaces it.
 */
import { renameSync, rmSync } from 'node:fs';

export async function writeAtomically<T>(output: string, write: (partial: string) => Promise<T>, onInterrupt?: () => void): Promise<T> {
  const partial = `${output}.partial-${process.pid}`;
  const removePartial = () => rmSync(partial, { force: true });
  const onSignal = (sig: NodeJS.Signals) => {
    removePartial();
    onInterrupt?.();
    process.exit(sig === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const result = await write(partial);
    renameSync(partial, output);
    return result;
  } finally {
    removePartial();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
