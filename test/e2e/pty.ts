/**
 * Runs the built CLI on a pseudo-terminal (util-linux script(1)), so stdout and stderr are TTYs
 * as in a user's terminal: what the terminal receives, escape codes and all, comes back as `text`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cli, root } from '../helpers.js';
import { scriptPty } from './system-tools.js';

export interface PtyResult {
  code: number | null;
  /** everything written to the terminal (stdout and stderr together) */
  text: string;
}

const quote = (a: string) => `'${a.replace(/'/g, "'\\''")}'`;

export function startInPty(args: string[], env: NodeJS.ProcessEnv = {}): { child: ChildProcess; done: Promise<PtyResult> } {
  const cmd = [process.execPath, cli, ...args].map(quote).join(' ');
  // -e: script exits with the command's code; stty: a wide terminal, so no bar line wraps
  const child = spawn(scriptPty.path(), ['-qec', `stty cols 200 rows 50; exec ${cmd}`, '/dev/null'], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout!.on('data', (d) => (text += d));
  child.stderr!.on('data', (d) => (text += d));
  const done = new Promise<PtyResult>((resolve) => child.on('close', (code) => resolve({ code, text })));
  return { child, done };
}

export const runInPty = (args: string[], env?: NodeJS.ProcessEnv) => startInPty(args, env).done;

/** The terminal's text as lines: escape sequences removed, split at carriage returns and newlines. */
export function screenLines(text: string): string[] {
  // a redraw moves the cursor to column 1 (ESC [ 1 G): a new line of its own here
  // eslint-disable-next-line no-control-regex
  const plain = text.replace(/\x1b\[\d*G/g, '\n').replace(/\x1b\[[0-9;?]*[A-Za-z]|\x1b[78]/g, '');
  return plain
    .split(/\r|\n/)
    .map((l) => l.trimEnd())
    .filter(Boolean);
}
