/**
 * Failures simrun did not raise on purpose (permissions, a full disk, the open-file and memory
 * limits, params nested too deeply, stdout on /dev/full, a model command's own throw) end in one
 * line naming the file and what to do, a non-zero exit code, no stack, and no partial damage.
 * Root ignores file modes, so the read-only cases run the CLI as root without capabilities
 * (setpriv); a full disk
 * is a 600 KB tmpfs mounted in a private mount namespace (unshare -m). Each is skipped where it
 * cannot be set up.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, fixtureModel, runCli, sha, tmpDir, type CliResult } from '../helpers.js';

const isRoot = process.getuid?.() === 0;
// Root ignores file modes: the read-only tests run the CLI as root without capabilities (no
// CAP_DAC_OVERRIDE), not as another user, who might not reach this checkout (a 0700 clone folder).
const DROP_CAPS = ['--bounding-set=-all', '--inh-caps=-all'];
const canSetpriv = isRoot && spawnSync('setpriv', [...DROP_CAPS, 'true']).status === 0;
const canMount = isRoot && spawnSync('unshare', ['-m', '--propagation', 'private', 'true']).status === 0;

let dir: string;
let db: string; // a finished database

/** Runs `command ...argv` where argv holds the CLI (node, cli.js, args), collecting its output. */
function spawnCli(command: string, argv: string[]): Promise<CliResult> {
  const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
}

const simrun = (args: string[]) => [process.execPath, cli, ...args];
const unprivileged = (args: string[]) =>
  isRoot ? spawnCli('setpriv', [...DROP_CAPS, ...simrun(args)]) : spawnCli(process.execPath, simrun(args).slice(1));
/** The CLI under a shell's ulimit, e.g. "-n 32". */
const withUlimit = (limit: string, args: string[]) => spawnCli('bash', ['-c', `ulimit ${limit} && exec "$@"`, 'bash', ...simrun(args)]);

/** Exactly one line on stderr, "simrun: ..." matching `re`, and no stack frame. */
function expectOneLine(r: CliResult, re: RegExp): void {
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^simrun: /)]);
  expect(r.stderr).toMatch(re);
}

const run = (target: string, extra: string[] = []) => [
  'run',
  'montecarlo',
  '--input',
  'range:200',
  '--db',
  target,
  '--param',
  'draws=10',
  '--quiet',
  ...extra,
];

beforeAll(async () => {
  dir = tmpDir('simrun-1line-');
  db = path.join(dir, 'done.db');
  const r = await runCli(run(db));
  expect(r.code, r.stderr).toBe(0);
});

describe.skipIf(isRoot && !canSetpriv)('read-only databases', () => {
  it('a database file of mode 0444: exit 2, one line naming it, the file unchanged', async () => {
    const folder = path.join(dir, 'ro-file');
    mkdirSync(folder, { mode: 0o777 });
    chmodSync(folder, 0o777);
    const file = path.join(folder, 'q.db');
    copyFileSync(db, file);
    chmodSync(file, 0o444);
    const before = sha(file);
    const r = await unprivileged(run(file));
    expect(r.code).toBe(2);
    expectOneLine(
      r,
      new RegExp(
        `cannot write ${file}: it is read-only \\(SQLITE_READONLY\\); make the file and its folder writable, or use another location`,
      ),
    );
    expect(sha(file)).toBe(before);
    expect(readdirSync(folder)).toEqual(['q.db']);
  });

  it('a writable database in a read-only folder: exit 2, one line saying the folder, the file unchanged', async () => {
    const folder = path.join(dir, 'ro-folder');
    mkdirSync(folder);
    const file = path.join(folder, 'q.db');
    copyFileSync(db, file);
    chmodSync(file, 0o666);
    chmodSync(folder, 0o555);
    const before = sha(file);
    const r = await unprivileged(run(file));
    expect(r.code).toBe(2);
    expectOneLine(r, new RegExp(`cannot write ${file}: its folder is read-only`));
    expect(sha(file)).toBe(before);
    expect(readdirSync(folder)).toEqual(['q.db']);
  });
});

describe.skipIf(!canMount)('a full disk', () => {
  it('merge onto a full disk: exit 1, one line naming the database; the shards unchanged', async () => {
    const shards = [0, 1].map((i) => path.join(dir, `shard-${i}.db`));
    for (const [i, s] of shards.entries()) {
      const r = await runCli([
        'run',
        'montecarlo',
        '--input',
        'range:20000',
        '--db',
        s,
        '--shard',
        `${i}/2`,
        '--param',
        'draws=10',
        '--quiet',
      ]);
      expect(r.code, r.stderr).toBe(0);
    }
    const before = shards.map(sha);
    const mnt = path.join(dir, 'small');
    mkdirSync(mnt);
    const into = path.join(mnt, 'all.db');
    const mount = 'mount -t tmpfs -o size=600k tmpfs "$1" && shift && exec "$@"';
    const m = await spawnCli('unshare', [
      '-m',
      '--propagation',
      'private',
      'sh',
      '-c',
      mount,
      'sh',
      mnt,
      ...simrun(['merge', '--into', into, ...shards]),
    ]);
    expect(m.code).toBe(1);
    expectOneLine(m, new RegExp(`no space left on the disk holding ${into} \\(SQLITE_FULL\\); free space there or write to another disk`));
    expect(shards.map(sha)).toEqual(before);
  });
});

describe('limits and odd input', () => {
  it('--params nested 3,000 levels deep: exit 2, one line naming the file; no database', async () => {
    const params = path.join(dir, 'deep.json');
    writeFileSync(params, '{"a":'.repeat(3000) + '1' + '}'.repeat(3000));
    const target = path.join(dir, 'deep.db');
    const r = await runCli(run(target, ['--params', params]));
    expect(r.code).toBe(2);
    expectOneLine(r, new RegExp(`--params ${params} nests deeper than 100 levels`));
    expect(existsSync(target)).toBe(false);
  });

  it('ulimit -n 32: exit 1, one line with the limit and the ulimit -n it needs; no database left behind', async () => {
    const target = path.join(dir, 'fd.db');
    const r = await withUlimit('-n 32', run(target));
    expect(r.code).toBe(1);
    expectOneLine(r, /the open-file limit \(ulimit -n\) is 32, below the 64 simrun needs; raise it, e.g. ulimit -n 1024/);
    expect(existsSync(target)).toBe(false);
  });

  it('a small ulimit -v: exit 1, one line before any worker starts; no database', async () => {
    const target = path.join(dir, 'vm.db');
    const r = await withUlimit('-v 1000000', run(target));
    expect(r.code).toBe(1);
    expectOneLine(r, /the virtual-memory limit \(ulimit -v\) is 1000000 KiB, .*raise it, e.g. ulimit -v unlimited/);
    expect(existsSync(target)).toBe(false);
  });

  it.skipIf(!existsSync('/dev/full'))('stdout on /dev/full: export, query, status and --help exit 1 with one line', async () => {
    for (const args of [
      ['export', '--db', db, '--run', '1'],
      ['export', '--db', db, '--run', '1', '--format', 'jsonl'],
      ['query', '--db', db, 'SELECT * FROM montecarlo'],
      ['status', '--db', db],
      ['--help'],
    ]) {
      const r = await spawnCli('sh', ['-c', 'exec "$@" > /dev/full', 'sh', ...simrun(args)]);
      expect(r.code, args.join(' ')).toBe(1);
      expectOneLine(r, /^simrun: cannot write to standard output: no space left on the device \(ENOSPC\); the output is incomplete$/m);
    }
  });
});

describe("a model command's own throw", () => {
  it('is one line naming the model and the command, exit 1', async () => {
    const file = path.join(dir, 'throwing-command.mjs');
    const source = readFileSync(fixtureModel('extended.mjs'), 'utf8');
    writeFileSync(file, source.replace('const results = tools.openResults(f.db);', "throw new TypeError('kaput');"));
    const r = await runCli([file, 'totals', '--db', db, '--run', '1']);
    expect(r.code).toBe(1);
    expectOneLine(r, /^simrun: model extended: command totals failed: TypeError: kaput$/m);
  });
});
