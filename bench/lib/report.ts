/** The report: one plain-text table for stdout, the same as Markdown, and the JSON document. */
import { si } from './stats.js';
import type { CaseResult, Row, Target } from './types.js';

const HEAD = ['case', 'variant', 'items', 'median s', 'spread', 'items/s', 'detail'];

function cells(r: Row): string[] {
  const timed = r.runs.length > 0;
  return [
    r.case,
    r.variant,
    r.items ? (r.items < 1000 ? String(r.items) : si(r.items)) : '',
    timed ? r.median.toFixed(2) : '',
    timed ? `${r.spreadPct.toFixed(1)} % (n=${r.runs.length})` : '',
    Number.isFinite(r.itemsPerSec) ? si(r.itemsPerSec) : '',
    r.detail,
  ];
}

function targetCells(t: Target): string[] {
  return [t.case, t.target, t.measured, t.met === null ? '-' : t.met ? 'met' : 'MISSED'];
}

function textTable(head: string[], body: string[][]): string {
  const w = head.map((h, k) => Math.max(h.length, ...body.map((b) => b[k]!.length)));
  const line = (c: string[]) => c.map((x, k) => (k === c.length - 1 ? x : x.padEnd(w[k]!))).join('  ');
  return [line(head), w.map((n) => '-'.repeat(n)).join('  '), ...body.map(line)].join('\n');
}

function mdTable(head: string[], body: string[][]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...body.map((b) => `| ${b.map(esc).join(' | ')} |`)].join(
    '\n',
  );
}

export interface Report {
  date: string;
  machine: Record<string, unknown>;
  mode: string;
  runs: number;
  loadavg: { start: number[]; end: number[]; perCase: Record<string, number[]> };
  totalSeconds: number;
  cases: CaseResult[];
}

function header(rep: Report): string {
  const m = rep.machine;
  return (
    `${m.nproc} cores, ${m.cpu}, ${m.memGb} GB, Node ${m.node}, Python ${m.python}, Linux ${m.kernel}; ` +
    `commit ${m.commit}${m.dirty ? ' (+ uncommitted changes under src/ or models/)' : ''}; ${rep.mode}, ${rep.runs} run(s) per variant; ` +
    `load average ${rep.loadavg.start.join(' ')} at start, ${rep.loadavg.end.join(' ')} at end; ${rep.date}; suite took ${rep.totalSeconds.toFixed(0)} s`
  );
}

export function renderText(rep: Report): string {
  const rows = rep.cases.flatMap((c) => c.rows.map(cells));
  const targets = rep.cases.flatMap((c) => c.targets.map(targetCells));
  const notes = rep.cases.flatMap((c) => c.notes.map((n) => `  ${c.name}: ${n}`));
  return [header(rep), '', textTable(HEAD, rows), '', textTable(['case', 'target', 'measured', ''], targets), '', 'notes:', ...notes].join(
    '\n',
  );
}

export function renderMarkdown(rep: Report): string {
  const rows = rep.cases.flatMap((c) => c.rows.map(cells));
  const targets = rep.cases.flatMap((c) => c.targets.map(targetCells));
  const notes = rep.cases.flatMap((c) => c.notes.map((n) => `- ${c.name}: ${n}`));
  return [
    `Machine: ${header(rep)}`,
    '',
    'Times are whole-process wall times (median of the runs; spread = (max - min) / median).',
    '',
    mdTable(HEAD, rows),
    '',
    mdTable(['case', 'target', 'measured', 'status'], targets),
    '',
    ...notes,
    '',
  ].join('\n');
}
