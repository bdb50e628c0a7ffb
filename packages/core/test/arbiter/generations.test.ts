import { describe, expect, it } from 'vitest';
import { Generations, type GenerationConfig } from '../../src/arbiter/generations.js';
import type { ArbiterListener } from '../../src/sockets/arbiter-listener.js';
import type { Settings } from '../../src/settings/types.js';

function listener(key: string): ArbiterListener {
  return { key, display: key, address: { kind: 'fd', fd: 3 }, handle: null, fd: 3, close: () => undefined };
}

function config(workers: number, listeners: ArbiterListener[]): GenerationConfig {
  return { settings: { workers } as Settings, workerClassPath: '/k.js', listeners, hooks: {} };
}

describe('Generations', () => {
  const a = listener('http://127.0.0.1:8000');
  const b = listener('http://127.0.0.1:9000');

  it('commits a reload once ready: the listeners it no longer uses are handed back to close', () => {
    const generations = new Generations(config(2, [a]));
    generations.begin(config(3, [b]));
    expect(generations.current).toBe(2);
    expect(generations.pending).toBe(true);
    expect(generations.allListeners).toEqual([b, a]);
    expect(generations.commit()).toEqual([a]);
    expect(generations.pending).toBe(false);
    expect(generations.settings.workers).toBe(3);
  });

  it('rolls back to the last generation that booted, never reusing a generation number', () => {
    const generations = new Generations(config(2, [a]));
    generations.begin(config(3, [a, b]));
    generations.begin(config(4, [a, b]));
    expect(generations.rollback()).toEqual([b]);
    expect(generations.current).toBe(1);
    expect(generations.settings.workers).toBe(2);
    generations.begin(config(5, [a]));
    expect(generations.current).toBe(4);
  });
});
