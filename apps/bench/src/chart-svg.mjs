// Renders benchmark results as one SVG: a row of panels, each a horizontal bar chart of one figure
// (req/s, p99, requests lost) across the servers, with the run's date and machine underneath. Pure:
// numbers in, text out, so that the chart is regenerated from a recorded run and tested alone.

const PANEL_WIDTH = 300;
const BAR_HEIGHT = 22;
const BAR_GAP = 10;
const LABEL_WIDTH = 110;
const VALUE_ROOM = 70;
const MARGIN = 16;
const TITLE_HEIGHT = 54;
const PANEL_TITLE_HEIGHT = 40;
const FOOTER_LINE = 16;
const COLORS = { gu: '#2f6fde', other: '#9aa5b1', missing: '#d9dee3' };

/** Text for an SVG text node or attribute: the five XML specials escaped. */
export function escapeXml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]);
}

/** A value as the chart prints it: thousands grouped, at most `digits` decimals, `n/a` for a missing one. */
export function formatValue(value, digits = 0) {
  if (value === null || value === undefined || Number.isNaN(value)) return 'n/a';
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

function text(x, y, content, attributes = '') {
  return `<text x="${x}" y="${y}" ${attributes}>${escapeXml(content)}</text>`;
}

function panelHeight(bars) {
  return PANEL_TITLE_HEIGHT + bars.length * (BAR_HEIGHT + BAR_GAP);
}

/**
 * One panel: `{ title, unit, better: 'higher' | 'lower', digits, bars: [{ label, value, highlight }] }`.
 * Bars scale to the largest value of the panel; a bar whose value is missing (null) is drawn empty
 * and labelled n/a, so a server that could not run is visible rather than silently dropped.
 */
function renderPanel(panel, left, top) {
  const values = panel.bars.map((bar) => bar.value).filter((value) => typeof value === 'number' && !Number.isNaN(value));
  const largest = Math.max(...values, 0);
  const room = PANEL_WIDTH - LABEL_WIDTH - VALUE_ROOM;
  const hint = panel.better === 'lower' ? 'lower is better' : 'higher is better';
  const parts = [
    text(left, top + 16, panel.title, 'font-weight="bold" font-size="14"'),
    text(left, top + 32, `${panel.unit}, ${hint}`, 'font-size="11" fill="#5f6b7a"'),
  ];
  panel.bars.forEach((bar, index) => {
    const y = top + PANEL_TITLE_HEIGHT + index * (BAR_HEIGHT + BAR_GAP);
    const missing = typeof bar.value !== 'number' || Number.isNaN(bar.value);
    const width = missing ? room : largest > 0 ? Math.max(1, (room * bar.value) / largest) : 1;
    const fill = missing ? COLORS.missing : bar.highlight ? COLORS.gu : COLORS.other;
    parts.push(
      text(left, y + 15, bar.label, 'font-size="12"'),
      `<rect x="${left + LABEL_WIDTH}" y="${y}" width="${width.toFixed(1)}" height="${BAR_HEIGHT}" rx="3" fill="${fill}"/>`,
      text(left + LABEL_WIDTH + (missing ? 6 : width + 6), y + 15, formatValue(bar.value, panel.digits ?? 0), 'font-size="12"'),
    );
  });
  return parts.join('\n');
}

/**
 * The whole chart: `{ title, subtitle, panels, footer: [lines] }` (see renderPanel for a panel).
 * Returns a standalone SVG document.
 */
export function renderChart({ title, subtitle = '', panels, footer = [] }) {
  const tallest = Math.max(...panels.map((panel) => panelHeight(panel.bars)));
  const width = MARGIN * 2 + panels.length * PANEL_WIDTH + (panels.length - 1) * MARGIN;
  const footerTop = TITLE_HEIGHT + tallest + MARGIN;
  const height = footerTop + footer.length * FOOTER_LINE + MARGIN;
  const body = [
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    text(MARGIN, 24, title, 'font-weight="bold" font-size="17"'),
    text(MARGIN, 42, subtitle, 'font-size="12" fill="#5f6b7a"'),
    ...panels.map((panel, index) => renderPanel(panel, MARGIN + index * (PANEL_WIDTH + MARGIN), TITLE_HEIGHT)),
    ...footer.map((line, index) => text(MARGIN, footerTop + (index + 1) * FOOTER_LINE - 4, line, 'font-size="11" fill="#5f6b7a"')),
  ];
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif">`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}
