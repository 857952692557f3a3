/** Inline SVG charts, drawn at render time: no chart library, nothing fetched when the page is viewed. */
import { escapeHtml, formatCount, shorten } from './escape.js';

export interface Bar {
  label: string;
  value: number;
  color: string;
  /** Said in the bar's tooltip after the value (`MIT, permissive`). */
  detail?: string;
}

const WIDTH = 640;
const LABEL_WIDTH = 220;
const VALUE_WIDTH = 64;
const ROW = 28;
const BAR = 18;
const PAD = 6;
const LABEL_CHARS = 30;

/**
 * A horizontal bar chart as an accessible image: its title and description are its text alternative (the
 * same figures are in a table beside it), each bar has a tooltip, and every bar is labelled with its value.
 */
export function barChart(id: string, title: string, description: string, bars: Bar[]): string {
  const height = PAD * 2 + Math.max(bars.length, 1) * ROW;
  const plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const rows = bars.map((bar, i) => {
    const y = PAD + i * ROW;
    const width = bar.value === 0 ? 0 : Math.max(2, Math.round((bar.value / max) * plot));
    const middle = y + ROW / 2;
    const tooltip = `${bar.label}: ${formatCount(bar.value)}${bar.detail ? ` (${bar.detail})` : ''}`;
    return (
      `<g><title>${escapeHtml(tooltip)}</title>` +
      `<text x="${LABEL_WIDTH - 8}" y="${middle}" text-anchor="end" dominant-baseline="central">` +
      `${escapeHtml(shorten(bar.label, LABEL_CHARS))}</text>` +
      `<rect x="${LABEL_WIDTH}" y="${y + (ROW - BAR) / 2}" width="${width}" height="${BAR}" rx="2" fill="${bar.color}"/>` +
      `<text x="${LABEL_WIDTH + width + 6}" y="${middle}" dominant-baseline="central">${formatCount(bar.value)}</text></g>`
    );
  });
  return (
    `<svg class="chart" id="${id}" role="img" aria-labelledby="${id}-title ${id}-desc" viewBox="0 0 ${WIDTH} ${height}" ` +
    `xmlns="http://www.w3.org/2000/svg"><title id="${id}-title">${escapeHtml(title)}</title>` +
    `<desc id="${id}-desc">${escapeHtml(description)}</desc>` +
    `<line x1="${LABEL_WIDTH}" y1="0" x2="${LABEL_WIDTH}" y2="${height}" stroke="#8c959f"/>` +
    `${rows.join('')}</svg>`
  );
}
