import { describe, expect, it } from 'vitest';
import { formatStack, MAX_FRAMES, type StackFrame } from '../../src/worker/format-stack.js';

const frame = (functionName: string, line = 12): StackFrame => ({ functionName, url: 'file:///srv/app.mjs', line, column: 5 });

describe('formatStack', () => {
  it('prints frames as the lines of an Error.stack', () => {
    const stack = formatStack([
      frame('spinForever'),
      frame('', 30),
      { functionName: 'emit', url: 'node:events', line: 514, column: 28 },
      { functionName: 'eval', url: '', line: 1, column: 1 },
    ]);
    expect(stack).toBe(
      [
        '    at spinForever (file:///srv/app.mjs:12:5)',
        '    at file:///srv/app.mjs:30:5',
        '    at emit (node:events:514:28)',
        '    at eval (<anonymous>:1:1)',
      ].join('\n'),
    );
  });

  it(`shows at most ${MAX_FRAMES} frames and says how many it left out`, () => {
    const lines = formatStack(Array.from({ length: MAX_FRAMES + 5 }, (_, i) => frame(`f${i}`))).split('\n');
    expect(lines).toHaveLength(MAX_FRAMES + 1);
    expect(lines[0]).toBe('    at f0 (file:///srv/app.mjs:12:5)');
    expect(lines.at(-1)).toBe('    … 5 more frames');
  });
});
