/** A worker handle's explicit states: starting -> idle <-> busy -> draining -> dead. */
import { EventEmitter } from 'node:events';
import type { Worker } from 'node:cluster';
import { describe, expect, it } from 'vitest';
import type { Chunk } from '../../src/primary/run/chunk-feed.js';
import { WorkerHandle } from '../../src/primary/pool/worker-handle.js';

function fakeWorker(): Worker & { killed: string[]; disconnected: boolean } {
  const w = new EventEmitter() as unknown as Worker & { killed: string[]; disconnected: boolean };
  w.killed = [];
  w.disconnected = false;
  (w as unknown as { process: unknown }).process = { pid: 4242, kill: (sig: string) => (w.killed.push(sig), w.emit('exit', null, sig)) };
  w.isDead = () => false;
  w.isConnected = () => true;
  w.disconnect = () => ((w.disconnected = true), w.emit('exit', 0, null), w);
  return w;
}

const chunk = (id: number): Chunk => ({ id, start: id * 10, count: 10, crashes: 0 });

describe('WorkerHandle', () => {
  it('starts, becomes idle when ready, busy with chunks, idle again when they are done', () => {
    const h = new WorkerHandle(fakeWorker());
    expect(h.state).toBe('starting');
    expect(h.accepting).toBe(false);
    h.markReady();
    expect(h.state).toBe('idle');
    h.assign(chunk(1));
    h.assign(chunk(2));
    expect(h.state).toBe('busy');
    expect(h.complete(9)).toBeNull();
    expect(h.complete(1)?.id).toBe(1);
    expect(h.state).toBe('busy');
    expect(h.complete(2)?.id).toBe(2);
    expect(h.state).toBe('idle');
  });

  it('an idle worker drains by disconnect, a busy one is killed; both end dead', async () => {
    const idle = new WorkerHandle(fakeWorker());
    idle.markReady();
    await idle.stop();
    expect(idle.state).toBe('dead');
    expect((idle.worker as unknown as { disconnected: boolean }).disconnected).toBe(true);

    const busy = new WorkerHandle(fakeWorker());
    busy.markReady();
    busy.assign(chunk(3));
    await busy.stop();
    expect(busy.state).toBe('dead');
    expect((busy.worker as unknown as { killed: string[] }).killed).toEqual(['SIGKILL']);
  });

  it('a worker that died is dead and no longer loaded', () => {
    const h = new WorkerHandle(fakeWorker());
    h.markDead();
    expect(h.state).toBe('dead');
    expect(h.loaded).toBe(false);
    expect(h.accepting).toBe(false);
  });
});
