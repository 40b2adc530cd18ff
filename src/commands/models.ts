import type { Command } from 'commander';
import { builtinModelNames, loadModel } from '../model-loader.js';

export function registerModels(program: Command): void {
  program
    .command('models')
    .summary('list the built-in models with their columns and params')
    .option('--json', 'machine-readable output', false)
    .addHelpText('after', '\nExamples:\n  simrun models\n  simrun models --json | jq \'.[] | {name, version}\'\n')
    .action(async (f: { json: boolean }) => {
      const models = await Promise.all(builtinModelNames().map((n) => loadModel(n)));
      if (f.json) {
        const out = models.map((m) => ({ name: m.name, version: m.version, description: m.description ?? '', columns: m.columns, params: m.params ?? {} }));
        process.stdout.write(JSON.stringify(out, null, 2) + '\n');
        return;
      }
      for (const m of models) {
        const lines = [`${m.name} ${m.version}${m.description ? `: ${m.description}` : ''}`];
        lines.push(`  columns: ${Object.entries(m.columns).map(([c, t]) => `${c} ${t}`).join(', ')}`);
        lines.push(`  params:  ${JSON.stringify(m.params ?? {})}`);
        process.stdout.write(lines.join('\n') + '\n\n');
      }
    });
}
