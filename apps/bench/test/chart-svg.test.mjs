import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { escapeXml, formatValue, renderChart } from '../src/chart-svg.mjs';
import { chartOf } from '../src/chart.mjs';

const recorded = {
  date: '2026-12-02',
  machine: { cpus: 2, cpuModel: 'AMD EPYC', memoryGiB: 24, kernel: 'Linux 6.18', node: 'v24.21.0', loadAverage: '0.50 0.40' },
  options: { rounds: 4, duration: 5, connections: 50, reloadDuration: 10 },
  throughput: [
    { server: 'node:http', requestsPerSecond: 10000, p99Ms: 3.2, failed: 0 },
    { server: 'gu -w 2', requestsPerSecond: 15000, p99Ms: 2.5, failed: 0 },
  ],
  reloads: [
    { server: 'gu -w 2', sent: 20000, failed: 0 },
    { server: 'node:cluster ×2', sent: null, failed: null },
    { server: 'PM2 -i 2', sent: 19000, failed: 76 },
  ],
};

/** The bars of a rendered chart, by panel order: [label, width, printed value]. */
function barsOf(svg) {
  const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((match) => match[1]);
  const widths = [...svg.matchAll(/<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)" height="22"/g)].map((match) => Number(match[1]));
  return { texts, widths };
}

describe('the benchmark chart', () => {
  it('is a well-formed SVG document', () => {
    const svg = chartOf(recorded);
    expect(XMLValidator.validate(svg)).toBe(true);
    const root = new XMLParser({ ignoreAttributes: false }).parse(svg).svg;
    expect(root['@_xmlns']).toBe('http://www.w3.org/2000/svg');
    expect(Number(root['@_width'])).toBeGreaterThan(900);
  });

  it('scales each panel to its largest value and prints every figure', () => {
    const { texts, widths } = barsOf(chartOf(recorded));
    // Throughput: 10,000 and 15,000 req/s; the larger bar is the full width, the other two thirds of it.
    expect(widths[1]).toBeCloseTo((widths[0] ?? 0) * 1.5, 0);
    expect(texts).toEqual(expect.arrayContaining(['10,000', '15,000', '3.2', '2.5', '76', '0']));
  });

  it('draws a missing figure as an empty bar labelled n/a instead of leaving the server out', () => {
    const { texts } = barsOf(chartOf(recorded));
    expect(texts).toContain('node:cluster ×2');
    expect(texts).toContain('n/a');
  });

  it('records the date and the machine under the chart', () => {
    const svg = chartOf(recorded);
    expect(svg).toContain('Recorded 2026-12-02');
    expect(svg).toContain('2 × AMD EPYC, 24 GiB, Linux 6.18, Node v24.21.0');
  });

  it('escapes what it prints', () => {
    expect(escapeXml('<a & "b">')).toBe('&lt;a &amp; &quot;b&quot;&gt;');
    const svg = renderChart({ title: 'x < y & z', panels: [{ title: 't', unit: 'u', bars: [{ label: '<gu>', value: 1 }] }] });
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg).toContain('&lt;gu&gt;');
    expect(formatValue(Number.NaN)).toBe('n/a');
    expect(formatValue(1234.567, 2)).toBe('1,234.57');
  });
});

describe('the recorded chart in docs/bench', () => {
  it('is what chartOf draws from the recorded results.json (regenerated together)', async () => {
    const { readFileSync } = await import('node:fs');
    const dir = new URL('../../../docs/bench/', import.meta.url);
    const results = JSON.parse(readFileSync(new URL('results.json', dir), 'utf8'));
    expect(readFileSync(new URL('chart.svg', dir), 'utf8')).toBe(chartOf(results));
    expect(results.throughput.map((row) => row.server)).toEqual(expect.arrayContaining(['node:http', 'node:cluster ×2', 'gu -w 2']));
  });
});
