/**
 * The primary <-> worker message contract: the only place a message shape is written down.
 * Both src/primary and src/worker import it.
 */
import type { SerializedError } from './errors.js';
import type { ColumnType, Params } from './index.js';

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
  /** CSV input: the header. Items then arrive as arrays and become objects with these keys. */
  fields: string[] | null;
  /** --item-timeout in ms (0: none), enforced by a watchdog thread in the worker. */
  itemTimeoutMs: number;
  /** Folder where a worker's watchdog writes `<pid>.json` (the item it timed out on). */
  timeoutDir: string | null;
}

/**
 * A slice of the input: `count` items. Item k has index `indices[k]`, or `start + k` when
 * indices is absent. `items` is absent for range:N input, where each item is its own index.
 */
export interface ChunkMessage {
  type: 'chunk';
  id: number;
  start: number;
  count: number;
  indices?: number[];
  items?: unknown[];
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

export interface ItemError {
  idx: number;
  kind: 'throw' | 'row';
  error: SerializedError;
}

/**
 * One finished chunk. `values` holds the rows flat, `width` values per row in column order.
 * `idx` gives each row's item index; it is null when every item of the chunk succeeded, so
 * the rows are the chunk's items in order (the common case costs no index list on the wire).
 */
export interface ResultMessage {
  type: 'result';
  id: number;
  values: unknown[];
  idx: number[] | null;
  errors: ItemError[];
  /**
   * Values JSON cannot carry, as [position in values, text]: 'Infinity', '-Infinity', or an
   * integer beyond 2^53 as decimal digits (stored exactly as a 64-bit integer). Null if none.
   */
  specials: [number, string][] | null;
  /** Wall time the worker spent on the chunk's items, in ms. */
  ms: number;
}

export type WorkerMessage = HelloMessage | ReadyMessage | LoadFailedMessage | ResultMessage;

export function chunkIndex(chunk: Pick<ChunkMessage, 'start' | 'indices'>, k: number): number {
  return chunk.indices ? chunk.indices[k]! : chunk.start + k;
}

/** Primary side of ResultMessage.specials: puts the exact values back in place for SQLite. */
export function restoreSpecials(values: unknown[], specials: [number, string][] | null): void {
  if (!specials) return;
  for (const [pos, text] of specials) {
    values[pos] = text === 'Infinity' ? Infinity : text === '-Infinity' ? -Infinity : BigInt(text);
  }
}
