/** The `--against` table: each variant's median on this build and on the ref, their ratio, and the flags. */
import { compareBuilds, type Against, type Comparison } from './against.js';

function row(c: Comparison): string[] {
  const pct = (c.ratio - 1) * 100;
  const verdict = c.peer ? 'peer (noise)' : c.flagged ? 'SLOWER' : pct < 0 ? 'faster' : 'ok';
  return [
    c.key,
    c.label,
    c.mine.toFixed(3),
    c.theirs.toFixed(3),
    `${c.ratio.toFixed(3)} (${pct >= 0 ? '+' : ''}${pct.toFixed(1)} %)`,
    verdict,
  ];
}

export function againstSection(a: Against, threshold: number): { text: string; markdown: string; json: unknown; flagged: number } {
  const cs = compareBuilds(a, threshold);
  const head = ['case/variant', 'variant', 'this s', `${a.ref.name} s`, 'this / ref', ''];
  const body = cs.map(row);
  const w = head.map((h, k) => Math.max(h.length, ...body.map((b) => b[k]!.length)));
  const line = (c: string[]) =>
    c
      .map((x, k) => x.padEnd(w[k]!))
      .join('  ')
      .trimEnd();
  const peers = cs.filter((c) => c.peer).map((c) => Math.abs(c.ratio - 1) * 100);
  const noise = peers.length
    ? `peers (the same command for both builds) moved by ${Math.min(...peers).toFixed(1)}-${Math.max(...peers).toFixed(1)} %: the noise of this machine during the run`
    : 'no peer ran: no noise figure';
  const flagged = cs.filter((c) => c.flagged);
  const verdict = flagged.length
    ? `${flagged.length} variant(s) more than ${(threshold * 100).toFixed(0)} % slower than ${a.ref.name}: ${flagged.map((c) => c.key).join(', ')}`
    : `no variant more than ${(threshold * 100).toFixed(0)} % slower than ${a.ref.name}`;
  const only = [...a.notOnRef].map(([key, why]) => `${key} ran on this build only (${why})`);
  const title = `Against ${a.ref.name} (${a.sha.slice(0, 12)}): median wall time per variant, both builds interleaved`;
  const text = [title, '', line(head), w.map((n) => '-'.repeat(n)).join('  '), ...body.map(line), '', ...only, noise, verdict].join('\n');
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const markdown = [
    `### ${title}`,
    '',
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...body.map((b) => `| ${b.map(esc).join(' | ')} |`),
    '',
    ...only.map((o) => `${o}. `),
    `${noise}. ${verdict}.`,
  ].join('\n');
  return { text, markdown, json: { ref: a.ref.name, sha: a.sha, threshold, comparisons: cs }, flagged: flagged.length };
}
