/**
 * Model parameters: the model's defaults, overridden by --params file.json (a nested object)
 * and then --param a.b=v (dotted path). Every override must name an existing parameter and
 * keep its type; anything else is a usage error before any work starts.
 */
import { readFileSync, statSync } from 'node:fs';
import { usageError, UsageError } from '../../errors.js';
import type { Model, Params } from '../../api/model.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const typeName = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** A --param value: JSON when it parses (numbers, booleans, arrays, objects), else a string. */
export function parseParamValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

export function parseParamFlag(flag: string): [string, unknown] {
  const eq = flag.indexOf('=');
  if (eq <= 0) throw usageError(`bad --param '${flag}': use --param name=value, e.g. --param draws=500`);
  return [flag.slice(0, eq), parseParamValue(flag.slice(eq + 1))];
}

/**
 * Params travel to every worker and are stored with the run (twice: overrides and effective);
 * a 50 MB --params made a 200 MB database of 100 rows. Big data belongs in a file the model
 * reads in setup(), named by a parameter.
 */
export const MAX_PARAMS_BYTES = 1024 * 1024;
const PARAMS_ADVICE = 'put large data in a file the model reads in setup() and pass its path as a parameter';
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export function readParamsFile(file: string): Obj {
  let parsed: unknown;
  try {
    const size = statSync(file).size;
    if (size > MAX_PARAMS_BYTES) {
      throw usageError(`--params ${file} is ${mb(size)}, over the ${mb(MAX_PARAMS_BYTES)} limit for params; ${PARAMS_ADVICE}`);
    }
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw usageError(`cannot read --params ${file}: ${(err as Error).message}`);
  }
  if (!isObj(parsed)) throw usageError(`--params ${file} must hold a JSON object of parameter overrides`);
  if (depth(parsed) > MAX_DEPTH)
    throw usageError(`--params ${file} nests deeper than ${MAX_DEPTH} levels; model params are never that deep`);
  return parsed;
}

/** Deeper params would overflow the stack of the recursive merge and clone below. */
const MAX_DEPTH = 100;

/** How deeply a parsed JSON value nests (iterative: any depth JSON.parse accepted). */
function depth(root: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    max = Math.max(max, d);
    if (max > MAX_DEPTH) return max;
    for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return max;
}

function setPath(target: Obj, path: string[], value: unknown): void {
  let o = target;
  for (const key of path.slice(0, -1)) o = isObj(o[key]) ? (o[key] as Obj) : (o[key] = {});
  o[path[path.length - 1]!] = value;
}

/** Checks `override` against `defaults` (same keys, same types) and returns the merged copy. */
function mergeChecked(defaults: Obj, override: Obj, model: string, prefix: string): Obj {
  const out: Obj = structuredClone(defaults);
  for (const [key, value] of Object.entries(override)) {
    const name = prefix + key;
    if (!(key in defaults)) {
      const known =
        Object.keys(defaults)
          .map((k) => prefix + k)
          .join(', ') || 'none';
      throw usageError(`unknown parameter '${name}' for model ${model} (known: ${known})`);
    }
    const def = defaults[key];
    if (isObj(def)) {
      if (!isObj(value)) throw usageError(`parameter '${name}' of model ${model} is an object; set its fields, e.g. ${name}.<field>=...`);
      out[key] = mergeChecked(def, value, model, name + '.');
    } else {
      if (def !== null && typeName(def) !== typeName(value)) {
        throw usageError(`parameter '${name}' of model ${model} must be ${typeName(def)}, got ${typeName(value)} ${JSON.stringify(value)}`);
      }
      out[key] = value;
    }
  }
  return out;
}

export interface ResolvedParams {
  /** Only what the user set (stored with the run so resume can re-derive the effective params). */
  overrides: Params;
  effective: Params;
}

/** Runs `check`; a usage error it throws names where the values came from (`--params f.json: ...`). */
function from<T>(source: string, check: () => T): T {
  try {
    return check();
  } catch (err) {
    if (err instanceof UsageError) throw usageError(`${source}: ${err.message}`, err);
    throw err;
  }
}

/**
 * The effective params: the model's defaults, then `fileOverrides` (read from --params `file`,
 * when given), then the --param flags. An error in the file's values (an unknown or misspelled
 * name, a wrong type, a value the model refuses) names the file.
 */
export function resolveParams(model: Model, fileOverrides: Obj, flags: [string, unknown][], file?: string): ResolvedParams {
  if (file) {
    const merged = from(`--params ${file}`, () => mergeChecked(model.params ?? {}, fileOverrides, model.name, ''));
    from(`--params ${file}`, () => validate(model, merged));
  }
  const overrides: Obj = structuredClone(fileOverrides);
  for (const [path, value] of flags) setPath(overrides, path.split('.'), value);
  const effective = mergeChecked(model.params ?? {}, overrides, model.name, '');
  const bytes = Buffer.byteLength(JSON.stringify(effective));
  if (bytes > MAX_PARAMS_BYTES) {
    throw usageError(
      `the params of model ${model.name} are ${mb(bytes)} as JSON, over the ${mb(MAX_PARAMS_BYTES)} limit; ${PARAMS_ADVICE}`,
    );
  }
  validate(model, effective);
  return { overrides, effective };
}

function validate(model: Model, effective: Obj): void {
  try {
    model.validateParams?.(effective);
  } catch (err) {
    throw usageError(`bad params for model ${model.name}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** JSON with sorted keys, so equal params always compare equal as text. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (isObj(v))
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}
