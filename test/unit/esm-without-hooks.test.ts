/** Which one-file ESM models are imported with their `simrun` specifiers rewritten (no loader hooks thread). */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rewriteSimrunImports } from '../../dist/src/worker/esm-without-hooks.js';
import { tmpDir } from '../helpers.js';

const SIMRUN = 'file:///opt/simrun/dist/src/index.js';

async function rewrite(src: string): Promise<string | null> {
  const file = path.join(tmpDir('simrun-rewrite-'), 'model.mjs');
  writeFileSync(file, src);
  return rewriteSimrunImports(file, SIMRUN);
}

describe('rewriteSimrunImports', () => {
  it('rewrites static, re-export and dynamic imports of simrun, keeps built-ins, names the file', async () => {
    const out = await rewrite(
      `import { defineModel } from 'simrun';\nimport fs from "node:fs";\nimport os from 'os';\nexport { transient } from 'simrun';\nconst m = await import('simrun');\n`,
    );
    expect(out).not.toBeNull();
    expect(out).toContain(`import { defineModel } from "${SIMRUN}";`);
    expect(out).toContain(`export { transient } from "${SIMRUN}";`);
    expect(out).toContain(`await import("${SIMRUN}")`);
    expect(out).toContain(`import fs from "node:fs";\nimport os from 'os';`);
    expect(out).toMatch(/\n\/\/# sourceURL=file:\/\/\/.*\/model\.mjs\n$/);
    expect(out).not.toMatch(/['"]simrun['"]/);
  });

  it.each([
    ['a relative import', `import { defineModel } from 'simrun';\nimport h from './helper.mjs';\n`],
    ['a package import', `import { defineModel } from 'simrun';\nimport _ from 'lodash';\n`],
    ['import.meta', `import { defineModel } from 'simrun';\nconst u = import.meta.url;\n`],
    ['a computed dynamic import', `import { defineModel } from 'simrun';\nconst n = 'x';\nawait import(n);\n`],
    ['no module syntax (CommonJS)', `const { defineModel } = require('simrun');\nmodule.exports = {};\n`],
  ])('leaves a model with %s to the hook (null)', async (_what, src) => {
    expect(await rewrite(src)).toBeNull();
  });
});
