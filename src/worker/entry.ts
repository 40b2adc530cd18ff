/**
 * Worker process entry (forked by the primary through node:cluster). Waits for `init`, loads
 * the model, runs chunks one at a time in arrival order, and exits when the primary's IPC
 * channel goes away. SIGINT/SIGTERM are left to the primary, which finishes in-flight work.
 */
import path from 'node:path';
import { serializeError } from '../errors.js';
import { createLogger } from '../log.js';
import { loadFingerprintedModel, modelColumns } from './model-loader.js';
import { WORKER_MARK, type ChunkMessage, type InitMessage, type PrimaryMessage } from '../protocol.js';
import { ItemWatchdog } from './item-watchdog.js';
import { killWhenOrphaned } from './orphan-watchdog.js';
import { SliceReader } from './read-slice.js';
import type { WorkerSetup } from './run-chunk.js';
import { runVariants, variantSetups } from './run-variants.js';
import { guardModelStdio } from './stdio-guard.js';
import { endOwnGroupMembers } from '../util/process-group.js';
import { attachChannelLog, takeChannel } from './ipc-guard.js';
import { closeForeignModels } from './foreign/load.js';
import { flushPhases, mark } from '../util/phases.js';

mark('worker: entry loaded');

// Before any model code can load: the IPC channel is simrun's alone (ipc-guard.ts).
const send = takeChannel();

// Signals are the primary's to handle (it drains, then stops us); a closed terminal too.
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => {});
// A Python/R model's process is told bye (and waited for, 1 s at most) before the worker exits.
process.on('disconnect', () => void closeForeignModels().finally(() => process.exit(0)));
// What the model spawned ends with the worker, also when the primary is gone (kill -9) and
// cannot end the worker's process group itself (node:cluster exits at once on that disconnect).
process.on('exit', () => {
  const n = endOwnGroupMembers();
  if (n) setup?.log.warn({ processes: n }, 'worker exiting: ended the processes its model left running');
});
guardModelStdio();

let setup: WorkerSetup | null = null;
/** The setups of a sweep's variants (the first is `setup`); one for a plain run. */
let setups: WorkerSetup[] = [];
let slices: SliceReader | null = null;
const queue: ChunkMessage[] = [];
let busy = false;
let initialised = false;

async function init(msg: InitMessage): Promise<void> {
  const log = createLogger(msg.logFile, msg.logLevel, { pid: process.pid, role: 'worker' });
  attachChannelLog(log);
  mark('worker: init received');
  flushPhases(log);
  try {
    const { model, fingerprint } = await loadFingerprintedModel(msg.modelRef);
    mark('worker: model loaded');
    const columns = modelColumns(model);
    await model.setup?.({ params: msg.params, log, outDir: msg.outDir });
    const watchdog =
      msg.itemTimeoutMs > 0 && msg.timeoutDir
        ? new ItemWatchdog(msg.itemTimeoutMs, path.join(msg.timeoutDir, `${process.pid}.json`))
        : null;
    setup = {
      model,
      columns,
      params: msg.params,
      seed: msg.seed,
      outDir: msg.outDir,
      log,
      watchdog,
      retry: { retries: msg.retries, delayMs: msg.retryDelayMs },
    };
    setups = variantSetups(setup, msg.variants);
    slices = msg.input ? new SliceReader(msg.input) : null;
    send({ type: 'ready', columns, modelFingerprint: fingerprint.hash });
    mark('worker: ready sent');
  } catch (err) {
    send({ type: 'loadFailed', error: serializeError(err) });
    process.disconnect();
  }
}

async function drain(): Promise<void> {
  if (busy || !setup) return;
  busy = true;
  while (queue.length) {
    const chunk = queue.shift()!;
    // The primary's orphan reaper (pool/orphan-reaper.ts) ends this worker if the primary is
    // killed; where it cannot run, a thread of the worker's own does, from the first chunk on.
    if (!process.env[WORKER_MARK]) killWhenOrphaned();
    let items: unknown[] | null;
    try {
      items = chunk.slice ? slices!.read(chunk.slice, chunk.count) : (chunk.items ?? null);
    } catch (err) {
      send({ type: 'chunkFailed', id: chunk.id, error: serializeError(err) });
      continue;
    }
    send(await runVariants(setups, chunk, items));
  }
  busy = false;
}

process.on('message', (msg: PrimaryMessage) => {
  // One init per worker: a second (a model emitting 'message' on its own process) is ignored.
  if (msg.type === 'init' && !initialised) {
    initialised = true;
    void init(msg).then(drain);
  } else if (msg.type === 'chunk') {
    queue.push(msg);
    void drain();
  }
});
send({ type: 'hello' });
