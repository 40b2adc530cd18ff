/**
 * A file appears under its name only when complete: it is written to `<name>.partial-<pid>`
 * in the same folder (same filesystem, so the rename is atomic) and renamed at the end. On a
 * failure, SIGINT or SIGTERM the partial file is removed (exit 130 / 143), so an interrupted
 * export or generate never leaves a truncated file that a later reader would take for whole;
 * an older file under the name stays as it was until the new one replaces it.
 */
import { realpathSync, renameSync, rmSync, statSync } from 'node:fs';
import { noteTarget } from '../system-errors.js';

export async function writeAtomically<T>(output: string, write: (partial: string) => Promise<T>, onInterrupt?: () => void): Promise<T> {
  let target = output;
  noteTarget(output);
  try {
    // /dev/stdout, /dev/null, a FIFO: written as they are, never renamed over (root could).
    if (!statSync(output).isFile()) return await write(output);
    target = realpathSync(output); // a symbolic link stays one: its target is replaced
  } catch (err) {
    if ((err as { code?: string }).code !== 'ENOENT') throw err;
  }
  const partial = `${target}.partial-${process.pid}`;
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
    renameSync(partial, target);
    return result;
  } finally {
    removePartial();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
