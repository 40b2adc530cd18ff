/** Marks for charts whose axis is cut short of a few outlying values (see robust-range.ts). */
import { html, type Html } from './html.js';

/** A white zigzag across a bar at height `y`: the bar goes on past the axis. */
export function breakMark(x: number, width: number, y: number): Html {
  const pts = [0, 1, 2, 3, 4].map((k) => `${x + (k * width) / 4},${y + (k % 2 ? -3 : 3)}`).join(' ');
  return html`<polyline class="break" points="${pts}" fill="none" stroke="#fff" stroke-width="3"/>`;
}

/** A one-line note at the chart's top right saying what was cut. */
export function clipNote(right: number, text: string): Html {
  return html`<text class="clip-note" x="${right}" y="16" text-anchor="end" style="font-size:10px;fill:#5b6475">${text}</text>`;
}
