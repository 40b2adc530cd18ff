/**
 * papaparse, loaded the first time a CSV record is parsed (it is CommonJS, so synchronously):
 * runs over JSONL, folders or range:N do not pay for it in the primary or in any worker.
 */
import { createRequire } from 'node:module';

type Papa = typeof import('papaparse');
let loaded: Papa | null = null;

export function papaparse(): Papa {
  return (loaded ??= createRequire(import.meta.url)('papaparse') as Papa);
}
