// Rows as wide as the tax model's (its own columns, read from the built model), computed from
// the index alone: the capacity case's measure of what the primary costs per real tax row.
import tax from '../../dist/models/tax/index.js';

const columns = Object.entries(tax.columns);
export default {
  name: 'taxrows',
  version: '1',
  columns: tax.columns,
  analyze: (idx) => idx,
  format(idx) {
    const row = {};
    columns.forEach(
      ([name, type], k) => (row[name] = type === 'text' ? `h${idx}-${k}` : type === 'integer' ? (idx + k) % 7 : idx * 1.25 + k / 3),
    );
    return row;
  },
};
