/**
 * Charts rendered to inline SVG at report time: scales and ticks from d3-scale, tick labels
 * from d3-format; the SVG elements themselves are written here (a few rects, lines and texts).
 */
import { formatLocale } from 'd3-format';
import { scaleBand, scaleLinear } from 'd3-scale';
import { html, type Html } from './html.js';

const { format } = formatLocale({ decimal: '.', thousands: ',', grouping: [3], currency: ['$', ''], minus: '-' });
const W = 720;
const H = 300;
const M = { top: 28, right: 16, bottom: 44, left: 68 };
const POS = '#4472c4';
const NEG = '#2e9e6a';

function frame(title: string, xLabel: string, yLabel: string, body: Html): Html {
  return html`<figure style="margin:0"><svg xmlns="http://www.w3.org/2000/svg" role="img" width="${W}" height="${H}" style="max-width:100%;height:auto" viewBox="0 0 ${W} ${H}">
<title>${title}</title>
<text x="${M.left}" y="16" style="font-weight:600;font-size:13px">${title}</text>
${body}
<text x="${M.left + (W - M.left - M.right) / 2}" y="${H - 6}" text-anchor="middle">${xLabel}</text>
<text transform="translate(14 ${M.top + (H - M.top - M.bottom) / 2}) rotate(-90)" text-anchor="middle">${yLabel}</text>
</svg></figure>`;
}

function yAxis(y: ReturnType<typeof scaleLinear<number, number>>): Html {
  const fmt = y.tickFormat(6, '~s');
  return html`${y.ticks(6).map(
    (t) => html`<line x1="${M.left}" x2="${W - M.right}" y1="${y(t)}" y2="${y(t)}" stroke="${t === 0 ? '#555' : '#e3e6eb'}"/>
<text x="${M.left - 6}" y="${y(t) + 4}" text-anchor="end">${fmt(t)}</text>`,
  )}`;
}

export interface Bar {
  label: string;
  value: number;
}

/** Vertical bars from zero (negative values go down, in another colour), value printed on each bar. */
export function barChart(bars: Bar[], o: { title: string; xLabel: string; yLabel: string; valueFormat?: string }): Html {
  const x = scaleBand().domain(bars.map((b) => b.label)).range([M.left, W - M.right]).padding(0.18);
  const lo = Math.min(0, ...bars.map((b) => b.value));
  const hi = Math.max(0, ...bars.map((b) => b.value));
  const y = scaleLinear().domain([lo, hi === lo ? lo + 1 : hi]).nice().range([H - M.bottom, M.top]);
  const fmt = format(o.valueFormat ?? ',.0f');
  const body = html`${yAxis(y)}
${bars.map((b) => {
  const top = y(Math.max(0, b.value));
  const h = Math.abs(y(b.value) - y(0));
  const labelY = b.value >= 0 ? top - 4 : top + h + 12;
  return html`<rect class="bar" x="${x(b.label)}" y="${top}" width="${x.bandwidth()}" height="${Math.max(h, 0.5)}" fill="${b.value < 0 ? NEG : POS}"><title>${b.label}: ${fmt(b.value)}</title></rect>
<text x="${x(b.label)! + x.bandwidth() / 2}" y="${labelY}" text-anchor="middle" style="font-size:10px">${fmt(b.value)}</text>
<text x="${x(b.label)! + x.bandwidth() / 2}" y="${H - M.bottom + 16}" text-anchor="middle">${b.label}</text>`;
})}`;
  return frame(o.title, o.xLabel, o.yLabel, body);
}

export interface Bin {
  x0: number;
  x1: number;
  count: number;
}

/** Histogram: adjacent bars over a linear x axis with nice ticks. */
export function histogram(bins: Bin[], o: { title: string; xLabel: string; yLabel?: string }): Html {
  if (!bins.length) return html`<p class="note">${o.title}: no values.</p>`;
  const x = scaleLinear().domain([bins[0]!.x0, bins.at(-1)!.x1]).range([M.left, W - M.right]);
  const y = scaleLinear().domain([0, Math.max(1, ...bins.map((b) => b.count))]).nice().range([H - M.bottom, M.top]);
  const xf = x.tickFormat(8, '~s');
  const body = html`${yAxis(y)}
${bins.map(
  (b) => html`<rect class="bar" x="${x(b.x0) + 0.5}" y="${y(b.count)}" width="${Math.max(0.5, x(b.x1) - x(b.x0) - 1)}" height="${y(0) - y(b.count)}" fill="${POS}"><title>${xf(b.x0)} to ${xf(b.x1)}: ${b.count}</title></rect>`,
)}
<line x1="${M.left}" x2="${W - M.right}" y1="${H - M.bottom}" y2="${H - M.bottom}" stroke="#555"/>
${x.ticks(8).map((t) => html`<line x1="${x(t)}" x2="${x(t)}" y1="${H - M.bottom}" y2="${H - M.bottom + 4}" stroke="#555"/><text x="${x(t)}" y="${H - M.bottom + 16}" text-anchor="middle">${xf(t)}</text>`)}`;
  return frame(o.title, o.xLabel, o.yLabel ?? 'records', body);
}
