import { createWriteStream, openSync, type WriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';

/** Where access-log lines go: buffered, so that a request never waits for the disk or the terminal. */
export interface LineSink {
  write(text: string): void;
  reopen(): void;
  /** Resolves once every line written so far has reached the file or stdout. */
  close(): Promise<void>;
}

/** Reports a failure of the sink itself (disk full, rotated file that cannot be reopened). */
export type SinkErrorReporter = (message: string, error: unknown) => void;

/** Resolves once the stream has written everything and closed, or failed (its 'error' listener reported that). */
async function endStream(stream: WriteStream): Promise<void> {
  stream.end();
  await finished(stream).catch(() => undefined);
}

function openStream(path: string, report: SinkErrorReporter): WriteStream {
  // Opened synchronously so that a path gu cannot write to fails at start-up, not at the first request.
  const fd = openSync(path, 'a');
  const stream = createWriteStream(path, { fd });
  stream.on('error', (error) => { report(`Cannot write the access log ${path}`, error); });
  return stream;
}

/**
 * A file opened with O_APPEND through a write stream: lines queue in memory while the thread pool
 * writes, and queued lines leave together in one `writev`, each record whole (several processes
 * append to the same file). After a write error (disk full) the file is reported once and left
 * until the next reopen().
 */
export function fileSink(path: string, report: SinkErrorReporter): LineSink {
  let stream = openStream(path, report);
  const retiring = new Set<Promise<void>>();
  return {
    write: (text) => { stream.write(text); },
    reopen: () => {
      let reopened: WriteStream;
      try {
        reopened = openStream(path, report);
      } catch (error) {
        report(`Cannot reopen the access log ${path}; still writing to the old file`, error);
        return;
      }
      // Lines queued before the rotation still go to the old file, where they belong.
      const ending = endStream(stream).finally(() => retiring.delete(ending));
      retiring.add(ending);
      stream = reopened;
    },
    close: async () => {
      await Promise.all([...retiring, endStream(stream)]);
    },
  };
}

/**
 * stdout, with the lines of one event-loop turn joined into one write: Node writes stdout
 * synchronously to files and pipes, so one write per request would cost one system call each.
 */
export function stdoutSink(): LineSink {
  let pending: string[] = [];
  let flushScheduled = false;
  let lastWrite: Promise<void> = Promise.resolve();

  const flush = (): void => {
    flushScheduled = false;
    if (pending.length === 0) return;
    const text = pending.join('');
    pending = [];
    lastWrite = new Promise((resolve) => process.stdout.write(text, () => { resolve(); }));
  };

  return {
    write: (text) => {
      pending.push(text);
      if (flushScheduled) return;
      flushScheduled = true;
      setImmediate(flush);
    },
    reopen: () => undefined,
    close: async () => {
      flush();
      await lastWrite;
    },
  };
}
