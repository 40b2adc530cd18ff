/** Checks what a model declares besides its computation: report, views, commands (see src/api/extensions.ts). */
import type { Model } from '../api/model.js';

const COMMAND_NAME = /^[a-z][a-z0-9-]*$/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Checks the declaration itself (names and SQL strings), before any database is opened. */
function viewsDeclarationError(views: unknown): string | null {
  if (views === undefined) return null;
  if (!views || typeof views !== 'object' || Array.isArray(views)) return "views must be an object { view_name: 'SELECT ...' }";
  for (const [name, sql] of Object.entries(views)) {
    if (!NAME.test(name)) return `has a bad view name '${name}' (letters, digits and _, not starting with a digit)`;
    if (/^(sqlite_|v_)/i.test(name)) return `has a view '${name}': names starting with sqlite_ or v_ are reserved`;
    if (typeof sql !== 'string' || !/^\s*(SELECT|WITH)\b/i.test(sql)) return `view ${name} must be a SELECT statement (a string)`;
  }
  return null;
}

/** What is wrong with the model's report, views or commands, or null. */
export function extensionsDeclarationError(m: Partial<Model>): string | null {
  const r = m.report as unknown;
  if (r !== undefined) {
    if (!r || typeof r !== 'object') return 'report must be an object { sections?, compare?, totals?, groupings?, weight? }';
    const { sections, compare, totals, groupings, weight } = r as Record<string, unknown>;
    if (sections !== undefined && typeof sections !== 'function') return 'report.sections must be a function';
    if (compare !== undefined && typeof compare !== 'function') return 'report.compare must be a function';
    if (totals !== undefined && typeof totals !== 'function') return 'report.totals must be a function';
    if (groupings !== undefined && !(Array.isArray(groupings) && groupings.every((g) => typeof g === 'string')))
      return 'report.groupings must be an array of strings';
    const w = weight as Record<string, unknown> | undefined;
    if (w !== undefined && !(w && typeof w === 'object' && typeof w.column === 'string' && typeof w.label === 'string'))
      return "report.weight must be { column: 'a numeric column', label: 'what it counts' }";
    if (w !== undefined && m.columns && !(['real', 'integer'] as unknown[]).includes(m.columns[w.column as string]))
      return `report.weight names ${String(w.column)}, which is not a real or integer column of the model`;
  }
  const views = viewsDeclarationError(m.views);
  if (views) return views;
  const commands = m.commands as unknown;
  if (commands === undefined) return null;
  if (!Array.isArray(commands)) return 'commands must be an array of { name, summary, define }';
  const seen = new Set<string>();
  for (const c of commands as unknown[]) {
    const { name, summary, define } = (c ?? {}) as Record<string, unknown>;
    if (typeof name !== 'string' || !COMMAND_NAME.test(name))
      return `has a command named ${JSON.stringify(name)} (lower-case letters, digits and -)`;
    if (seen.has(name)) return `declares the command ${name} twice`;
    seen.add(name);
    if (typeof summary !== 'string' || typeof define !== 'function')
      return `command ${name} needs a summary string and a define(command, tools) function`;
  }
  return null;
}
