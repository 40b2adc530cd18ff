// The cheapest possible model: measures simrun's own per-item cost (IPC + SQLite), not the model's.
export default {
  name: 'trivial',
  version: '1',
  columns: { value: 'integer', half: 'real' },
  analyze: (item) => item,
  format: (v) => ({ value: v, half: v / 2 }),
};
