/**
 * simrun's public API, the only surface a model (built-in or a user's) imports:
 * `import { defineModel } from 'simrun'`. Everything here lives in src/api/.
 */
export { defineModel } from './api/model.js';
export type { ColumnType, Context, Model, Params, Row } from './api/model.js';
export type {
  BarChart,
  CommandTools,
  HistogramChart,
  ModelCommand,
  ModelReport,
  ModelViews,
  ReportSection,
  ResultsReader,
  RunInfo,
  RunTotals,
  Table,
} from './api/extensions.js';
export { transient } from './api/transient.js';
export { checkOutputTarget, sfc32, writeAtomically } from './api/utilities.js';
