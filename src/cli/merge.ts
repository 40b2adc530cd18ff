import type { Command } from 'commander';
import { mergeShards } from '../primary/store/merge.js';

export function registerMerge(program: Command, exit: (code: number) => void): void {
  program
    .command('merge')
    .description(
      'Merge the databases of `simrun run --shard i/N` into one run of --into. Refuses shards of different\n' +
        'runs (model, version, input content, params, seed, N), a shard given twice, and missing indices\n' +
        '(named by range) unless --allow-partial. One transaction per shard; merging again is a no-op, and\n' +
        'an interrupted merge continues where it stopped.',
    )
    .requiredOption('--into <file>', 'database to merge into (created if missing)')
    .argument('<shard-db...>', 'the shard databases, e.g. shard-*.db')
    .option('--allow-partial', 'merge what is there even if shards or indices are missing (run left unfinished)', false)
    .option(
      '--allow-model-change',
      'accept shards whose model code differs or has no fingerprint (a shard of an older simrun); recorded in runs.notes',
      false,
    )
    .option('-q, --quiet', 'no per-shard lines and no summary', false)
    .addHelpText('after', '\nExample:\n  simrun merge --into all.db shard-*.db\n')
    .action(async (files: string[], f: { into: string; allowPartial: boolean; allowModelChange: boolean; quiet: boolean }) => {
      exit(
        await mergeShards({
          into: f.into,
          shards: files,
          allowPartial: f.allowPartial,
          allowModelChange: f.allowModelChange,
          quiet: f.quiet,
        }),
      );
    });
}
