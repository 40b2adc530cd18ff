/** The machine a benchmark ran on: cores, CPU model, memory, Node, Python, load, commit. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

export interface Machine {
  nproc: number;
  cpu: string;
  memGb: number;
  node: string;
  python: string;
  kernel: string;
  commit: string;
  dirty: boolean;
}

function sh(cmd: string, args: string[], cwd: string): string {
  try {
    return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

export function machineInfo(root: string): Machine {
  let cpu = os.cpus()[0]?.model ?? 'unknown';
  try {
    cpu = /^model name\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpu;
  } catch {
    /* not Linux: keep os.cpus() */
  }
  return {
    nproc: os.availableParallelism(),
    cpu,
    memGb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    python: sh('python3', ['--version'], root).replace('Python ', '') || 'missing',
    kernel: os.release(),
    commit: sh('git', ['rev-parse', '--short', 'HEAD'], root),
    dirty: sh('git', ['status', '--porcelain', '--', 'src', 'models'], root) !== '',
  };
}

export function loadavg(): number[] {
  return os.loadavg().map((v) => Math.round(v * 100) / 100);
}
