/** A user's model file loads from any folder outside the repo, `simrun` resolving to the running simrun (issue 19). */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { query, runCli, tmpDir } from '../helpers.js';

const body = `name: 'm', version: '1', columns: { x: 'integer' }, analyze: (item) => ({ x: Number(item) }), format: (r) => r`;
const esm = `import { defineModel } from 'simrun';\nexport default defineModel({ ${body} });\n`;
const cjs = `const { defineModel } = require('simrun');\nmodule.exports = defineModel({ ${body} });\n`;
const viaHelper = `import { m } from './helper.mjs';\nexport default m;\n`;
const helper = `import { defineModel } from 'simrun';\nexport const m = defineModel({ ${body} });\n`;
// Not a one-file model that esm-without-hooks.ts can rewrite: goes through the ESM hook.
const withMeta = `import { defineModel } from 'simrun';\nconst here = import.meta.url;\nexport default defineModel({ ${body}, version: here.startsWith('file:') ? '1' : 'x' });\n`;
const dynamic = `import path from 'node:path';\nconst { defineModel } = await import('simrun');\nexport default defineModel({ ${body}, description: path.sep });\n`;
const cases: [string, string, string, boolean][] = [
  ['TS, no package.json', 'model.ts', esm, false],
  ['TS, npm init -y package.json', 'model.ts', esm, true],
  ['.mjs ESM', 'model.mjs', esm, false],
  ['.cjs with require', 'model.cjs', cjs, false],
  ['.js ESM syntax, no type module', 'model.js', esm, true],
  ['.mjs whose local helper imports simrun', 'model.mjs', viaHelper, false],
  ['.mjs reading import.meta', 'model.mjs', withMeta, false],
  ['.mjs with a built-in import and a dynamic import of simrun', 'model.mjs', dynamic, false],
];

describe('a model file in a fresh folder', () => {
  for (const [title, file, src, pkg] of cases) {
    it(title, async () => {
      const dir = tmpDir('simrun-user-');
      writeFileSync(path.join(dir, file), src);
      writeFileSync(path.join(dir, 'helper.mjs'), helper);
      if (pkg) writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'x', version: '1.0.0', main: 'index.js' }));
      const r = await runCli(['run', `./${file}`, '--input', 'range:50', '--db', 'out.db', '--workers', '2', '-q'], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      // Nothing on stderr: no Node warning (e.g. the typeless package.json one) from any process.
      expect(r.stderr).toBe('');
      expect(query<{ n: number }>(path.join(dir, 'out.db'), 'SELECT count(*) AS n FROM m')[0]!.n).toBe(50);
    });
  }
  it('an item that throws in a one-file .mjs model: its stack names the file and line', async () => {
    const dir = tmpDir('simrun-user-');
    const src = [
      `import { defineModel } from 'simrun';`,
      `export default defineModel({ name: 'm', version: '1', columns: { x: 'integer' },`,
      `  analyze(item) { if (item === 3) throw new RangeError('three'); return { x: item }; },`,
      `  format: (r) => r });`,
    ].join('\n');
    writeFileSync(path.join(dir, 'model.mjs'), src);
    const r = await runCli(['run', './model.mjs', '--input', 'range:5', '--db', 'out.db', '-q'], { cwd: dir });
    expect(r.code, r.stderr).toBe(3);
    const errors = query<{ idx: number; message: string; stack: string }>(
      path.join(dir, 'out.db'),
      'SELECT idx, message, stack FROM errors',
    );
    expect(errors).toMatchObject([{ idx: 3, message: 'three' }]);
    expect(errors[0]!.stack).toContain(`${path.join(dir, 'model.mjs')}:3:`);
  });
  it('a syntax error in a one-file .mjs model: one line naming the file', async () => {
    const dir = tmpDir('simrun-user-');
    writeFileSync(path.join(dir, 'model.mjs'), `import { defineModel } from 'simrun';\nexport default defineModel({{{;\n`);
    const r = await runCli(['run', './model.mjs', '--input', 'range:5', '--db', 'out.db'], { cwd: dir });
    expect(r.code).not.toBe(0);
    const lines = r.stderr.trim().split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/model\.mjs failed to load/);
  });
  it('a syntax error: non-zero exit, one line naming the file', async () => {
    const dir = tmpDir('simrun-user-');
    writeFileSync(path.join(dir, 'model.ts'), 'export default {{{;\n');
    const r = await runCli(['run', './model.ts', '--input', 'range:5', '--db', 'out.db'], { cwd: dir });
    expect(r.code).not.toBe(0);
    const lines = r.stderr.trim().split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/model\.ts failed to load/);
  });
});
