import { describe, expect, it } from 'vitest';
import { ListenerCopies } from '../../src/worker/listener-source.js';
import type { WorkerMessage } from '../../src/worker/protocol.js';

/** Stands for a TCP handle received from the arbiter: what closing it did is recorded. */
function fakeHandle(): { fd: number; closed: boolean; listen: () => number; close: () => void } {
  const handle = { fd: 99, closed: false, listen: () => 0, close: () => { handle.closed = true; } };
  return handle;
}

function copies(): { listener: ListenerCopies; sent: WorkerMessage[] } {
  const sent: WorkerMessage[] = [];
  return { listener: new ListenerCopies(0, 'http://127.0.0.1:1', 16, (message) => sent.push(message)), sent };
}

describe('ListenerCopies.release', () => {
  it('closes the spare copies it holds and those that arrive unasked afterwards', () => {
    const { listener, sent } = copies();
    listener.prefetch();
    expect(sent).toEqual([{ type: 'listener-request', index: 0 }]);
    const spare = fakeHandle();
    listener.receive(spare);
    listener.release();
    expect(spare.closed).toBe(true);
    const late = fakeHandle();
    listener.receive(late);
    expect(late.closed).toBe(true);
  });

  it('prefetches no more once released', () => {
    const { listener, sent } = copies();
    listener.release();
    listener.prefetch();
    expect(sent).toEqual([]);
  });

  it('still hands a copy to an acquire() that was waiting for it', async () => {
    const { listener } = copies();
    const waiting = listener.acquire();
    listener.release();
    const handle = fakeHandle();
    listener.receive(handle);
    expect(await waiting).toBe(handle);
    expect(handle.closed).toBe(false);
  });
});
