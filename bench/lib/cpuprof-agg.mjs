import fs from 'node:fs';
const f = process.argv[2];
const p = JSON.parse(fs.readFileSync(f, 'utf8'));
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const dt = p.timeDeltas;
let total = 0;
const cnt = new Map();
for (let i = 0; i < p.samples.length; i++) {
  const d = dt[i] ?? 0;
  total += d;
  cnt.set(p.samples[i], (cnt.get(p.samples[i]) ?? 0) + d);
}
const agg = new Map();
for (const [id, t] of cnt) {
  const n = byId.get(id);
  const cf = n.callFrame;
  const k = `${cf.functionName || '(anon)'} ${cf.url.split('/').slice(-2).join('/')}:${cf.lineNumber}`;
  agg.set(k, (agg.get(k) ?? 0) + t);
}
console.log(f, 'total ms', (total / 1000).toFixed(0));
for (const [k, t] of [...agg].sort((a, b) => b[1] - a[1]).slice(0, +process.argv[3] || 25))
  console.log((t / 1000).toFixed(0).padStart(7), ((100 * t) / total).toFixed(1).padStart(5) + '%', k);
