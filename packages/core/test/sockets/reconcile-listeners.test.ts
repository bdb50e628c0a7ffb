import { afterEach, describe, expect, it } from 'vitest';
import { bindListeners, type ArbiterListener } from '../../src/sockets/bind-listeners.js';
import { reconcileListeners } from '../../src/sockets/reconcile-listeners.js';

const open: ArbiterListener[] = [];
afterEach(() => {
  for (const listener of open.splice(0)) listener.close();
});

describe('reconcileListeners', () => {
  it('keeps a listener still in bind (same socket), binds new ones and names the ones to close', async () => {
    const current = await bindListeners(
      [
        { kind: 'tcp', host: '127.0.0.1', port: 0 },
        { kind: 'tcp', host: '::1', port: 0 },
      ],
      { backlog: 16 },
    );
    open.push(...current);
    const change = await reconcileListeners(current, ['127.0.0.1:0', '127.0.0.2:0'], { backlog: 16 });
    open.push(...change.added);
    expect(change.listeners[0]).toBe(current[0]);
    expect(change.added).toHaveLength(1);
    expect(change.listeners[1]).toBe(change.added[0]);
    expect(change.listeners[1]!.key).toBe('http://127.0.0.2:0');
    expect(change.removed).toEqual([current[1]]);
  });

  it('binds nothing and keeps everything when bind is unchanged', async () => {
    const current = await bindListeners([{ kind: 'tcp', host: '127.0.0.1', port: 0 }], { backlog: 16 });
    open.push(...current);
    const change = await reconcileListeners(current, ['127.0.0.1:0', '127.0.0.1:0'], { backlog: 16 });
    expect(change).toEqual({ listeners: current, added: [], removed: [] });
  });
});
