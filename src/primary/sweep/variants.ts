/**
 * The variants of a sweep, from its flags: a grid (`--grid key=a:b:step`, `--grid key=v1,v2`; the
 * cartesian product), reform files (`--reforms`, each against the baseline), a stack (`--stack`,
 * variant k applies files 1..k) or replicates (`--seeds lo:hi`). The baseline is the model's
 * defaults, or `--base file.json` and `--param k=v` on top of them. Nothing here reads the input
 * or the database; every value is checked against the model's params in resolve.ts.
 */
import path from 'node:path';
import { usageError, UsageError } from '../../errors.js';
import { parseParamValue, readParamsFile } from '../run/params.js';

export type SweepKind = 'grid' | 'reforms' | 'stack' | 'seeds';
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What the sweep command was given. */
export interface SweepRequest {
  grid: string[];
  reforms: string[];
  stack: string[];
  seeds: string | null;
  base: string | null;
  params: [string, unknown][];
  /** The seed of every variant but replicates. */
  seed: number;
}

export interface VariantSpec {
  label: string;
  /** What the variant sets on top of the baseline (a grid point, a reform file, files 1..k of a stack). */
  changes: Obj;
  /** The run's param overrides: the baseline's and the changes. */
  overrides: Obj;
  seed: number;
}

export interface SweepPlan {
  kind: SweepKind;
  /** What was asked for, stored as the sweep's spec_json. */
  spec: Obj;
  /** The baseline's param overrides. */
  baseline: Obj;
  /** Which variant is the baseline (0), or null for replicates, which have none. */
  baseOrd: number | null;
  /** The grid's keys and their values (empty for other kinds). */
  grid: [string, unknown[]][];
  variants: VariantSpec[];
}

/** A sweep larger than this is refused unless --yes. */
export const MAX_VARIANTS = 1000;
/** Not even --yes runs more: every chunk runs every variant, in one worker's memory. */
export const HARD_MAX_VARIANTS = 100_000;

/** Objects merged field by field, anything else (numbers, arrays) replaced: how --params overrides. */
export function deepMerge(a: Obj, b: Obj): Obj {
  const out: Obj = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = isObj(v) && isObj(out[k]) ? deepMerge(out[k] as Obj, v) : structuredClone(v);
  return out;
}

function setPath(key: string, value: unknown): Obj {
  const parts = key.split('.');
  let o: Obj = { [parts.at(-1)!]: value };
  for (const p of parts.slice(0, -1).reverse()) o = { [p]: o };
  return o;
}

const num = (raw: string): number | null => (/^-?(\d+\.?\d*|\.\d+)(e-?\d+)?$/i.test(raw.trim()) ? Number(raw) : null);

/** `a:b:step` (inclusive, step > 0; `a:b` steps by 1) or `v1,v2,...` (each parsed like --param values). */
function gridValues(flag: string): [string, unknown[]] {
  const eq = flag.indexOf('=');
  const bad = (why: string) => usageError(`bad --grid '${flag}': ${why}`);
  if (eq <= 0 || eq === flag.length - 1) throw bad('use --grid name=a:b:step or --grid name=v1,v2 (e.g. ctc.amount=2000:4000:500)');
  const key = flag.slice(0, eq);
  const raw = flag.slice(eq + 1);
  const parts = raw.split(':');
  if (parts.length === 2 || parts.length === 3) {
    const [a, b, step] = [num(parts[0]!), num(parts[1]!), parts.length === 3 ? num(parts[2]!) : 1];
    if (a === null || b === null || step === null) throw bad('a range a:b:step takes numbers');
    if (step <= 0) throw bad('the step must be above 0');
    if (b < a) throw bad(`the range ends (${b}) before it starts (${a})`);
    const count = Math.floor((b - a) / step + 1e-9) + 1;
    if (count > HARD_MAX_VARIANTS)
      throw bad(`the range has ${count.toLocaleString('en-US')} values; at most ${HARD_MAX_VARIANTS.toLocaleString('en-US')}`);
    // toPrecision: 0.1 + 2 * 0.05 is 0.2, not 0.20000000000000004.
    return [key, Array.from({ length: count }, (_, i) => Number((a + i * step).toPrecision(12)))];
  }
  return [key, raw.split(',').map((v) => parseParamValue(v))];
}

function seedList(raw: string): number[] {
  const bad = () => usageError(`bad --seeds '${raw}': use lo:hi (e.g. 1:20) or a list 1,2,3 of whole numbers >= 0`);
  const whole = (s: string) => {
    if (!/^\d+$/.test(s.trim())) throw bad();
    return Number(s);
  };
  const range = raw.split(':');
  if (range.length === 2) {
    const [lo, hi] = [whole(range[0]!), whole(range[1]!)];
    if (hi < lo || hi - lo >= HARD_MAX_VARIANTS) throw bad();
    return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
  }
  const list = raw.split(',').map(whole);
  if (new Set(list).size !== list.length) throw usageError(`bad --seeds '${raw}': a seed is listed twice`);
  return list;
}

/** A reform file's overrides; its errors name the flag that gave it. */
function readReform(file: string, flag: string): Obj {
  try {
    return readParamsFile(file);
  } catch (err) {
    if (err instanceof UsageError) throw usageError(err.message.replace('--params', flag), err);
    throw err;
  }
}

const fileLabel = (file: string) => path.basename(file).replace(/\.json$/i, '');

/** Which kind of sweep the flags ask for; exactly one. */
function sweepKind(r: SweepRequest): SweepKind {
  const kinds: [SweepKind, boolean][] = [
    ['grid', r.grid.length > 0],
    ['reforms', r.reforms.length > 0],
    ['stack', r.stack.length > 0],
    ['seeds', r.seeds !== null],
  ];
  const given = kinds.filter(([, on]) => on).map(([k]) => k);
  if (given.length !== 1)
    throw usageError(
      given.length
        ? `give one kind of sweep, not ${given.map((k) => `--${k}`).join(' and ')}`
        : 'give the variants: --grid name=a:b:step, --reforms a.json b.json, --stack a.json b.json, or --seeds 1:20',
    );
  return given[0]!;
}

/** How many variants a grid makes, before any is built. */
export const gridSize = (grid: [string, unknown[]][]) => grid.reduce((n, [, values]) => n * values.length, 1);

function gridVariants(grid: [string, unknown[]][], baseline: Obj, seed: number): VariantSpec[] {
  let points: [string, unknown][][] = [[]];
  for (const [key, values] of grid) points = points.flatMap((p) => values.map((v) => [...p, [key, v] as [string, unknown]]));
  return points.map((p) => {
    const changes = p.reduce<Obj>((o, [k, v]) => deepMerge(o, setPath(k, v)), {});
    const label = p.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ');
    return { label, changes, overrides: deepMerge(baseline, changes), seed };
  });
}

/** The sweep's variants in order (the baseline first, except for replicates); the size limit is checked by the caller. */
export function planSweep(r: SweepRequest): SweepPlan {
  const kind = sweepKind(r);
  let baseline: Obj = r.base ? readReform(r.base, '--base') : {};
  for (const [key, value] of r.params) baseline = deepMerge(baseline, setPath(key, value));
  const base: VariantSpec = { label: 'baseline', changes: {}, overrides: baseline, seed: r.seed };
  const spec: Obj = { kind, base: r.base, params: Object.fromEntries(r.params), seed: r.seed };
  const grid = kind === 'grid' ? r.grid.map(gridValues) : [];
  const keys = grid.map(([k]) => k);
  const twice = keys.find((k, i) => keys.indexOf(k) !== i);
  if (twice !== undefined) throw usageError(`--grid ${twice} is given twice; list its values in one --grid ${twice}=v1,v2`);
  const plan = (variants: VariantSpec[], baseOrd: number | null, extra: Obj): SweepPlan => ({
    kind,
    spec: { ...spec, ...extra },
    baseline,
    baseOrd,
    grid,
    variants,
  });
  if (kind === 'grid') {
    // The variants themselves are built only once their count passed the limit (checkSize).
    return plan([base], 0, { grid });
  }
  if (kind === 'seeds') {
    const seeds = seedList(r.seeds!);
    return plan(
      seeds.map((seed) => ({ label: `seed=${seed}`, changes: {}, overrides: baseline, seed })),
      null,
      { seeds },
    );
  }
  const files = kind === 'reforms' ? r.reforms : r.stack;
  const flag = `--${kind}`;
  let stacked: Obj = {};
  const variants = files.map((file) => {
    const reform = readReform(file, flag);
    stacked = kind === 'stack' ? deepMerge(stacked, reform) : reform;
    const label = kind === 'stack' ? `+ ${fileLabel(file)}` : fileLabel(file);
    return { label, changes: stacked, overrides: deepMerge(baseline, stacked), seed: r.seed };
  });
  return plan([base, ...variants], 0, { files: files.map((f) => path.resolve(f)) });
}

/** Builds a grid's variants (after its size was accepted): the baseline, then every grid point. */
export function expandGrid(plan: SweepPlan, seed: number): SweepPlan {
  if (plan.kind !== 'grid') return plan;
  return { ...plan, variants: [plan.variants[0]!, ...gridVariants(plan.grid, plan.baseline, seed)] };
}

/** How many variants the sweep will have. */
export const variantCount = (plan: SweepPlan) => (plan.kind === 'grid' ? 1 + gridSize(plan.grid) : plan.variants.length);
