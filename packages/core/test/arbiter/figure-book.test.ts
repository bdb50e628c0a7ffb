import { describe, expect, it } from 'vitest';
import { FigureBook, exitCause } from '../../src/arbiter/figure-book.js';
import type { WorkerProcess } from '../../src/arbiter/worker-process.js';
import type { WorkerFigures } from '../../src/worker/protocol.js';

const loopDelay = { mean: 1, p99: 2, max: 3 };

/** A stand-in worker: answers `stats?` with `requests` (or never, when silent). */
function fakeWorker(pid: number, book: FigureBook, requests: number | null) {
  let exit: (value: { code: number; signal: null }) => void = () => undefined;
  const worker = {
    pid,
    exitStatus: null as { code: number; signal: null } | null,
    exited: new Promise<{ code: number; signal: null }>((resolve) => (exit = resolve)),
    departure: null,
    replaceBecause: null,
    retiredFor: null,
    stoppingFor: null as string | null,
    requests,
    askFigures(id: number) {
      if (this.requests === null) return;
      const figures: WorkerFigures = { requests: this.requests, inFlight: 1, rss: 100, loopDelay, metrics: [] };
      queueMicrotask(() => { book.record(worker as unknown as WorkerProcess, { type: 'stats', id, ...figures }); });
    },
    exit(finalRequests: number) {
      book.record(worker as unknown as WorkerProcess, { type: 'stats', id: 0, requests: finalRequests, inFlight: 0, rss: 100, loopDelay, metrics: [] });
      this.exitStatus = { code: 0, signal: null };
      exit(this.exitStatus);
    },
  };
  return worker;
}

describe('FigureBook', () => {
  it('reports a silent worker as null without failing the round, within the timeout', async () => {
    const book = new FigureBook(50);
    const talking = fakeWorker(1, book, 7);
    const silent = fakeWorker(2, book, null);
    const started = performance.now();
    const round = await book.collect([talking, silent] as unknown as WorkerProcess[]);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(round.get(1)).toMatchObject({ requests: 7, inFlight: 1 });
    expect(round.get(2)).toBeNull();
    expect(book.totals(round)).toMatchObject({ requests: 7, inFlight: 1 });
  });

  it('keeps the requests of an exited worker, from its final figures, so totals never go backwards', async () => {
    const book = new FigureBook(50);
    const first = fakeWorker(1, book, 10);
    const before = book.totals(await book.collect([first] as unknown as WorkerProcess[]));
    expect(before.requests).toBe(10);
    first.stoppingFor = 'max_requests';
    first.exit(12);
    book.recordExit(first as unknown as WorkerProcess, { kind: 'done' });
    const next = fakeWorker(2, book, 3);
    const after = book.totals(await book.collect([first, next] as unknown as WorkerProcess[]));
    expect(after.requests).toBe(15);
    expect(after.exits.max_requests).toBe(1);
  });

  it('counts a worker once when it is reaped between its answer and the totals (no jump up, then down)', async () => {
    const book = new FigureBook(50);
    const leaving = fakeWorker(1, book, 10);
    const staying = fakeWorker(2, book, 5);
    const round = await book.collect([leaving, staying] as unknown as WorkerProcess[]);
    leaving.exit(10);
    book.recordExit(leaving as unknown as WorkerProcess, { kind: 'crash' });
    expect(book.totals(round)).toMatchObject({ requests: 15, inFlight: 1 });
    // Its request metrics: once among the exited workers', not again as a live worker's.
    expect(book.metricsOf(round)).toHaveLength(2);
  });

  it('compacts the exited workers\' metrics only while those summed still lead the list (concurrent scrapes)', () => {
    const book = new FigureBook(50);
    const exitWith = (pid: number, name: string): void => {
      const worker = fakeWorker(pid, book, 1);
      book.record(worker as unknown as WorkerProcess, { type: 'stats', id: 0, requests: 1, inFlight: 0, rss: 100, loopDelay, metrics: [{ name }] as never });
      book.recordExit(worker as unknown as WorkerProcess, { kind: 'done' });
    };
    exitWith(1, 'a');
    exitWith(2, 'b');
    const empty = new Map();
    // Two scrapes read the same two exited entries; a worker exits before either compacts.
    const first = book.metricsOf(empty);
    const second = book.metricsOf(empty);
    exitWith(3, 'c');
    book.compactRetired([{ name: 'a+b' }] as never, first);
    book.compactRetired([{ name: 'a+b again' }] as never, second);
    expect(book.metricsOf(empty).map((metrics) => (metrics[0] as { name: string }).name)).toEqual(['a+b', 'c']);
  });

  it('shares one round between concurrent askers', async () => {
    const book = new FigureBook(50);
    const worker = fakeWorker(1, book, 1);
    let asked = 0;
    const ask = worker.askFigures.bind(worker);
    worker.askFigures = (id: number) => {
      asked += 1;
      ask(id);
    };
    const rounds = await Promise.all([1, 2, 3].map(() => book.collect([worker] as unknown as WorkerProcess[])));
    expect(asked).toBe(1);
    expect(rounds[0]).toBe(rounds[2]);
  });

  it('names the cause of each exit', () => {
    const none = { departure: null, replaceBecause: null, retiredFor: null, stoppingFor: null } as const;
    expect(exitCause({ ...none, departure: 'killed' }, { kind: 'crash' })).toBe('timeout');
    expect(exitCause(none, { kind: 'crash' })).toBe('crash');
    expect(exitCause({ ...none, departure: 'retired', retiredFor: 'reload' }, { kind: 'done' })).toBe('reload');
    expect(exitCause({ ...none, departure: 'retired', retiredFor: 'recycle', replaceBecause: 'max_worker_memory' }, { kind: 'done' })).toBe('memory');
    expect(exitCause({ ...none, departure: 'leaving', stoppingFor: 'max_requests' }, { kind: 'done' })).toBe('max_requests');
    expect(exitCause({ ...none, departure: 'retired', retiredFor: 'shutdown' }, { kind: 'done' })).toBe('other');
  });
});
