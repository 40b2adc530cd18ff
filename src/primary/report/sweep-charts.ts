/**
 * The charts of a sweep's HTML report (`simrun report --sweep N --html`), on the frame and axes
 * of charts.ts: a total against a swept numeric parameter (a line through the grid points), and
 * the stacked estimate of a package (each provision a bar from the running total above it to
 * its own, then the whole package from zero).
 */
import { scaleBand, scaleLinear } from 'd3-scale';
import { DEFAULT_W, format, frame, H, M, NEG, POS, yAxis } from './charts.js';
import { html, type Html } from './html.js';

const pad = (lo: number, hi: number): [number, number] => (lo === hi ? [lo - 1, hi + 1] : [lo, hi]);

export interface Point {
  x: number;
  y: number;
}

/** A line through points sorted by x, each marked and labelled with its value. */
export function lineChart(
  points: Point[],
  o: { title: string; xLabel: string; yLabel: string; valueFormat?: string },
  W = DEFAULT_W,
): Html {
  const pts = [...points].sort((a, b) => a.x - b.x);
  const x = scaleLinear()
    .domain(pad(pts[0]!.x, pts.at(-1)!.x))
    .range([M.left + 24, W - M.right - 24]);
  const y = scaleLinear()
    .domain(pad(Math.min(0, ...pts.map((p) => p.y)), Math.max(0, ...pts.map((p) => p.y))))
    .nice()
    .range([H - M.bottom, M.top]);
  const fmt = format(o.valueFormat ?? ',.0f');
  const xf = x.tickFormat(8);
  const body = html`${yAxis(W, y)}
<polyline fill="none" stroke="${POS}" stroke-width="2" points="${pts.map((p) => `${x(p.x)},${y(p.y)}`).join(' ')}"/>
${pts.map(
  (p) => html`<circle class="point" cx="${x(p.x)}" cy="${y(p.y)}" r="3.5" fill="${POS}"><title>${xf(p.x)}: ${fmt(p.y)}</title></circle>
<text x="${x(p.x)}" y="${y(p.y) - 8}" text-anchor="middle" style="font-size:10px">${fmt(p.y)}</text>`,
)}
${x.ticks(8).map((t) => html`<line x1="${x(t)}" x2="${x(t)}" y1="${H - M.bottom}" y2="${H - M.bottom + 4}" stroke="#555"/><text x="${x(t)}" y="${H - M.bottom + 16}" text-anchor="middle">${xf(t)}</text>`)}`;
  return frame(W, o.title, o.xLabel, o.yLabel, body);
}

export interface Step {
  label: string;
  increment: number;
}

/** Stacked estimate: each line floats from the sum of the lines before it; the last bar is their sum from zero. */
export function stackedBars(
  steps: Step[],
  o: { title: string; xLabel: string; yLabel: string; valueFormat?: string; total: string },
  W = DEFAULT_W,
): Html {
  let run = 0;
  const bars = steps.map((s) => {
    const from = run;
    run += s.increment;
    return { label: s.label, from, to: run, value: s.increment };
  });
  bars.push({ label: o.total, from: 0, to: run, value: run });
  const x = scaleBand()
    .domain(bars.map((b) => b.label))
    .range([M.left, W - M.right])
    .padding(0.18);
  const ends = bars.flatMap((b) => [b.from, b.to]);
  const y = scaleLinear()
    .domain(pad(Math.min(0, ...ends), Math.max(0, ...ends)))
    .nice()
    .range([H - M.bottom, M.top]);
  const fmt = format(o.valueFormat ?? ',.0f');
  const body = html`${yAxis(W, y)}
${bars.map((b, i) => {
  const top = y(Math.max(b.from, b.to));
  const h = Math.abs(y(b.from) - y(b.to));
  const cx = x(b.label)! + x.bandwidth() / 2;
  const fill = i === bars.length - 1 ? '#5b6475' : b.value < 0 ? NEG : POS;
  return html`<rect class="bar" x="${x(b.label)}" y="${top}" width="${x.bandwidth()}" height="${Math.max(h, 0.5)}" fill="${fill}"><title>${b.label}: ${fmt(b.value)}</title></rect>
<text x="${cx}" y="${top - 4}" text-anchor="middle" style="font-size:10px">${fmt(b.value)}</text>
<text x="${cx}" y="${H - M.bottom + 16}" text-anchor="middle">${b.label}</text>`;
})}`;
  return frame(W, o.title, o.xLabel, o.yLabel, body);
}
