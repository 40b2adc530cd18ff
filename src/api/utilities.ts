/**
 * Small helpers simrun uses itself and lends to models: the PRNG behind `ctx.random()`, for a
 * model that needs a stream of its own (e.g. a synthetic-input generator), and the atomic file
 * writer behind `export` (a file appears whole under its name or not at all), and the check
 * every file-writing command runs first (never over a database or its -wal/-shm/-journal).
 */
export { sfc32 } from '../worker/random.js';
export { writeAtomically } from '../util/atomic-output.js';
export { checkOutputTarget } from '../util/output-target.js';
