/**
 * The primary <-> worker message contract: the only place a message shape is written down.
 * Both src/primary and src/worker import it. Messages travel with node:cluster's 'advanced'
 * serialization (structured clone), so result columns cross as typed arrays.
 */
import type { SerializedError } from './errors.js';
import type { ColumnType, Params } from './api/model.js';

/** A CSV or JSONL input, which workers read and parse themselves, a byte range at a time. */
export interface TextInput {
  kind: 'csv' | 'jsonl';
  file: string;
  /** CSV: the header (items become objects with these keys) and the line ending. */
  fields: string[] | null;
  newline: '\n' | '\r\n';
}

/**
 * The environment variable that marks a session's workers (and what they spawn) for the
 * primary's orphan reaper (primary/pool/orphan-reaper.ts); a worker with it needs no watch thread.
 */
export const WORKER_MARK = 'SIMRUN_SESSION_MARK';

/** Sent once to each new worker. */
export interface InitMessage {
  type: 'init';
  /** Built-in model name or absolute path of a model file. */
  modelRef: string;
  params: Params;
  seed: number;
  outDir: string | null;
  logFile: string | null;
  logLevel: string;
  /** CSV/JSONL input that chunks refer to by byte range; null for range:N and file inputs. */
  input: TextInput | null;
  /** --retries and --retry-delay: how the worker retries an item's transient errors. */
  retries: number;
  retryDelayMs: number;
  /** --item-timeout in ms (0: none), enforced by a watchdog thread in the worker. */
  itemTimeoutMs: number;
  /** Folder where a worker's watchdog writes `<pid>.json` (the item it timed out on). */
  timeoutDir: string | null;
  /**
   * A sweep's other variants (simrun sweep): each chunk's items are run again with each of these
   * params and seeds, after `params`/`seed` (the first variant); absent for a plain run.
   */
  variants?: VariantInit[];
}

/** One more variant of a sweep: its effective params and seed. */
export interface VariantInit {
  params: Params;
  seed: number;
}

/**
 * Where a chunk's items are in a text input: the bytes from `offset`, block after block
 * (`lens[b]` bytes with CRC-32 `crcs[b]`, from the scan), of which the first `skip` records
 * are not the chunk's. `line` is the file line where the range starts (for error messages).
 */
export interface InputSlice {
  offset: number;
  skip: number;
  line: number;
  lens: number[];
  crcs: number[];
}

/**
 * Items [start, start + count) of the input. range:N items are their own index (nothing
 * else travels); files come as `items`; CSV/JSONL items as a `slice` the worker reads.
 */
export interface ChunkMessage {
  type: 'chunk';
  id: number;
  start: number;
  count: number;
  items?: unknown[];
  slice?: InputSlice;
}

export type PrimaryMessage = InitMessage | ChunkMessage;

/** First message of every worker: its IPC listener is in place, send `init`. */
export interface HelloMessage {
  type: 'hello';
}

/** The model loaded: what it declares and the fingerprint of the code it was loaded from. */
export interface ReadyMessage {
  type: 'ready';
  columns: [string, ColumnType][];
  modelFingerprint: string;
}

/** Model failed to load or its setup threw: the run cannot go on. */
export interface LoadFailedMessage {
  type: 'loadFailed';
  error: SerializedError;
}

/** The chunk's input could not be read as scanned (changed file, bad record): the run cannot go on. */
export interface ChunkFailedMessage {
  type: 'chunkFailed';
  id: number;
  error: SerializedError;
}

export interface ItemError {
  idx: number;
  kind: 'throw' | 'row';
  error: SerializedError;
  /** Tries made in the worker (transient errors are retried there); absent means one. */
  attempts?: number;
}

/**
 * One result column: a real or integer column as a Float64Array (NaN is NULL: a model's NaN
 * is refused, see worker/row.ts), a text column as an array of strings and nulls.
 */
export type ResultColumn = Float64Array | (string | null)[];

/**
 * One finished chunk: `rows` rows as columns, in model column order. `idx` gives each row's
 * item index; it is null when every item succeeded, so the rows are the chunk's items in order.
 */
export interface ResultMessage {
  type: 'result';
  id: number;
  /** The chunk's first item, echoed: the primary checks it against the chunk it dispatched. */
  start: number;
  rows: number;
  columns: ResultColumn[];
  idx: number[] | null;
  errors: ItemError[];
  /** Integers beyond 2^53 (bigint), exact as decimal text: [row, column, digits]. Null if none. */
  specials: [number, number, string][] | null;
  /** Wall time the worker spent on the chunk's items, in ms (in a sweep: on every variant). */
  ms: number;
  /** A sweep: the rows of the chunk for each of init's `variants`, in order (the fields above are the first variant's). */
  more?: VariantResult[];
  /** What the worker measured for the trace table (absent from a worker that measured nothing). */
  trace?: ChunkTrace;
}

/** A chunk as its worker measured it (worker/chunk-timer.ts), stored in the trace table. */
export interface ChunkTrace {
  /** When the worker began the chunk, epoch ms. */
  startedAt: number;
  /** The worker process's CPU time (user + system) during the chunk, ms. */
  cpuMs: number;
  /** The worker's resident set at the chunk's end, and its peak so far, bytes. */
  rss: number;
  peakRss: number;
  /** The slowest items, slowest first: [first index, items timed together (1: the item alone), ms]. */
  slowest: [number, number, number][];
}

/** One sweep variant's rows of a chunk, as in ResultMessage. */
export type VariantResult = Pick<ResultMessage, 'rows' | 'columns' | 'idx' | 'errors' | 'specials'>;

export type WorkerMessage = HelloMessage | ReadyMessage | LoadFailedMessage | ChunkFailedMessage | ResultMessage;
