/**
 * Runs one benchmark command as a whole process and watches it from /proc: wall time, and for
 * the process tree (the spawned process = the primary, plus its children = the workers) the
 * peak RSS per process (VmHWM, so a spike between two samples still counts), an RSS time
 * series of every process, and the primary's CPU time (utime + stime).
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const TICK = 100; // clock ticks per second (USER_HZ), 100 on Linux

export interface ProcSample {
  t: number; // seconds since spawn
  rssMb: number;
  cpuS: number; // utime + stime, seconds
}

export interface ProcInfo {
  pid: number;
  role: 'primary' | 'worker';
  peakMb: number;
  samples: ProcSample[];
}

export interface RunResult {
  seconds: number;
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  procs: ProcInfo[];
  /** Extra values a caller's onSample hook recorded, e.g. rows done at each sample. */
  marks: { t: number; value: number }[];
  /** The command ran simrun's CLI (not a peer): what `--against` compares between builds. */
  simrun: boolean;
  /**
   * CPU time the hypervisor gave to other guests while the command ran, seconds summed over
   * all CPUs (the `steal` column of /proc/stat; 0 on bare metal): on a VM it stretches wall time.
   */
  stealS: number;
}

/** The machine's steal time so far, seconds over all CPUs (/proc/stat), or 0 where unknown. */
export function stealSeconds(): number {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/);
    return Number(cpu[8] ?? 0) / TICK;
  } catch {
    return 0;
  }
}

export interface RunOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  sampleMs?: number;
  /** Called at each sample with the seconds since spawn; return a number to record it, 'stop' to SIGINT the primary. */
  onSample?: (t: number, pid: number) => number | 'stop' | void;
  timeoutS?: number;
}

function readStat(pid: number): { ppid: number; cpuS: number } | null {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    // after "pid (comm) ": state ppid ... utime(14th field overall = f[11]) stime(f[12])
    return { ppid: Number(f[1]), cpuS: (Number(f[11]) + Number(f[12])) / TICK };
  } catch {
    return null;
  }
}

function readMem(pid: number): { rssMb: number; hwmMb: number } | null {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(s)?.[1] ?? 0);
    return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

/** Pids of the tree under root (children found through the ppid field of /proc/<pid>/stat). */
function tree(root: number): number[] {
  const parent = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    const pid = Number(d);
    if (!pid) continue;
    const st = readStat(pid);
    if (st) parent.set(pid, st.ppid);
  }
  const out = [root];
  for (let k = 0; k < out.length; k++) for (const [pid, pp] of parent) if (pp === out[k]) out.push(pid);
  return out;
}

export function runProcess(cmd: string, args: string[], o: RunOptions): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const steal0 = stealSeconds();
    const child = spawn(cmd, args, { cwd: o.cwd, env: o.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout = (stdout + b.toString()).slice(-200_000)));
    child.stderr.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-200_000)));
    const procs = new Map<number, ProcInfo>();
    const marks: RunResult['marks'] = [];
    let stopped = false;
    // Finding the children scans all of /proc: do it every 250 ms, sample known pids every tick.
    let known: number[] = [];
    let lastScan = 0;
    const sample = () => {
      const t = (performance.now() - t0) / 1000;
      const pid = child.pid;
      if (!pid || child.exitCode !== null) return;
      if (t - lastScan >= 0.25 || known.length === 0) {
        known = tree(pid);
        lastScan = t;
      }
      for (const p of known) {
        const m = readMem(p);
        const st = readStat(p);
        if (!m || !st || m.rssMb === 0) continue;
        let info = procs.get(p);
        if (!info) procs.set(p, (info = { pid: p, role: p === pid ? 'primary' : 'worker', peakMb: 0, samples: [] }));
        info.peakMb = Math.max(info.peakMb, m.hwmMb, m.rssMb);
        info.samples.push({ t, rssMb: m.rssMb, cpuS: st.cpuS });
      }
      if (o.onSample) {
        const v = o.onSample(t, pid);
        if (v === 'stop' && !stopped) {
          stopped = true;
          child.kill('SIGINT');
        } else if (typeof v === 'number') marks.push({ t, value: v });
      }
    };
    const timer = setInterval(sample, o.sampleMs ?? 100);
    const kill = o.timeoutS ? setTimeout(() => child.kill('SIGKILL'), o.timeoutS * 1000) : null;
    child.on('error', (e) => {
      clearInterval(timer);
      reject(e);
    });
    child.on('exit', (code, signal) => {
      const seconds = (performance.now() - t0) / 1000;
      const stealS = stealSeconds() - steal0;
      clearInterval(timer);
      if (kill) clearTimeout(kill);
      const simrun = args.some((a) => a.replace(/\\/g, '/').endsWith('dist/src/cli.js'));
      child.on('close', () => resolve({ seconds, code, signal, stdout, stderr, procs: [...procs.values()], marks, simrun, stealS }));
    });
  });
}

/**
 * Runs processes at once (each `[cmd, ...args]`), each expected to exit 0: one result whose wall
 * time is until the last ends, with every process's samples and the most steal any one saw.
 */
export async function runAtOnce(commands: string[][], o: RunOptions, what: string): Promise<RunResult> {
  const t0 = performance.now();
  const rs = await Promise.all(commands.map(([cmd, ...args]) => runProcess(cmd!, args, o)));
  rs.forEach((r) => expectExit(r, what));
  const stealS = Math.max(...rs.map((r) => r.stealS));
  return { ...rs[0]!, seconds: (performance.now() - t0) / 1000, procs: rs.flatMap((r) => r.procs), stealS };
}

/** Throws with the tail of stderr unless the process exited with one of the expected codes. */
export function expectExit(r: RunResult, what: string, codes: number[] = [0]): RunResult {
  if (r.code === null || !codes.includes(r.code)) {
    throw new Error(`${what} exited with ${r.signal ?? r.code}: ${(r.stderr || r.stdout).trim().slice(-800)}`);
  }
  return r;
}

export function primaryOf(r: RunResult): ProcInfo | undefined {
  return r.procs.find((p) => p.role === 'primary');
}

export function workersOf(r: RunResult): ProcInfo[] {
  return r.procs.filter((p) => p.role === 'worker');
}

/** RSS of a process at a fraction of its sampled lifetime (nearest sample). */
export function rssAt(p: ProcInfo, frac: number): number {
  const s = p.samples;
  if (!s.length) return 0;
  const t = s[0]!.t + frac * (s[s.length - 1]!.t - s[0]!.t);
  let best = s[0]!;
  for (const x of s) if (Math.abs(x.t - t) < Math.abs(best.t - t)) best = x;
  return best.rssMb;
}
