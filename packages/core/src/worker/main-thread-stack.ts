import { Session } from 'node:inspector';
import { performance } from 'node:perf_hooks';
import type { StackFrame } from './format-stack.js';

/**
 * The one place gu talks to V8's inspector: from a worker thread, read the JavaScript stack of the
 * process's main thread while that thread is stuck. `connectToMainThread()` opens an in-process
 * session (no port, nothing a signal can open), and V8 serves its messages through interrupts,
 * which a busy loop checks on every back-edge: `Debugger.pause` stops it where it spins. It relies
 * on this much of the protocol (pinned by test/worker/main-thread-stack.test.ts):
 *
 * - `Debugger.enable` reports every loaded script as `Debugger.scriptParsed` `{ scriptId, url }`
 *   (a paused frame's own `url` is deprecated and empty on Node 24);
 * - `Debugger.paused` carries `callFrames[]` of `{ functionName, location: { scriptId, lineNumber,
 *   columnNumber } }`, lines and columns 0-based;
 * - `Debugger.resume` lets the thread go on, and disconnecting disables the debugger again.
 */

export type StackCapture =
  | { readonly ok: true; readonly frames: readonly StackFrame[] }
  | { readonly ok: false; readonly reason: string };

/** Whether this Node can open an inspector session on the main thread from a worker thread. */
export function canReadMainThreadStack(): boolean {
  return typeof (Session.prototype as { connectToMainThread?: unknown }).connectToMainThread === 'function';
}

/**
 * Pauses the main thread, reads its stack and lets it go. Call it from a worker thread. Resolves
 * with a reason instead when the main thread does not pause within `timeoutMs`: it is blocked
 * outside JavaScript (a synchronous system call, `Atomics.wait`), where no interrupt is served.
 */
export async function captureMainThreadStack(timeoutMs: number): Promise<StackCapture> {
  const session = new Session();
  const urls = new Map<string, string>();
  session.on('Debugger.scriptParsed', (message: { params: unknown }) => {
    const script = asScript(message.params);
    if (script) urls.set(script.scriptId, script.url);
  });
  const paused = new Promise<unknown>((resolve) => {
    session.once('Debugger.paused', (message: { params: unknown }) => { resolve(message.params); });
  });
  const deadline = performance.now() + timeoutMs;
  try {
    session.connectToMainThread();
    const params = await beforeDeadline(
      post(session, 'Debugger.enable').then(() => post(session, 'Debugger.pause')).then(() => paused),
      deadline,
    );
    if (params === TIMED_OUT) return { ok: false, reason: `the main thread did not pause within ${timeoutMs} ms (blocked outside JavaScript)` };
    const frames = framesOf(params, urls);
    if (!frames) return { ok: false, reason: 'the inspector answered Debugger.pause in an unexpected shape' };
    await beforeDeadline(post(session, 'Debugger.resume'), deadline + timeoutMs);
    return { ok: true, frames };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  } finally {
    session.disconnect();
  }
}

const TIMED_OUT = Symbol('timed out');

function beforeDeadline<T>(promise: Promise<T>, deadline: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => { resolve(TIMED_OUT); }, Math.max(0, deadline - performance.now()));
  });
  return Promise.race([promise, timedOut]).finally(() => { clearTimeout(timer); });
}

function post(session: Session, method: string): Promise<void> {
  return new Promise((resolve, reject) => {
    session.post(method, (error: Error | null) => {
      if (error) reject(error);
      else resolve();
    });
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function asScript(params: unknown): { scriptId: string; url: string } | null {
  if (!isRecord(params) || typeof params.scriptId !== 'string' || typeof params.url !== 'string') return null;
  return { scriptId: params.scriptId, url: params.url };
}

/** The shape guard of `Debugger.paused`: null when any frame is not as the protocol promised. */
export function framesOf(params: unknown, urls: ReadonlyMap<string, string>): StackFrame[] | null {
  if (!isRecord(params) || !Array.isArray(params.callFrames)) return null;
  const frames: StackFrame[] = [];
  for (const frame of params.callFrames as unknown[]) {
    if (!isRecord(frame) || typeof frame.functionName !== 'string' || !isRecord(frame.location)) return null;
    const { scriptId, lineNumber, columnNumber } = frame.location;
    if (typeof scriptId !== 'string' || typeof lineNumber !== 'number') return null;
    const url = urls.get(scriptId) ?? (typeof frame.url === 'string' ? frame.url : '');
    const column = typeof columnNumber === 'number' ? columnNumber : 0;
    frames.push({ functionName: frame.functionName, url, line: lineNumber + 1, column: column + 1 });
  }
  return frames;
}
