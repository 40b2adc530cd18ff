/**
 * A worker shares the primary's stdout and stderr, and a model may write to them (console.log,
 * process.stdout.write). When their reader has gone (`simrun run ... | head -1`) each write
 * fails with EPIPE, which Node raises as an 'error' event that kills the process: an innocent
 * item would be recorded as a crash and the run stopped by the crash-loop breaker. The model's
 * console output is not simrun's data (rows go over IPC), so with no reader it is dropped.
 */
const dropOutput = (): void => {};

/** Keeps the worker alive whatever happens to its stdout/stderr. */
export function guardModelStdio(): void {
  process.stdout.on('error', dropOutput);
  process.stderr.on('error', dropOutput);
}
