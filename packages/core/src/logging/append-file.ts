import { closeSync, openSync, writeSync } from 'node:fs';

/**
 * A log file opened with O_APPEND and written synchronously, one `write(2)` per record: several
 * processes (arbiter and workers) share the file, and O_APPEND keeps each record whole and in
 * place. Synchronous because error-log records are rare and must reach the file even when the
 * process exits on the next line.
 */
export interface AppendFile {
  /** Appends `text`; falls back to stderr when the file cannot be written (Python logging's handleError). */
  write(text: string): void;
  /** Opens the path again (after log rotation). Throws if it cannot, and then keeps the old file. */
  reopen(): void;
  /** Closes the file; later records go to stderr rather than being lost. */
  close(): void;
}

function writeWhole(fd: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  let offset = 0;
  // A regular file takes the whole buffer in one call; the loop only guards against short writes.
  while (offset < bytes.length) offset += writeSync(fd, bytes, offset);
}

export function openAppendFile(path: string): AppendFile {
  let fd: number | null = openSync(path, 'a');
  return {
    write(text) {
      if (fd === null) {
        process.stderr.write(text);
        return;
      }
      try {
        writeWhole(fd, text);
      } catch {
        process.stderr.write(text);
      }
    },
    reopen() {
      const reopened = openSync(path, 'a');
      if (fd !== null) closeSync(fd);
      fd = reopened;
    },
    close() {
      if (fd !== null) closeSync(fd);
      fd = null;
    },
  };
}

/** The `-` destination: stderr, which Node writes synchronously to files and pipes on POSIX. */
export function stderrDestination(): AppendFile {
  return {
    write: (text) => process.stderr.write(text),
    reopen: () => undefined,
    close: () => undefined,
  };
}

/** How long a record from another thread waits for a full stderr pipe to drain before it is dropped. */
const FULL_PIPE_PATIENCE_MS = 1000;

/**
 * Writes one record from a thread other than the main one (the stack watchdog). `process.stderr`
 * there is relayed through the main thread, which is the thread that is stuck, so this writes to
 * fd 2 itself; stderr is often a pipe that libuv made non-blocking, hence the short waits on EAGAIN.
 * A file is opened for this record only, so a log rotated since the worker started is followed.
 */
export function appendRecordSync(errorlog: string, text: string): void {
  if (errorlog !== '-') {
    const fd = openSync(errorlog, 'a');
    try {
      writeWhole(fd, text);
    } finally {
      closeSync(fd);
    }
    return;
  }
  const bytes = Buffer.from(text, 'utf8');
  const pause = new Int32Array(new SharedArrayBuffer(4));
  let offset = 0;
  for (let waited = 0; offset < bytes.length; ) {
    try {
      offset += writeSync(2, bytes, offset);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN' || waited >= FULL_PIPE_PATIENCE_MS) throw error;
      Atomics.wait(pause, 0, 0, 5);
      waited += 5;
    }
  }
}
