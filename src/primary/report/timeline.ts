/**
 * The trace's timeline as inline SVG (same frame as the other charts): one lane per worker,
 * chunks as bars coloured by outcome, worker restarts as red marks, later sessions as dashed
 * lines; time between sessions is cut to a small gap. A large run is aggregated instead of
 * drawn bar by bar: lanes grouped into at most MAX_ROWS rows, time into COLUMNS cells, each
 * cell coloured by its outcome (a crash or timeout in it wins over committed work) and shaded by how busy it was, so
 * 100,000 chunks on 128 workers are a few thousand rectangles.
 */
import { formatDuration } from '../../util/duration.js';
import type { SegmentKind, TimelineData } from '../trace/timeline-data.js';
import { DEFAULT_W, frame, H, M } from './charts.js';
import { html, type Html } from './html.js';

const MAX_ROWS = 32;
const COLUMNS = 240;
/** Drawn bar by bar up to this many bars (and MAX_ROWS lanes). */
const MAX_BARS = 3000;
const GAP = 10;
const TOP = M.top + 14;
const COLOUR: Record<SegmentKind, string> = { committed: '#4472c4', crash: '#cf222e', timeout: '#d4a017' };
const NAME: Record<SegmentKind, string> = { committed: 'committed', crash: 'worker crashed', timeout: 'timed out' };

const STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];
/** A tick step in seconds of at least `want`: whole seconds, minutes or hours. */
const tickStep = (want: number) => STEPS.find((s) => s >= want) ?? Math.ceil(want / 86400) * 86400;

/** Time to x, with the gaps between sessions cut to GAP px. */
function timeAxis(active: [number, number][], W: number) {
  const left = M.left;
  const width = W - M.left - M.right - GAP * (active.length - 1);
  const total = active.reduce((s, [a, b]) => s + (b - a), 0) || 1;
  const starts: number[] = [];
  let x = left;
  for (const [a, b] of active) {
    starts.push(x);
    x += ((b - a) / total) * width + GAP;
  }
  const at = (t: number) => {
    let k = active.findIndex(([, b]) => t <= b);
    if (k < 0) k = active.length - 1;
    const [a, b] = active[k]!;
    return starts[k]! + ((Math.min(Math.max(t, a), b) - a) / total) * width;
  };
  const t0 = active[0]![0];
  const ticks = active.flatMap(([a, b], k) => {
    const px = ((b - a) / total) * width;
    const step = tickStep((b - a) / 1000 / Math.max(1, Math.floor(px / 110)));
    const out: { x: number; label: string }[] = [];
    for (let t = Math.ceil((a - t0) / 1000 / step) * step; t0 + t * 1000 <= b; t += step) {
      out.push({ x: starts[k]! + ((t0 + t * 1000 - a) / total) * width, label: formatDuration(t) });
    }
    return out;
  });
  return { at, ticks, gaps: starts.slice(1).map((s) => s - GAP / 2) };
}

export function timelineChart(d: TimelineData, title: string, W = DEFAULT_W): Html {
  if (!d.active.length || !d.lanes.length) return html`<p class="note">${title}: no trace.</p>`;
  const group = Math.ceil(d.lanes.length / MAX_ROWS);
  const rows = Math.ceil(d.lanes.length / group);
  const rowH = (H - M.bottom - TOP) / rows;
  const axis = timeAxis(d.active, W);
  const rowName = (r: number) => {
    const first = d.lanes[r * group]!;
    return group === 1 ? first : `${first} +${Math.min(group, d.lanes.length - r * group) - 1}`;
  };
  const drawBars = group === 1 && d.segments.length <= MAX_BARS;
  const bars = drawBars ? barsOf(d, axis.at, rowH) : cellsOf(d, axis.at, group, rows, rowH, W);
  const every = Math.ceil(rows / 16);
  const body = html`${Array.from({ length: rows }, (_, r) =>
    r % every
      ? ''
      : html`<text x="${M.left - 6}" y="${TOP + (r + 0.5) * rowH + 4}" text-anchor="end" style="font-size:${rowH < 12 ? 9 : 11}px">${rowName(r).replace('worker ', 'w')}</text>`,
  )}
${axis.ticks.map((t) => html`<line x1="${t.x}" x2="${t.x}" y1="${TOP}" y2="${H - M.bottom + 4}" stroke="#e3e6eb"/><text x="${t.x}" y="${H - M.bottom + 16}" text-anchor="${t.x > W - M.right - 24 ? 'end' : 'middle'}">${t.label}</text>`)}
${bars}
${axis.gaps.map((x) => html`<rect class="gap" x="${x - GAP / 2 + 2}" y="${TOP}" width="${GAP - 4}" height="${H - M.bottom - TOP}" fill="#f0f2f5"><title>time between sessions left out</title></rect>`)}
${d.sessionStarts.map((s) => {
  const x = axis.at(s.at);
  return html`<line class="session" x1="${x}" x2="${x}" y1="${TOP - 4}" y2="${H - M.bottom}" stroke="#5b6475" stroke-dasharray="3 3"><title>${s.label} starts</title></line>`;
})}
${d.restarts.map((r) => {
  const x = axis.at(r.at);
  const y = TOP + (Math.floor(r.lane / group) + 0.5) * rowH;
  return html`<path class="restart" d="M${x - 4} ${y - 5} L${x + 4} ${y - 5} L${x} ${y + 2} Z" fill="#cf222e" stroke="#fff" stroke-width="0.5"><title>${r.label}</title></path>`;
})}
${legend(W)}`;
  return frame(W, title, 'time since the run started (gaps between sessions cut)', '', body);
}

function legend(W: number): Html {
  const items: [string, string][] = [...(Object.keys(COLOUR) as SegmentKind[]).map((k): [string, string] => [COLOUR[k], NAME[k]])];
  let x = W - M.right;
  const parts: Html[] = [];
  for (const [colour, name] of [...items, ['#cf222e', 'restart (▼)'] as [string, string]].reverse()) {
    x -= name.length * 6 + 18;
    parts.push(
      html`<rect x="${x}" y="${M.top - 2}" width="9" height="9" fill="${colour}"/><text x="${x + 12}" y="${M.top + 6}" style="font-size:10px">${name}</text>`,
    );
  }
  return html`${parts}`;
}

function barsOf(d: TimelineData, at: (t: number) => number, rowH: number): Html {
  return html`${d.segments.map((s) => {
    const x = at(s.from);
    const w = Math.max(1, at(s.to) - x);
    return html`<rect class="seg ${s.kind}" x="${x}" y="${TOP + s.lane * rowH + 1}" width="${w}" height="${Math.max(1, rowH - 2)}" fill="${COLOUR[s.kind]}"><title>${s.label}</title></rect>`;
  })}`;
}

/** Aggregated: per row and column, the time of each outcome; one rectangle per run of equal cells. */
function cellsOf(d: TimelineData, at: (t: number) => number, group: number, rows: number, rowH: number, W: number): Html {
  const width = W - M.left - M.right;
  const cw = width / COLUMNS;
  const kinds = Object.keys(COLOUR) as SegmentKind[];
  const cover = new Float64Array(rows * COLUMNS * kinds.length);
  for (const s of d.segments) {
    const r = Math.floor(s.lane / group);
    const x0 = at(s.from) - M.left;
    const x1 = Math.max(x0 + 0.01, at(s.to) - M.left);
    const k = kinds.indexOf(s.kind);
    for (let c = Math.max(0, Math.floor(x0 / cw)); c < COLUMNS && c * cw < x1; c++) {
      cover[(r * COLUMNS + c) * kinds.length + k]! += Math.min(x1, (c + 1) * cw) - Math.max(x0, c * cw);
    }
  }
  const out: Html[] = [];
  for (let r = 0; r < rows; r++) {
    const lanes = Math.min(group, d.lanes.length - r * group);
    let run: { c0: number; c1: number; kind: SegmentKind; level: number } | null = null;
    const flush = () => {
      if (!run) return;
      const busy = `${Math.round(run.level * 25)}%`;
      out.push(
        html`<rect class="seg ${run.kind}" x="${M.left + run.c0 * cw}" y="${TOP + r * rowH + 0.5}" width="${(run.c1 - run.c0) * cw}" height="${Math.max(1, rowH - 1)}" fill="${COLOUR[run.kind]}" fill-opacity="${run.level / 4}"><title>lanes ${r * group + 1}-${r * group + lanes}: ${run.kind === 'committed' ? 'committed' : `${NAME[run.kind]} in this time`}, about ${busy} busy</title></rect>`,
      );
      run = null;
    };
    for (let c = 0; c < COLUMNS; c++) {
      const base = (r * COLUMNS + c) * kinds.length;
      let best = 0;
      let total = 0;
      for (let k = 0; k < kinds.length; k++) {
        total += cover[base + k]!;
        // A crash or timeout is rare and what one looks for: it colours its cell, however short.
        if (cover[base + k]! > 0 && (k > 0 || cover[base + k]! > cover[base + best]!)) best = k;
      }
      const level = Math.min(4, Math.ceil((4 * total) / (cw * lanes) - 1e-9));
      if (level === 0) {
        flush();
        continue;
      }
      const kind = kinds[best]!;
      if (run && run.kind === kind && run.level === level) run.c1 = c + 1;
      else {
        flush();
        run = { c0: c, c1: c + 1, kind, level };
      }
    }
    flush();
  }
  return html`${out}`;
}
