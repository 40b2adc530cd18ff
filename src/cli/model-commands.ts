/**
 * The subcommands models declare (Model.commands): `simrun <model> <command>` for any model, a
 * built-in name or a model file; and `simrun <command>` for a built-in model's command when no
 * simrun command and no other built-in model has that name (e.g. tax's `generate`, `compare`).
 * A built-in model that declares commands keeps them in its folder's commands.ts, so finding the
 * owner of a command (or that nobody owns it) loads only those models, never e.g. thumbnail's sharp.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { CommandTools, ModelCommand } from '../api/extensions.js';
import type { Model } from '../api/model.js';
import { usageError } from '../errors.js';
import { noteModelCommand } from '../system-errors.js';
import { builtinModelNames, builtinModelsDir, loadModel, looksLikePath, resolveModelRef } from '../worker/model-loader.js';
import { intArg } from './options.js';
import { OUTPUT_FORMATS, type OutputFormat } from './output-formats.js';

/**
 * What the tools read and print with (the store and the table writers), loaded before a model
 * command's action runs: listing or defining the commands (`simrun --help`) does not pay for it.
 */
interface CommandIo {
  results: typeof import('../primary/store/results-reader.js');
  output: typeof import('./output.js');
}
let io: CommandIo | null = null;

async function loadCommandIo(): Promise<void> {
  const [results, output] = await Promise.all([import('../primary/store/results-reader.js'), import('./output.js')]);
  io ??= { results, output };
}

function loadedIo(): CommandIo {
  if (!io) throw new Error('a command tool was used before its command ran (in define?)');
  return io;
}

export const commandTools: CommandTools = {
  openResults: (file) => loadedIo().results.openResults(file),
  openComparison: (...args) => loadedIo().results.openComparison(...args),
  printTable(t, format) {
    if (!(OUTPUT_FORMATS as readonly string[]).includes(format))
      throw usageError(`format ${format}: use one of ${OUTPUT_FORMATS.join(', ')}`);
    loadedIo().output.writeRows(t.columns, t.rows, format as OutputFormat);
  },
  formats: OUTPUT_FORMATS,
  usageError,
  intArg,
};

function addCommand(parent: Command, c: ModelCommand, model: string): void {
  const cmd = parent.command(c.name).summary(c.summary);
  try {
    c.define(cmd, commandTools);
  } catch (err) {
    throw usageError(`model ${model}: its command ${c.name} cannot be set up: ${(err as Error).message}`, err);
  }
  cmd.exitOverride();
  cmd.commands.forEach((sub) => sub.exitOverride());
  // Whatever its action throws is then reported as this model's command failing, in one line.
  cmd.hook('preAction', async () => {
    noteModelCommand(model, c.name);
    await loadCommandIo();
  });
}

/** `simrun <ref> ...`: the group of one model's commands. */
function addModelGroup(program: Command, ref: string, model: Model): void {
  const commands = model.commands ?? [];
  const group = program
    .command(ref)
    .summary(`commands of model ${model.name}: ${commands.map((c) => c.name).join(', ')}`)
    .exitOverride();
  for (const c of commands) addCommand(group, c, model.name);
}

/** Is `arg` meant as a model (a built-in name or a model file)? */
function isModelRef(arg: string): boolean {
  return looksLikePath(arg) || builtinModelNames().includes(arg);
}

/** The built-in models that declare commands: those with a commands module (see the top of this file). */
export function builtinModelsWithCommands(): string[] {
  return builtinModelNames().filter((name) => existsSync(path.join(builtinModelsDir, name, 'commands.js')));
}

/**
 * Registers what `invoked` (the first argument) needs: one model's command group when it names a
 * model, else every built-in model's group and the unclaimed names at top level (help, or an
 * unknown command that may be a built-in model's).
 */
export async function registerModelCommands(program: Command, invoked: string | undefined, core: ReadonlySet<string>): Promise<void> {
  if (invoked !== undefined && isModelRef(invoked)) {
    const model = await loadModel(resolveModelRef(invoked));
    if (!model.commands?.length)
      throw usageError(`model ${model.name} (${invoked}) declares no commands; run it with: simrun run ${invoked} ...`);
    addModelGroup(program, invoked, model);
    return;
  }
  const models: Model[] = [];
  for (const name of builtinModelsWithCommands()) {
    // A built-in model that cannot load (e.g. sharp missing) must not take the other commands with it.
    const m = await loadModel(name).catch(() => null);
    if (m?.commands?.length) models.push(m);
  }
  const owners = new Map<string, number>();
  for (const c of models.flatMap((m) => m.commands ?? [])) owners.set(c.name, (owners.get(c.name) ?? 0) + 1);
  for (const m of models) {
    addModelGroup(program, m.name, m);
    for (const c of m.commands ?? []) if (owners.get(c.name) === 1 && !core.has(c.name)) addCommand(program, c, m.name);
  }
}
