/**
 * Entry point of a worker's stack watchdog thread (see StackWatchdog). It sleeps until the main
 * thread's last beat is `thresholdMs` old, and then, once per silence, logs the main thread's stack
 * as one critical record of the error log.
 */
import { workerData } from 'node:worker_threads';
import { appendRecordSync } from '../logging/append-file.js';
import { formatRecordAs } from '../logging/record.js';
import { BeatSlot } from './beat-slot.js';
import { formatStack } from './format-stack.js';
import { captureMainThreadStack } from './main-thread-stack.js';
import type { WatchdogData } from './stack-watchdog.js';

const data = workerData as WatchdogData;
const slot = new BeatSlot(data.buffer);
/** While the worker boots: how often to look whether it is watched yet. */
const unwatchedPollMs = Math.min(100, data.thresholdMs / 4);
/** The beat whose silence was reported: one record per silence, however long it lasts. */
let reportedBeat: bigint | null = null;

function checkIn(ms: number): void {
  setTimeout(() => void check(), Math.max(10, Math.ceil(ms)));
}

async function check(): Promise<void> {
  const last = slot.lastBeat();
  if (last === null) {
    checkIn(unwatchedPollMs);
    return;
  }
  const silentMs = Number(process.hrtime.bigint() - last) / 1e6;
  if (silentMs < data.thresholdMs) {
    checkIn(data.thresholdMs - silentMs);
    return;
  }
  if (last !== reportedBeat) {
    reportedBeat = last;
    await report(silentMs);
  }
  checkIn(unwatchedPollMs);
}

async function report(silentMs: number): Promise<void> {
  const capture = await captureMainThreadStack(data.captureTimeoutMs);
  const stuck = `Worker (pid:${data.pid}) stuck for ${(silentMs / 1000).toFixed(1)} s`;
  const text = capture.ok ? `${stuck} at:\n${formatStack(capture.frames)}` : `${stuck}; its stack cannot be read: ${capture.reason}`;
  try {
    appendRecordSync(data.errorlog, formatRecordAs(data.logFormat, 'critical', data.pid, text));
  } catch {
    // Nowhere left to say it: the arbiter's WORKER TIMEOUT line still tells the rest.
  }
}

checkIn(unwatchedPollMs);
