/**
 * simrun's public API, the only surface a model (built-in or a user's) imports:
 * `import { defineModel } from 'simrun'`. Everything here lives in src/api/.
 */
export { defineModel } from './api/model.js';
export type { ColumnType, Context, Model, Params, Row } from './api/model.js';
export { transient } from './api/transient.js';
