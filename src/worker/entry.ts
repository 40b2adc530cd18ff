/**
 * Worker process entry (forked by the primary through node:cluster). Waits for `init`, loads
 * the model, runs chunks one at a time in arrival order, and exits when the primary's IPC
 * channel goes away. SIGINT/SIGTERM are left to the primary, which finishes in-flight work.
 */
import { serializeError } from '../errors.js';
import { createLogger } from '../log.js';
import { loadModel, modelColumns } from '../model-loader.js';
import type { ChunkMessage, InitMessage, PrimaryMessage, WorkerMessage } from '../protocol.js';
import { killWhenOrphaned } from './orphan-watchdog.js';
import { runChunk, type WorkerSetup } from './run-chunk.js';
import { guardModelStdio } from './stdio-guard.js';

process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});
process.on('disconnect', () => process.exit(0));
killWhenOrphaned();
guardModelStdio();

function send(msg: WorkerMessage): void {
  // The primary may already have gone (run stopped): then there is no one to tell.
  if (process.connected) process.send!(msg);
}

let setup: WorkerSetup | null = null;
const queue: ChunkMessage[] = [];
let busy = false;

async function init(msg: InitMessage): Promise<void> {
  const log = createLogger(msg.logFile, msg.logLevel, { pid: process.pid, role: 'worker' });
  try {
    const model = await loadModel(msg.modelRef);
    const columns = modelColumns(model);
    await model.setup?.({ params: msg.params, log, outDir: msg.outDir });
    const onItem = msg.reportItems ? (id: number, k: number) => send({ type: 'item', id, k }) : null;
    setup = { model, columns, params: msg.params, seed: msg.seed, outDir: msg.outDir, log, onItem, fields: msg.fields };
    send({ type: 'ready', columns });
  } catch (err) {
    send({ type: 'loadFailed', error: serializeError(err) });
    process.disconnect();
  }
}

async function drain(): Promise<void> {
  if (busy || !setup) return;
  busy = true;
  while (queue.length) send(await runChunk(setup, queue.shift()!));
  busy = false;
}

process.on('message', (msg: PrimaryMessage) => {
  if (msg.type === 'init') void init(msg).then(drain);
  else if (msg.type === 'chunk') {
    queue.push(msg);
    void drain();
  }
});
send({ type: 'hello' });
