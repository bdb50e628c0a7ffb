import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { IdTable } from '../src/id-table.js';
import { WaitingLine } from '../src/main/waiting-line.js';

/** The share of young-generation allocations that survived scavenges, from --trace-gc-nvp lines. */
function survivalOf(kind: string): number {
  const out = execFileSync(process.execPath, ['--trace-gc-nvp', join(import.meta.dirname, 'fixtures', 'table-churn.mjs'), kind], { encoding: 'utf8' });
  let allocated = 0;
  let survived = 0;
  for (const line of out.split('\n')) {
    if (!line.includes(' gc=s ')) continue;
    allocated += Number(/ allocated=(\d+)/.exec(line)?.[1] ?? 0);
    survived += Number(/ new_space_survived=(\d+)/.exec(line)?.[1] ?? 0);
  }
  expect(allocated).toBeGreaterThan(0);
  return survived / allocated;
}

describe('@gu/worker-threads: the tables of live requests', () => {
  it('IdTable gets, counts, deletes and walks entries, deleting while walking', () => {
    const table = new IdTable<string>();
    for (const id of [3, 1, 2]) table.set(id, `r${id}`);
    table.set(2, 'r2 again');
    expect(table.size).toBe(3);
    expect(table.get(2)).toBe('r2 again');
    expect(table.get(4)).toBeUndefined();
    expect(table.delete(9)).toBe(false);
    const walked: string[] = [];
    for (const value of table.values()) {
      walked.push(value);
      table.delete(1);
      table.delete(3);
    }
    expect(walked).toEqual(['r1', 'r2 again']);
    expect(table.size).toBe(1);
    expect([...table.values()]).toEqual(['r2 again']);
  });

  it('IdTable keeps ids that share a slot (1024 apart) apart', () => {
    const table = new IdTable<string>();
    const ids = [5, 5 + 1024, 5 + 2048, 6];
    for (const id of ids) table.set(id, `r${id}`);
    expect(ids.map((id) => table.get(id))).toEqual(['r5', 'r1029', 'r2053', 'r6']);
    expect(table.size).toBe(4);
    expect(table.delete(5)).toBe(true);
    expect(table.get(5)).toBeUndefined();
    expect(table.get(1029)).toBe('r1029');
    table.set(1029, 'r1029 again');
    expect([...table.values()].sort()).toEqual(['r1029 again', 'r2053', 'r6']);
    for (const id of [1029, 2053, 6]) expect(table.delete(id)).toBe(true);
    expect(table.size).toBe(0);
    expect([...table.values()]).toEqual([]);
  });

  it('WaitingLine serves first come first served and skips those that left the line', () => {
    const line = new WaitingLine<{ name: string; waiting: boolean }>();
    const [a, b, c] = ['a', 'b', 'c'].map((name) => ({ name, waiting: false }));
    for (const waiter of [a, b, c]) line.add(waiter!);
    expect(line.delete(b!)).toBe(true);
    expect(line.delete(b!)).toBe(false);
    expect(line.size).toBe(2);
    expect(line.shift()?.name).toBe('a');
    expect(line.shift()?.name).toBe('c');
    expect(line.shift()).toBeNull();
    expect(line.size).toBe(0);
  });

  it('keeps a long line bounded as it is served (the array is compacted)', () => {
    const line = new WaitingLine<{ n: number; waiting: boolean }>();
    for (let n = 0; n < 5000; n++) line.add({ n, waiting: false });
    for (let n = 0; n < 4990; n++) expect(line.shift()?.n).toBe(n);
    expect(line.size).toBe(10);
    expect((line as unknown as { line: unknown[] }).line.length).toBeLessThan(2600);
  });

  // Pins the V8 behaviour IdTable exists for: if a Node release stops chaining a promoted Map's
  // tables, this fails and the tables can go back to being Maps.
  it('a promoted Map under churn keeps its garbage through scavenges; IdTable does not', () => {
    const map = survivalOf('map');
    const idTable = survivalOf('id-table');
    expect(idTable).toBeLessThan(0.05);
    expect(map).toBeGreaterThan(4 * idTable);
  });
});
