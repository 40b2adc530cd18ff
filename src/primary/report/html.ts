/**
 * HTML building blocks for the report: an `html` tagged template that escapes every
 * interpolated value (html-escaper) unless it is already-built Html, tables, and the page shell
 * (inline CSS, no scripts, nothing fetched: the file opens offline).
 */
import { formatLocale } from 'd3-format';
import { escape } from 'html-escaper';

export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

type Part = Html | string | number | null | undefined | boolean | Part[];

function render(v: Part): string {
  if (v instanceof Html) return v.text;
  if (Array.isArray(v)) return v.map(render).join('');
  if (v === null || v === undefined || v === false) return '';
  return escape(String(v));
}

/** `html\`<td>${value}</td>\``: values are escaped, nested Html and arrays of Html are not. */
export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0]!;
  values.forEach((v, i) => (out += render(v) + strings[i + 1]!));
  return new Html(out);
}

/** ASCII minus (d3's default is U+2212), so numbers copy and search as typed. */
const { format } = formatLocale({ decimal: '.', thousands: ',', grouping: [3], currency: ['$', ''], minus: '-' });
const grouped = format(',');
const decimals = format(',.4~f');
const small = format('.4~g');

/** Numbers as shown in the report: thousands separators, at most 4 decimals (the tables' own rounding). */
export function fmtNumber(v: number): string {
  if (Number.isInteger(v)) return grouped(v);
  if (v !== 0 && Math.abs(v) < 0.001) return small(v);
  return decimals(v);
}

export function fmtCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return fmtNumber(v);
  if (typeof v === 'bigint') return grouped(Number(v));
  return String(v);
}

/** A column name that may wrap after each `_` (a <wbr>), so a wide table's header takes two lines instead of the page's width. */
function breakable(name: string): Html {
  return html`${name.split('_').map((part, i) => (i ? html`_<wbr>${part}` : part))}`;
}

export function table(columns: string[], rows: unknown[][], opts: { caption?: string; className?: string } = {}): Html {
  return html`<table class="${opts.className ?? ''}">${opts.caption ? html`<caption>${opts.caption}</caption>` : ''}
<thead><tr>${columns.map((c) => html`<th>${breakable(c)}</th>`)}</tr></thead>
<tbody>${rows.map((r) => html`<tr>${r.map((v) => html`<td class="${typeof v === 'number' ? 'num' : ''}">${fmtCell(v)}</td>`)}</tr>\n`)}</tbody></table>`;
}

/** Two-column key/value table (provenance). */
export function keyValues(pairs: [string, unknown][]): Html {
  return html`<table class="kv"><tbody>${pairs.map(([k, v]) => html`<tr><th>${k}</th><td>${v instanceof Html ? v : typeof v === 'object' && v !== null ? html`<code>${JSON.stringify(v)}</code>` : fmtCell(v)}</td></tr>\n`)}</tbody></table>`;
}

/** A JSON value folded away (HTML <details>, no script): long parameter sets. */
export function foldedJson(v: unknown, label: string): Html {
  return html`<details><summary>${label}</summary><pre>${JSON.stringify(v, null, 2)}</pre></details>`;
}

export function section(title: string, ...body: Part[]): Html {
  return html`<section><h2>${title}</h2>${body}</section>\n`;
}

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2330;margin:0;background:#f4f5f7}
main{max-width:1600px;margin:0 auto;padding:24px 32px 48px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:0 0 10px;border-bottom:1px solid #dde1e7;padding-bottom:4px}
.sub{color:#5b6475;margin:0 0 18px}
section{background:#fff;border:1px solid #dde1e7;border-radius:6px;padding:14px 18px;margin:0 0 16px;overflow-x:auto}
table{border-collapse:collapse;font-size:12.5px;margin:4px 0 8px}
th,td{padding:3px 8px;border-bottom:1px solid #eceef2;text-align:left;white-space:nowrap}
thead th{background:#f0f2f5;font-weight:600;white-space:normal;vertical-align:bottom}
td.num{text-align:right;font-variant-numeric:tabular-nums}
caption{text-align:left;font-weight:600;padding:4px 0}
table.kv th{color:#5b6475;font-weight:500;width:170px;vertical-align:top}table.kv td{white-space:normal;overflow-wrap:anywhere}
pre{margin:0;font-size:12px;white-space:pre-wrap}
.status-done{color:#1a7f37;font-weight:600}.status-running{color:#9a6700;font-weight:600}
.status-failed,.status-interrupted{color:#cf222e;font-weight:600}
.note{color:#5b6475;font-size:12.5px}
.grid{display:flex;flex-wrap:wrap;gap:16px}.grid>section{flex:1 1 420px;min-width:0}
td code{font-size:12px;white-space:pre-wrap;word-break:break-all}summary{cursor:pointer;color:#4472c4}
svg text{font:11px system-ui,sans-serif;fill:#1d2330}
.chart svg{display:block;width:100%;height:auto}.chart-mid,.chart-narrow{display:none}
@media (max-width:1000px){.chart-wide{display:none}.chart-mid{display:block}}
@media (max-width:600px){main{padding:16px 8px 32px}section{padding:10px 8px}.chart-mid{display:none}.chart-narrow{display:block}}
`;

export function page(title: string, subtitle: string, body: Part[]): string {
  return (
    '<!doctype html>\n' +
    html`<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title><style>${new Html(CSS)}</style></head>
<body><main><h1>${title}</h1><p class="sub">${subtitle}</p>
${body}
</main></body></html>
`.text
  );
}
