/**
 * Shell recipes quoted from docs/cluster.md, so the tests run the text users copy and it cannot drift
 * from what is tested. A test may scale a recipe down (fewer jobs or workers on a 2-core machine)
 * only through `scaled`, which fails when the text it replaces is no longer in the recipe.
 */
import { mkdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import path from 'node:path';
import { cli, root } from '../helpers.js';

/** The first ```sh block after the README line that starts with `marker`. */
export function readmeShellBlock(marker: string): string {
  const text = readFileSync(path.join(root, 'docs/cluster.md'), 'utf8');
  const at = text.split('\n').findIndex((l) => l.startsWith(marker));
  if (at < 0) throw new Error(`docs/cluster.md has no line starting with ${JSON.stringify(marker)}`);
  const rest = text.split('\n').slice(at);
  const open = rest.findIndex((l) => l.trim() === '```sh');
  const close = rest.findIndex((l, i) => i > open && l.trim() === '```');
  if (open < 0 || close < 0) throw new Error(`docs/cluster.md: no \`\`\`sh block after ${JSON.stringify(marker)}`);
  return rest.slice(open + 1, close).join('\n') + '\n';
}

/** `recipe` with each [from, to] replaced once; throws when `from` is not in it. */
export function scaled(recipe: string, replacements: [string, string][]): string {
  let out = recipe;
  for (const [from, to] of replacements) {
    if (!out.includes(from)) throw new Error(`the docs/cluster.md recipe no longer contains ${JSON.stringify(from)}:\n${recipe}`);
    out = out.replace(from, to);
  }
  return out;
}

/** A folder holding a `simrun` command that runs the built CLI (put it first on PATH). */
export function simrunOnPath(dir: string): string {
  const bin = path.join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  const shim = path.join(bin, 'simrun');
  writeFileSync(shim, `#!/bin/sh\nexec "${process.execPath}" "${cli}" "$@"\n`);
  chmodSync(shim, 0o755);
  return bin;
}
