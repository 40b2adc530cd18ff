/**
 * docs/benchmarks.md, the human-facing page of the benchmark: the prose around the results is
 * written by hand, and a full `npm run bench` replaces the block between the two markers with
 * the report it also writes to bench/results/latest.md.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';

export const RESULTS_BEGIN = '<!-- bench:results:begin (written by npm run bench: edit the text around this block, not inside) -->';
export const RESULTS_END = '<!-- bench:results:end -->';

/** The page with its results block replaced by `markdown`; throws when the markers are missing. */
export function withResults(page: string, markdown: string): string {
  const begin = page.indexOf(RESULTS_BEGIN);
  const end = page.indexOf(RESULTS_END);
  if (begin < 0 || end < begin || page.indexOf(RESULTS_BEGIN, begin + 1) >= 0) {
    throw new Error(`expected one "${RESULTS_BEGIN}" followed by "${RESULTS_END}"; put them back where the results go`);
  }
  return `${page.slice(0, begin + RESULTS_BEGIN.length)}\n\n${markdown.trim()}\n\n${page.slice(end)}`;
}

/** Rewrites the results block of the page at `file` (written beside it, then renamed). */
export function writeResultsPage(file: string, markdown: string): void {
  let next: string;
  try {
    next = withResults(readFileSync(file, 'utf8'), markdown);
  } catch (err) {
    throw new Error(`${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const tmp = `${file}.partial-${process.pid}`;
  writeFileSync(tmp, next);
  renameSync(tmp, file);
}
