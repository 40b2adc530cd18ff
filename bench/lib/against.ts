/**
 * `npm run bench -- --against <git ref>`: the regression guard. The ref is checked out in a
 * worktree under the system's temporary folder (outside this tree, where no tool of ours looks) and built there (its node_modules shared when its
 * package-lock.json is this one's, else installed with `npm ci`); then every measurement of
 * every case runs for both builds, interleaved (this, ref / ref, this, alternating by round),
 * and each variant's median wall time is compared. A variant more than the threshold slower
 * than on the ref is flagged, and the run exits 1.
 *
 * Peers (the Python pool, the in-process loops, the bare insert) run for both builds too: where
 * their code is the same in both, their ratio is pure machine noise, printed beside the table so
 * the threshold can be judged against it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RunResult } from './proc.js';
import { median } from './stats.js';

export interface Build {
  /** 'this' or the ref as given. */
  name: string;
  root: string;
}

/** Per build name, per `case/variant`, the runs measured for it. */
export type BuildRuns = Map<string, Map<string, RunResult[]>>;

export interface Against {
  ref: Build;
  sha: string;
  /** Runs of both builds (the current build's too, so both sides are summarized alike). */
  runs: BuildRuns;
  /** `case/variant` keys whose command is not simrun's CLI (peers). */
  peers: Set<string>;
  labels: Map<string, string>;
  /** `case/variant` keys the ref cannot run, and why (measure.ts Variant.notOnRef). */
  notOnRef: Map<string, string>;
}

export function recordBuildRun(a: Against, build: string, key: string, label: string, r: RunResult): void {
  let byKey = a.runs.get(build);
  if (!byKey) a.runs.set(build, (byKey = new Map()));
  let list = byKey.get(key);
  if (!list) byKey.set(key, (list = []));
  list.push(r);
  a.labels.set(key, label);
  if (!r.simrun) a.peers.add(key);
}

function git(root: string, args: string[]): string {
  return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

function run(cmd: string, args: string[], cwd: string, log: (l: string) => void): void {
  log(`  against: ${cmd} ${args.join(' ')} (in ${cwd})`);
  const r = spawnSync(cmd, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0)
    throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd}: ${(r.stderr ?? '').trim().split('\n').slice(-5).join(' / ')}`);
}

/** Checks out and builds `ref` (once per commit: a finished build is reused). */
export function prepareRef(root: string, ref: string, log: (l: string) => void): { build: Build; sha: string } {
  let sha: string;
  try {
    sha = git(root, ['rev-parse', '--verify', `${ref}^{commit}`]);
  } catch {
    throw new Error(`--against ${ref}: not a commit of this repository (git rev-parse failed)`);
  }
  const dir = path.join(os.tmpdir(), 'simrun-bench', `against-${sha.slice(0, 12)}`);
  const built = path.join(dir, '.simrun-bench-built');
  if (!existsSync(built)) {
    if (existsSync(dir)) {
      git(root, ['worktree', 'remove', '--force', dir]);
      rmSync(dir, { recursive: true, force: true });
    }
    git(root, ['worktree', 'prune']);
    git(root, ['worktree', 'add', '--detach', dir, sha]);
    const sameLock =
      readFileSync(path.join(dir, 'package-lock.json'), 'utf8') === readFileSync(path.join(root, 'package-lock.json'), 'utf8');
    if (sameLock) symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    else run('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], dir, log);
    if (!sameLock) run('npm', ['rebuild', 'better-sqlite3', 'sharp', 'esbuild'], dir, log);
    run(process.execPath, [path.join(dir, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], dir, log);
    writeFileSync(built, `${sha}\n`);
  }
  log(`  against: ${ref} = ${sha.slice(0, 12)}, built in ${dir}`);
  return { build: { name: ref, root: dir }, sha };
}

export interface Comparison {
  key: string;
  label: string;
  mine: number;
  theirs: number;
  /** mine / theirs: above 1 is slower than the ref. */
  ratio: number;
  peer: boolean;
  flagged: boolean;
}

/** One line per measured variant: this build's median time against the ref's. */
export function compareBuilds(a: Against, threshold: number): Comparison[] {
  const mine = a.runs.get('this') ?? new Map<string, RunResult[]>();
  const theirs = a.runs.get(a.ref.name) ?? new Map<string, RunResult[]>();
  const out: Comparison[] = [];
  for (const [key, rs] of mine) {
    const other = theirs.get(key);
    if (!other?.length || !rs.length) continue;
    const m = median(rs.map((r) => r.seconds));
    const t = median(other.map((r) => r.seconds));
    const peer = a.peers.has(key);
    const ratio = m / t;
    out.push({ key, label: a.labels.get(key) ?? key, mine: m, theirs: t, ratio, peer, flagged: !peer && ratio > 1 + threshold });
  }
  return out;
}
