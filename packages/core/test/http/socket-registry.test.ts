import { describe, expect, it } from 'vitest';
import { Socket } from 'node:net';
import { SocketRegistry } from '../../src/http/socket-registry.js';

describe('SocketRegistry: open sockets with a value each, without a Map', () => {
  it('sets, gets, counts and deletes, moving the last entry into the hole', () => {
    const registry = new SocketRegistry<string>();
    const [a, b, c] = [new Socket(), new Socket(), new Socket()];
    registry.set(a, 'a');
    registry.set(b, 'b');
    registry.set(c, 'c');
    registry.set(b, 'b again');
    expect(registry.size).toBe(3);
    expect(registry.get(b)).toBe('b again');
    expect(registry.delete(a)).toBe(true);
    expect(registry.delete(a)).toBe(false);
    expect(registry.has(a)).toBe(false);
    expect(registry.get(c)).toBe('c');
    expect(registry.entries()).toEqual([[c, 'c'], [b, 'b again']]);
    expect(registry.keys()).toEqual([c, b]);
  });

  it('keeps two registries of the same sockets apart', () => {
    const first = new SocketRegistry<number>();
    const second = new SocketRegistry<number>();
    const [a, b] = [new Socket(), new Socket()];
    first.set(a, 1);
    second.set(b, 2);
    second.set(a, 3);
    expect(first.has(b)).toBe(false);
    expect(first.get(a)).toBe(1);
    expect(second.get(a)).toBe(3);
    first.delete(a);
    expect(second.get(a)).toBe(3);
  });

  it('walks a copy: deleting while walking neither skips nor repeats an entry', () => {
    const registry = new SocketRegistry<number>();
    const sockets = Array.from({ length: 5 }, () => new Socket());
    sockets.forEach((socket, i) => { registry.set(socket, i); });
    const seen: number[] = [];
    for (const [socket, value] of registry.entries()) {
      seen.push(value);
      registry.delete(socket);
    }
    expect(seen.sort()).toEqual([0, 1, 2, 3, 4]);
    expect(registry.size).toBe(0);
  });
});
