import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanUp, tempDir } from '@gu/testkit';
import { framesOf, type StackCapture } from '../../src/worker/main-thread-stack.js';
import { mapJsToTsHooks } from '../support/ts-sources.js';

afterEach(cleanUp);

/**
 * Pins the part of V8's inspector protocol that main-thread-stack.ts relies on, in a plain Node
 * process as a worker runs it: a worker thread captures the stack of a main thread that is stuck
 * (in JavaScript, or in a system call), with the module's source loaded through a resolve hook
 * that maps the `.js` of relative imports to the `.ts` beside it.
 */
const mapJsToTs = `require('node:module').registerHooks(${mapJsToTsHooks});`;

const threadCode = `${mapJsToTs}
(async () => {
  const { workerData } = require('node:worker_threads');
  const { captureMainThreadStack } = await import(process.env.GU_STACK_URL);
  const capture = await captureMainThreadStack(Number(process.env.GU_CAPTURE_MS));
  require('node:fs').writeSync(1, JSON.stringify(capture));
  const done = new Int32Array(workerData);
  Atomics.store(done, 0, 1);
  Atomics.notify(done, 0);
})();`;

const mainScript = (stuck: string): string => `import { Worker } from 'node:worker_threads';
import { spawnSync } from 'node:child_process';
const done = new Int32Array(new SharedArrayBuffer(4));
function spinUntilCaptured() {
  while (Atomics.load(done, 0) === 0);
}
function sleepInSystemCall() {
  spawnSync('sleep', ['1']);
}
const thread = new Worker(process.env.GU_THREAD_CODE, { eval: true, workerData: done.buffer });
thread.once('online', () => {
  ${stuck}();
});
`;

async function captureIn(stuck: string, captureMs: number): Promise<{ capture: StackCapture; script: string }> {
  const script = join(tempDir(), 'stuck.mjs');
  writeFileSync(script, mainScript(stuck));
  const { stdout } = await promisify(execFile)(process.execPath, [script], {
    timeout: 15_000,
    env: {
      ...process.env,
      GU_THREAD_CODE: threadCode,
      GU_CAPTURE_MS: String(captureMs),
      GU_STACK_URL: pathToFileURL(join(import.meta.dirname, '../../src/worker/main-thread-stack.ts')).href,
    },
  });
  return { capture: JSON.parse(stdout) as StackCapture, script };
}

describe('captureMainThreadStack (the inspector protocol it relies on)', () => {
  it('pauses a busy-looping main thread and reads its frames, 1-based, with the script URL', async () => {
    const { capture, script } = await captureIn('spinUntilCaptured', 5000);
    expect(capture.ok).toBe(true);
    if (!capture.ok) return;
    const [top, caller] = capture.frames;
    expect(top).toEqual({ functionName: 'spinUntilCaptured', url: pathToFileURL(script).href, line: 5, column: expect.any(Number) as number });
    expect(caller).toMatchObject({ functionName: '', url: pathToFileURL(script).href, line: 12 });
  });

  it('gives a reason, within the time allowed, when the main thread is blocked outside JavaScript', async () => {
    const started = Date.now();
    const { capture } = await captureIn('sleepInSystemCall', 200);
    expect(capture).toEqual({ ok: false, reason: 'the main thread did not pause within 200 ms (blocked outside JavaScript)' });
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('framesOf (the shape guard of Debugger.paused)', () => {
  const urls = new Map([['7', 'file:///srv/app.mjs']]);

  it('maps script ids to URLs and 0-based positions to 1-based ones', () => {
    const params = { callFrames: [{ functionName: 'spin', url: '', location: { scriptId: '7', lineNumber: 11, columnNumber: 4 } }] };
    expect(framesOf(params, urls)).toEqual([{ functionName: 'spin', url: 'file:///srv/app.mjs', line: 12, column: 5 }]);
  });

  it('refuses a shape it does not know rather than guessing', () => {
    expect(framesOf({ callFrames: [{ functionName: 'spin', location: { lineNumber: 1 } }] }, urls)).toBeNull();
    expect(framesOf({ frames: [] }, urls)).toBeNull();
    expect(framesOf(null, urls)).toBeNull();
  });
});
