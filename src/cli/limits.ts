/**
 * Resource limits checked before anything is loaded or opened: below them Node fails at random
 * places (a module that "cannot be found" while the open-file table is full, a worker that
 * aborts as it starts), so simrun refuses at once with one line saying what to raise.
 */
import { EXIT, SimrunError } from '../errors.js';
import { openFileLimit, softLimit, suggestedOpenFiles } from '../system-errors.js';

/** Node itself holds ~20 files; loading simrun's modules opens a dozen more at once; each worker adds a few. */
export const MIN_OPEN_FILES = 64;
/** Each worker process reserves ~1.3 GB of address space as it starts (V8 code ranges, its watchdog threads). */
export const MIN_ADDRESS_SPACE_KIB = 1536 * 1024;

const limitError = (message: string) => new SimrunError(message, 'E_LIMIT', EXIT.failed);

export function checkLimits(command: string | undefined): void {
  const files = openFileLimit();
  if (files !== null && files < MIN_OPEN_FILES) {
    throw limitError(
      `the open-file limit (ulimit -n) is ${files}, below the ${MIN_OPEN_FILES} simrun needs; raise it, e.g. ulimit -n ${suggestedOpenFiles(files)}, then run the command again`,
    );
  }
  if (command !== 'run' && command !== 'resume') return;
  const bytes = softLimit('Max address space');
  if (bytes !== null && bytes / 1024 < MIN_ADDRESS_SPACE_KIB) {
    throw limitError(
      `the virtual-memory limit (ulimit -v) is ${Math.round(bytes / 1024)} KiB, but each simrun worker reserves about 1.5 GB of address space as it starts ` +
        `(reserved, not used); raise it, e.g. ulimit -v unlimited (or at least ${MIN_ADDRESS_SPACE_KIB}), then run the command again`,
    );
  }
}
