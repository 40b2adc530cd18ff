/**
 * System tools that some end-to-end tests drive (Chromium, GNU parallel, Slurm, munge, the sqlite3
 * shell, Python with pandas, R with DBI/RSQLite/jsonlite). Outside CI
 * a test whose tool is missing skips; under CI=true it runs and fails at once with one line naming
 * the Debian package to install (.ci/run installs them when it runs as root with apt-get).
 */
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

export interface SystemTool {
  /** true only outside CI when the tool is missing: `it.skipIf(tool.skip)` */
  skip: boolean;
  /** the tool's path; throws the install line when it is missing (call it first in the test) */
  path(): string;
}

const inCi = process.env.CI === 'true' || process.env.CI === '1';

function onPath(cmd: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/**
 * `candidates`: absolute paths or command names, the first found wins. With `probe`, a candidate
 * counts only if running it with those arguments exits 0 (e.g. `python3 -c 'import pandas'`).
 */
export function systemTool(what: string, debianPackages: string, candidates: string[], probe?: string[]): SystemTool {
  const works = (c: string) => !probe || spawnSync(c, probe, { stdio: 'ignore' }).status === 0;
  const found = candidates
    .map((c) => (c.startsWith('/') ? (existsSync(c) ? c : undefined) : onPath(c)))
    .find((c): c is string => c !== undefined && works(c));
  return {
    skip: !found && !inCi,
    path() {
      if (!found) throw new Error(`${what} is not installed (looked for ${candidates.join(', ')}): apt-get install ${debianPackages}`);
      return found;
    },
  };
}

export const chromium = systemTool('Chromium', 'chromium', ['/usr/bin/chromium', '/usr/bin/chromium-browser']);
export const gnuParallel = systemTool('GNU parallel', 'parallel', ['parallel']);
export const slurm = {
  ctld: systemTool('slurmctld', 'slurm-wlm', ['slurmctld', '/usr/sbin/slurmctld']),
  d: systemTool('slurmd', 'slurm-wlm', ['slurmd', '/usr/sbin/slurmd']),
  sbatch: systemTool('sbatch', 'slurm-wlm', ['sbatch']),
  munged: systemTool('munged', 'munge', ['munged', '/usr/sbin/munged']),
  mungekey: systemTool('mungekey', 'munge', ['mungekey', '/usr/sbin/mungekey']),
};
export const sqlite3Shell = systemTool('The sqlite3 shell', 'sqlite3', ['sqlite3'], ['-version']);
export const pandas = systemTool('Python with pandas', 'python3-pandas', ['/usr/bin/python3', 'python3'], ['-c', 'import pandas']);
export const rWithSqlite = systemTool(
  'R with DBI, RSQLite and jsonlite',
  'r-base-core r-cran-dbi r-cran-rsqlite r-cran-jsonlite',
  ['Rscript'],
  ['-e', 'library(DBI); library(RSQLite); library(jsonlite)'],
);
/** util-linux's script(1): runs a command on a pseudo-terminal (the tests of what a terminal shows). */
export const scriptPty = systemTool('script (util-linux)', 'bsdutils', ['script'], ['-qec', 'true', '/dev/null']);
