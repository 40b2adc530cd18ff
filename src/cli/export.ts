import { writeFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { writeAtomically } from '../util/atomic-output.js';
import { SimrunError, usageError } from '../errors.js';
import { openStore, type DB } from '../primary/store/store.js';
import { checkRowCount, inSnapshot } from '../primary/store/row-count.js';
import { databaseFiles, refuseOutputTarget, refuseStdoutTarget } from '../util/output-target.js';
import { EXPORT_FORMATS, exportParquet, exportText, type ExportFormat } from '../primary/report/export-writers.js';
import { exportSidecar } from '../primary/store/provenance.js';
import { iterateRows, runTable } from '../primary/store/run-rows.js';
import { SIMRUN_VERSION } from '../version.js';
import { intArg } from './options.js';

interface ExportFlags {
  db: string;
  run: number;
  format: ExportFormat;
  output: string;
  withProvenance: boolean;
}

export function registerExport(program: Command): void {
  program
    .command('export')
    .description(
      "Write the rows of one run (its model's results table: run_id, idx, then the model columns, in\n" +
        'idx order) to a file or stdout. Streamed: memory stays flat however many rows the run has.\n' +
        '--with-provenance also writes <output>.provenance.json: model, version, params, seed, input and\n' +
        'its fingerprint, simrun version, status and counts.',
    )
    .requiredOption('-d, --db <file>', 'SQLite database of the run')
    .requiredOption('--run <id>', 'run id (see simrun status)', intArg(1, 'run'))
    .addOption(new Option('-f, --format <fmt>', 'file format').choices(EXPORT_FORMATS).default('csv'))
    .option('-o, --output <file|->', "file to write, or '-' for stdout (not for parquet)", '-')
    .option('--with-provenance', 'also write <output>.provenance.json (needs a file --output)', false)
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  simrun export --db out/tax.db --run 1 --output tax-run1.csv --with-provenance\n' +
        '  simrun export --db demo.db --run 1 --format jsonl | head -3\n' +
        '  simrun export --db out/tax.db --run 2 --format parquet --output tax-run2.parquet\n',
    )
    .action(async (f: ExportFlags) => {
      if (f.output === '-' && f.format === 'parquet') throw usageError('parquet needs a file: add --output file.parquet');
      if (f.output === '-' && f.withProvenance)
        throw usageError('--with-provenance needs a file --output (the sidecar is written next to it)');
      const guarded = databaseFiles(f.db);
      if (f.output === '-') refuseStdoutTarget(guarded);
      else {
        refuseOutputTarget(f.output, '--output', guarded);
        if (f.withProvenance) refuseOutputTarget(`${f.output}.provenance.json`, '--with-provenance: its sidecar', guarded);
      }
      const db = openStore(f.db, { readonly: true });
      try {
        // The run record and its rows from one snapshot: their counts agree unless the file is damaged.
        await inSnapshot(db, () => exportRun(db, f));
      } finally {
        db.close();
      }
    });
}

async function exportRun(db: DB, f: ExportFlags): Promise<void> {
  const t = runTable(db, f.run);
  if (t.run.status !== 'done')
    process.stderr.write(`simrun: note: run ${t.run.id} is ${t.run.status}; exporting only its finished items\n`);
  const rows = iterateRows(db, t);
  const write = async (out: string) => {
    const n =
      f.format === 'parquet'
        ? await exportParquet(t.columns, rows, out, `simrun ${SIMRUN_VERSION}`)
        : await exportText(f.format, t.columns, rows, out);
    // Counted while streaming; on a mismatch the atomic file is never published.
    checkRowCount(f.db, t.run, n, f.output === '-' ? 'the rows written to stdout are incomplete' : `${f.output} was not written`);
    return n;
  };
  const interrupted = () => process.stderr.write(`\nsimrun: export interrupted; ${f.output} was not written (nothing partial left)\n`);
  let n: number;
  try {
    n = f.output === '-' ? await write('-') : await writeAtomically(f.output, write, interrupted);
  } catch (err) {
    if ((err as { code?: string }).code === 'EPIPE') return; // stdout closed early (e.g. | head)
    if (err instanceof SimrunError) throw err;
    if (String((err as { code?: string }).code).startsWith('SQLITE_'))
      throw usageError(
        `cannot read run ${t.run.id} from ${f.db}: ${(err as Error).message}; nothing was exported; see: simrun check --db ${f.db} --run ${t.run.id}`,
        err,
      );
    throw usageError(`cannot write ${f.output}: ${(err as Error).message}`);
  }
  if (f.output === '-') return;
  process.stderr.write(`exported ${n} rows of run ${t.run.id} (${t.table}) to ${f.output}\n`);
  if (f.withProvenance) {
    const sidecar = `${f.output}.provenance.json`;
    const meta = exportSidecar(t.run, { file: f.output, format: f.format, rows: n, columns: t.columns.map((c) => c.name) });
    writeFileSync(sidecar, JSON.stringify(meta, null, 2) + '\n');
    process.stderr.write(`provenance in ${sidecar}\n`);
  }
}
