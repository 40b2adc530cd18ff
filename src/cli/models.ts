import type { Command } from 'commander';
import { builtinModelNames, loadModel } from '../worker/model-loader.js';

export function registerModels(program: Command): void {
  program
    .command('models')
    .option('--json', 'machine-readable output (always with the full params)', false)
    .option('--full-params', 'print every parameter with its default value (default: a short list of the parameter names)', false)
    .addHelpText(
      'after',
      "\nExamples:\n  simrun models\n  simrun models --full-params\n  simrun models --json | jq '.[] | {name, version}'\n",
    )
    .action(async (f: { json: boolean; fullParams: boolean }) => {
      const models = await Promise.all(builtinModelNames().map((n) => loadModel(n)));
      if (f.json) {
        const out = models.map((m) => ({
          name: m.name,
          version: m.version,
          description: m.description ?? '',
          columns: m.columns,
          params: m.params ?? {},
          commands: (m.commands ?? []).map((c) => ({ name: c.name, summary: c.summary })),
          views: Object.keys(m.views ?? {}),
        }));
        process.stdout.write(JSON.stringify(out, null, 2) + '\n');
        return;
      }
      for (const m of models) {
        const lines = [`${m.name} ${m.version}${m.description ? `: ${m.description}` : ''}`];
        lines.push(
          `  columns: ${Object.entries(m.columns)
            .map(([c, t]) => `${c} ${t}`)
            .join(', ')}`,
        );
        lines.push(`  params:  ${paramsSummary(m.params ?? {}, f.fullParams)}`);
        if (m.views) lines.push(`  views:   ${Object.keys(m.views).join(', ')}`);
        for (const c of m.commands ?? []) lines.push(`  command: simrun ${m.name} ${c.name}: ${c.summary}`);
        process.stdout.write(lines.join('\n') + '\n\n');
      }
    });
}

/** Short param sets in full; a long one (tax's whole policy) as its top-level names. */
const SHORT_PARAMS = 120;

function paramsSummary(params: object, full: boolean): string {
  const json = JSON.stringify(params);
  if (full || json.length <= SHORT_PARAMS) return json;
  return `${Object.keys(params).join(', ')} (their defaults: simrun models --full-params)`;
}
