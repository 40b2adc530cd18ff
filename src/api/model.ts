/** The model API: defineModel() and the types a model (built-in or a user's) is written against. */
import type { Logger } from 'pino';
import type { ModelCommand, ModelReport, ModelViews } from './extensions.js';

/** SQL type of one result column. */
export type ColumnType = 'real' | 'integer' | 'text';

export type Params = Record<string, unknown>;

/** What a model's functions receive besides the item. */
export interface Context<P extends Params = Params> {
  /** 0-based position of the item in the input. */
  readonly index: number;
  /** Effective parameters: the model's defaults merged with --params / --param. */
  readonly params: P;
  /** Uniform [0, 1) stream seeded by (run seed, item index): the same on every run. */
  random(): number;
  /** pino child logger (bound to the worker and item index). */
  readonly log: Logger;
  /** Directory for file outputs (--out), or null when none was given. */
  readonly outDir: string | null;
}

export type Row = Record<string, string | number | bigint | boolean | null>;

export interface Model<Item = any, Result = any, P extends Params = Params> {
  /** Name of the results table; letters, digits and _ only. */
  name: string;
  /** Stored with the run; `resume` refuses when it changed. */
  version: string;
  description?: string;
  /** One typed SQL column per output field, in table order. */
  columns: Record<string, ColumnType>;
  /** Defaults; a --param or --params value must name one of these and keep its type. */
  params?: P;
  /**
   * Checks the effective params in the primary before any work starts (both `run` and
   * `resume`); throw an Error saying what is wrong and the run exits 2 without touching the db.
   */
  validateParams?(params: P): void;
  /** Once per worker before any item, e.g. to load tables. */
  setup?(ctx: Omit<Context<P>, 'index' | 'random'>): void | Promise<void>;
  /** The computation; may be async. A throw fails this item only. */
  analyze(item: Item, ctx: Context<P>): Result | Promise<Result>;
  /** Turns the result into one row whose keys are exactly `columns`. */
  format(result: Result, item: Item, ctx: Context<P>): Row | Promise<Row>;
  /** Sections of `simrun report` for runs of this model (see extensions.ts). */
  report?: ModelReport;
  /** SQL views created beside the results table when a run starts: { view_name: 'SELECT ...' }. */
  views?: ModelViews;
  /** Extra subcommands: `simrun <model> <command>`. */
  commands?: ModelCommand[];
}

/** Identity function that gives a model definition its types. */
export function defineModel<Item = any, Result = any, P extends Params = Params>(model: Model<Item, Result, P>): Model<Item, Result, P> {
  return model;
}
