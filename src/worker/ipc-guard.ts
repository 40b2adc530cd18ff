/**
 * The worker's IPC channel to the primary belongs to simrun: model code (and the libraries it
 * loads) must not send on it. A forged `hello` made the primary send `init` again and stall;
 * a forged `result` was stored in place of the real one.
 *
 * Every send on the channel goes through process._send (process.send, cluster.worker.send and
 * node's own cluster messages all end there). Before any model code loads, the worker entry
 * calls takeChannel(): process._send is replaced, non-writable and non-configurable, by a gate
 * that passes simrun's own messages (objects it made, known by identity) and node's internal
 * ones (`cmd: 'NODE_...'`), and refuses anything else: it is not sent, the call returns false
 * (its callback gets an error), and the worker's log says so once per message type.
 *
 * Limits (model code runs with the user's rights; this is not a sandbox): code that writes raw
 * bytes to the channel's file descriptor, drives the inspector, or emits 'message' events on its
 * own process gets past this gate. The primary is the second line: it accepts one result per
 * chunk it dispatched, from the worker it gave the chunk to (see primary/pool/protocol-check.ts);
 * anything else kills that worker and requeues its chunks, and is never stored. What stays
 * possible: a raw frame that answers the worker's *own* chunk before the real result does (the
 * real one then kills the worker as a second answer); only that model's own chunks, which it
 * could as well have given other values.
 */
import type { Logger } from 'pino';
import type { WorkerMessage } from '../protocol.js';

type RawSend = (this: unknown, message: unknown, handle?: unknown, options?: unknown, callback?: unknown) => boolean;

const owned = new WeakSet<object>();
const refused = new Map<string, number>();
let log: Logger | null = null;

const isInternal = (m: unknown): boolean =>
  typeof m === 'object' && m !== null && typeof (m as { cmd?: unknown }).cmd === 'string' && (m as { cmd: string }).cmd.startsWith('NODE_');

function describe(m: unknown): string {
  try {
    const t = typeof m === 'object' && m !== null ? (m as { type?: unknown }).type : undefined;
    return typeof t === 'string' ? t.slice(0, 40) : typeof m;
  } catch {
    return 'unreadable';
  }
}

function report(type: string, count: number): void {
  log?.warn({ type, count }, "model code tried to send a message on the worker IPC channel; refused (the channel is simrun's)");
}

function refuse(message: unknown): void {
  const type = describe(message);
  const n = (refused.get(type) ?? 0) + 1;
  refused.set(type, n);
  if (n === 1) report(type, n);
}

/** Logs the refusals made before the worker had its logger, and those to come. */
export function attachChannelLog(logger: Logger): void {
  log = logger;
  for (const [type, n] of refused) report(type, n);
}

/** How many sends were refused so far (for the log and tests). */
export function refusedCount(): number {
  let n = 0;
  for (const c of refused.values()) n += c;
  return n;
}

/**
 * Installs the gate and returns simrun's own send. Call once, before any model code loads. A
 * worker with no channel (run by hand) gets a send that does nothing.
 */
export function takeChannel(): (msg: WorkerMessage) => void {
  const proc = process as unknown as { _send?: RawSend; send?: RawSend };
  const realSend = proc._send;
  const publicSend = proc.send;
  if (typeof realSend !== 'function' || typeof publicSend !== 'function') return () => {};
  const gate: RawSend = function (this: unknown, message, handle, options, callback) {
    if ((typeof message === 'object' && message !== null && owned.has(message)) || isInternal(message)) {
      return realSend.call(this, message, handle, options, callback);
    }
    refuse(message);
    const cb = typeof callback === 'function' ? callback : typeof options === 'function' ? options : null;
    if (cb) process.nextTick(cb as (e: Error) => void, new Error("the worker IPC channel is simrun's: model code cannot send on it"));
    return false;
  };
  Object.defineProperty(process, '_send', { value: gate, writable: false, configurable: false, enumerable: false });
  return (msg) => {
    // The primary may already have gone (run stopped, or refused while this worker started):
    // then there is no one to tell, and a send that fails on the closing channel (EPIPE) ends
    // the worker as the channel's 'disconnect' does, instead of an unhandled 'error' and a stack.
    if (!process.connected) return;
    owned.add(msg);
    publicSend.call(process, msg, undefined, undefined, (err: Error | null) => {
      if (err) process.exit(0);
    });
  };
}
