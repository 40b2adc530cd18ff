/**
 * Charts rendered to inline SVG at report time: scales and ticks from d3-scale, tick labels
 * from d3-format; the SVG elements themselves are written here (a few rects, lines and texts).
 */
import { formatLocale } from 'd3-format';
import { scaleBand, scaleLinear } from 'd3-scale';
import { html, type Html } from './html.js';
import { breakMark, clipNote } from './chart-marks.js';
import { robustExtent } from './robust-range.js';

const { format } = formatLocale({ decimal: '.', thousands: ',', grouping: [3], currency: ['$', ''], minus: '-' });
export const W = 720;
export const H = 300;
export const M = { top: 28, right: 16, bottom: 44, left: 68 };
const POS = '#4472c4';
const NEG = '#2e9e6a';

export function frame(title: string, xLabel: string, yLabel: string, body: Html): Html {
  return html`<figure style="margin:0"><svg xmlns="http://www.w3.org/2000/svg" role="img" width="${W}" height="${H}" style="max-width:100%;min-width:${W * 0.75}px;height:auto" viewBox="0 0 ${W} ${H}">
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

/** Vertical bars from zero (negative values go down, in another colour), value printed on each bar.
 * When one or two values dwarf the rest (robustExtent), the axis stops past the others and those
 * bars are cut at its end with a break mark, their value printed inside. */
export function barChart(bars: Bar[], o: { title: string; xLabel: string; yLabel: string; valueFormat?: string }): Html {
  const x = scaleBand()
    .domain(bars.map((b) => b.label))
    .range([M.left, W - M.right])
    .padding(0.18);
  const values = bars.map((b) => b.value);
  const clip = robustExtent(values);
  let lo = Math.min(0, ...(clip ? [clip.lo] : values));
  let hi = Math.max(0, ...(clip ? [clip.hi] : values));
  if (clip) {
    // room for the cut bars to reach past the others
    const room = 0.15 * (hi - lo);
    if (values.some((v) => v < clip.lo)) lo -= room;
    if (values.some((v) => v > clip.hi)) hi += room;
  }
  const y = scaleLinear()
    .domain([lo, hi === lo ? lo + 1 : hi])
    .nice()
    .range([H - M.bottom, M.top]);
  const [d0, d1] = y.domain() as [number, number];
  const fmt = format(o.valueFormat ?? ',.0f');
  let cut = 0;
  const body = html`${yAxis(y)}
${bars.map((b) => {
  const shown = Math.min(d1, Math.max(d0, b.value));
  const clipped = shown !== b.value;
  if (clipped) cut++;
  const top = y(Math.max(0, shown));
  const h = Math.abs(y(shown) - y(0));
  const cx = x(b.label)! + x.bandwidth() / 2;
  const label = clipped
    ? html`${breakMark(x(b.label)!, x.bandwidth(), b.value > 0 ? top + 10 : top + h - 10)}
<text x="${cx}" y="${b.value > 0 ? top + 28 : top + h - 22}" text-anchor="middle" style="font-size:10px;font-weight:600;fill:#fff">${fmt(b.value)}</text>`
    : html`<text x="${cx}" y="${b.value >= 0 ? top - 4 : top + h + 12}" text-anchor="middle" style="font-size:10px">${fmt(b.value)}</text>`;
  return html`<rect class="${clipped ? 'bar clipped' : 'bar'}" x="${x(b.label)}" y="${top}" width="${x.bandwidth()}" height="${Math.max(h, 0.5)}" fill="${b.value < 0 ? NEG : POS}"><title>${b.label}: ${fmt(b.value)}${clipped ? ' (beyond the axis)' : ''}</title></rect>
${label}
<text x="${cx}" y="${H - M.bottom + 16}" text-anchor="middle">${b.label}</text>`;
})}
${cut ? clipNote(W - M.right, `axis cut: ${cut === 1 ? '1 bar goes' : `${cut} bars go`} past it (value in the bar)`) : ''}`;
  return frame(o.title, o.xLabel, o.yLabel, body);
}

export interface Bin {
  x0: number;
  x1: number;
  count: number;
  /** the values below / above the bins a histogram cuts its axis to (x0..x1 is their extent) */
  overflow?: 'below' | 'above';
}

const SLOT = 44;

/** Histogram: adjacent bars over a linear x axis with nice ticks; overflow bins (values far
 * outside the rest, see stats.histogramBins) as separate grey bars at the ends, labelled. */
export function histogram(bins: Bin[], o: { title: string; xLabel: string; yLabel?: string }): Html {
  const main = bins.filter((b) => !b.overflow);
  if (!main.length) return html`<p class="note">${o.title}: no values.</p>`;
  const below = bins.find((b) => b.overflow === 'below');
  const above = bins.find((b) => b.overflow === 'above');
  const left = M.left + (below ? SLOT : 0);
  const right = W - M.right - (above ? SLOT : 0);
  const x = scaleLinear()
    .domain([main[0]!.x0, main.at(-1)!.x1])
    .range([left, right]);
  const y = scaleLinear()
    .domain([0, Math.max(1, ...bins.map((b) => b.count))])
    .nice()
    .range([H - M.bottom, M.top]);
  // SI prefixes for large values only: 0.25, not 250m
  const xf = Math.max(...x.domain().map(Math.abs)) >= 1e4 ? x.tickFormat(8, '~s') : x.tickFormat(8);
  const vf = format(',.4~r');
  const ends = (b: Bin, x0: number, label: string) =>
    html`<rect class="bar overflow" x="${x0}" y="${y(b.count)}" width="${SLOT - 8}" height="${y(0) - y(b.count)}" fill="#9aa3b2"><title>${label} (${vf(b.x0)} to ${vf(b.x1)}): ${b.count}</title></rect>
<text x="${x0 + (SLOT - 8) / 2}" y="${y(b.count) - 4}" text-anchor="middle" style="font-size:10px">${b.count}</text>
<text x="${x0 + (SLOT - 8) / 2}" y="${H - M.bottom + 28}" text-anchor="middle">${label}</text>`;
  const body = html`${yAxis(y)}
${main.map(
  (b) =>
    html`<rect class="bar" x="${x(b.x0) + 0.5}" y="${y(b.count)}" width="${Math.max(0.5, x(b.x1) - x(b.x0) - 1)}" height="${y(0) - y(b.count)}" fill="${POS}"><title>${xf(b.x0)} to ${xf(b.x1)}: ${b.count}</title></rect>`,
)}
${below ? ends(below, M.left, `< ${vf(main[0]!.x0)}`) : ''}
${above ? ends(above, right + 8, `> ${vf(main.at(-1)!.x1)}`) : ''}
${below || above ? clipNote(W - M.right, `axis cut: ${(below?.count ?? 0) + (above?.count ?? 0)} far-out values in the grey end bars`) : ''}
<line x1="${left}" x2="${right}" y1="${H - M.bottom}" y2="${H - M.bottom}" stroke="#555"/>
${x.ticks(8).map((t) => html`<line x1="${x(t)}" x2="${x(t)}" y1="${H - M.bottom}" y2="${H - M.bottom + 4}" stroke="#555"/><text x="${x(t)}" y="${H - M.bottom + 16}" text-anchor="middle">${xf(t)}</text>`)}`;
  return frame(o.title, o.xLabel, o.yLabel ?? 'records', body);
}
