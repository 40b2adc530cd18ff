/**
 * What a model may add to simrun besides its computation: report sections, SQL views and
 * subcommands. The core renders and registers these without knowing the model; the built-in
 * models use nothing else (see docs/models.md, "Extending simrun").
 */
import type { Command } from 'commander';
import type { Params } from './model.js';

/** A result set: column names and rows of values, as SQLite returns them. */
export interface Table {
  columns: string[];
  rows: unknown[][];
}

/** One run of a results database, as a report section or a command sees it. */
export interface RunInfo {
  id: number;
  /** The model's name, which is also the name of its results table. */
  model: string;
  modelVersion: string;
  status: 'running' | 'interrupted' | 'failed' | 'done';
  total: number;
  done: number;
  errors: number;
  input: string;
  inputFingerprint: string;
  /** The effective params of the run. */
  params: Params;
}

/** A results database opened read-only. */
export interface ResultsReader {
  readonly file: string;
  run(id: number): RunInfo | undefined;
  /** Runs one read-only statement; named parameters as `@name` or `:name`, positional as `?`. */
  query(sql: string, params?: Record<string, unknown> | unknown[]): Table;
  close(): void;
}

/** A bar per row of the section's table: `label` and `value` name its columns. */
export interface BarChart {
  kind: 'bar';
  label: string;
  value: string;
  /** Rows whose label is one of these are left out of the chart (e.g. a totals row). */
  exclude?: string[];
  title: string;
  xLabel: string;
  yLabel: string;
  /** d3-format specifier for the value labels, e.g. ',.0f' or '.1f'. */
  valueFormat?: string;
}

/** A histogram of one numeric column of the run's results table. */
export interface HistogramChart {
  kind: 'histogram';
  column: string;
  bins?: number;
  title: string;
  xLabel: string;
  yLabel?: string;
}

/** One section of a report: a heading, an optional note, table and chart. */
export interface ReportSection {
  title: string;
  /** One paragraph of plain text; `text in backticks` is shown as code. */
  note?: string;
  table?: Table;
  chart?: BarChart | HistogramChart;
}

/** The report sections of a model (`simrun report`). */
export interface ModelReport {
  /** Values `simrun report --by` accepts for this model; the first is the default. */
  groupings?: readonly string[];
  /**
   * A numeric results column that weights each row (tax: `weight`, the households a record
   * stands for): the HTML report's histograms then sum it instead of counting rows, and their
   * axis says `label` (e.g. 'households').
   */
  weight?: { column: string; label: string };
  /** Sections of one run; `simrun report` without --html prints the first one's table. */
  sections?(results: ResultsReader, run: RunInfo, by: string | undefined): ReportSection[];
  /** Sections comparing two finished runs of this model over the same input (`report --compare`). */
  compare?(results: ResultsReader, base: RunInfo, reform: RunInfo, by: string | undefined): ReportSection[];
  /**
   * The named totals of one finished run, for `simrun report --sweep` (one row per variant of a
   * sweep): `base` is the sweep's baseline run, given for every other variant of a sweep that has
   * one. simrun adds each total's change against the baseline (and for a stack each line's
   * increment); whole numbers (e.g. $ millions) keep a stack's increments summing exactly.
   */
  totals?(results: ResultsReader, run: RunInfo, base: RunInfo | undefined): RunTotals;
}

/** What a model reports per run of a sweep (ModelReport.totals). */
export interface RunTotals {
  /** Levels of the run (e.g. revenue); simrun shows each one's change against the baseline. */
  totals: Record<string, number | null>;
  /** Measures of the run against the baseline (e.g. share of households better off); only when `base` was given. */
  versusBase?: Record<string, number | null>;
}

/** What simrun lends a model's subcommand. */
export interface CommandTools {
  /** Opens a results database read-only; a missing or foreign file is a one-line usage error. */
  openResults(file: string): ResultsReader;
  /**
   * Opens a database for comparing two runs: both must exist, be runs of one model (`model` when
   * given) over the same input and be done (one-line usage errors naming `flags`); prints a note
   * on stderr when some items are in only one of them.
   */
  openComparison(
    file: string,
    base: number,
    reform: number,
    flags: [string, string],
    model?: string,
  ): { results: ResultsReader; base: RunInfo; reform: RunInfo };
  /** Writes a table to stdout as an aligned table, CSV or JSON. */
  printTable(table: Table, format: string): void;
  /** The formats printTable takes. */
  readonly formats: readonly string[];
  /** A one-line error that exits 2 (bad usage or bad input), printed as `simrun: <message>`. */
  usageError(message: string, cause?: unknown): Error;
  /** Parses an integer option value of at least `min`, or throws a usage error naming `what`. */
  intArg(min: number, what: string): (raw: string) => number;
}

/** A subcommand: `simrun <model> <name>` (and `simrun <name>` for a built-in model when no other command has the name). */
export interface ModelCommand {
  name: string;
  summary: string;
  /** Adds options, arguments, help and `.action()` to `command` (a commander Command already named). */
  define(command: Command, tools: CommandTools): void;
}

/** A view created beside the model's results table when a run starts: name and SELECT statement. */
export type ModelViews = Record<string, string>;
