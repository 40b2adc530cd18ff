/**
 * What a worker may send, given what the primary has told it: one `hello`, then (after `init`)
 * one `ready` or `loadFailed`, then one `result` or `chunkFailed` per chunk it was given and
 * still holds. Anything else (a second hello, a result for a chunk it was not given or already
 * answered, for another range, a message simrun does not know) is a protocol violation: the
 * supervisor kills that worker and requeues its chunks, and nothing it sent is stored. This is
 * the primary's half of keeping the channel simrun's (the worker's is worker/ipc-guard.ts).
 */
import type { WorkerMessage } from '../../protocol.js';
import type { WorkerHandle } from './worker-handle.js';

const describe = (v: unknown) => (typeof v === 'number' || typeof v === 'string' ? JSON.stringify(v).slice(0, 40) : typeof v);

/** Why `msg` may not come from this worker now, or null when it may. */
export function protocolViolation(
  slot: Pick<WorkerHandle, 'state' | 'greeted' | 'inflight' | 'answeredChunk'>,
  msg: unknown,
): string | null {
  if (typeof msg !== 'object' || msg === null) return `${msg === null ? 'null' : `a ${typeof msg}`} where a message object belongs`;
  const m = msg as WorkerMessage;
  switch (m.type) {
    case 'hello':
      return slot.greeted ? 'a second hello' : null;
    case 'ready':
    case 'loadFailed':
      if (!slot.greeted) return `${m.type} before it was sent init`;
      return slot.state === 'starting' ? null : `${m.type} after its model had loaded`;
    case 'result':
    case 'chunkFailed': {
      if (slot.state === 'starting') return `${m.type} before its model had loaded`;
      const chunk = slot.inflight.find((c) => c.id === m.id);
      const answered = chunk ? undefined : slot.answeredChunk(m.id);
      if (answered) {
        const items = `items ${answered.start}..${answered.start + answered.count - 1}`;
        return `a second ${m.type} for chunk ${answered.id} (${items}), which it already answered: one of the two answers was not simrun's, and the first is stored`;
      }
      if (!chunk) return `${m.type} for chunk ${describe(m.id)}, which it was not given`;
      if (m.type === 'result' && m.start !== chunk.start) {
        return `result for chunk ${chunk.id} starting at item ${describe(m.start)}, but that chunk starts at ${chunk.start}`;
      }
      return null;
    }
    default:
      return `a message of unknown type ${describe((m as { type?: unknown }).type)}`;
  }
}
