/**
 * montecarlo: estimates pi for each item from `draws` random points in the unit square,
 * using ctx.random() (seeded by run seed and item index, so results are reproducible).
 * Cost grows with `draws` (~10 ns per draw), which makes it the core's test and bench model.
 */
import { defineModel } from '../../src/index.js';

export default defineModel({
  name: 'montecarlo',
  version: '1.0.0',
  description: 'pi estimate per item from ctx.random() draws (test and benchmark model)',
  columns: { draws: 'integer', inside: 'integer', pi_estimate: 'real', first_draw: 'real' },
  params: { draws: 1000 },
  analyze(_item: unknown, ctx) {
    const draws = ctx.params.draws as number;
    const first = ctx.random();
    let inside = 0;
    let x = first;
    for (let k = 0; k < draws; k++) {
      const y = ctx.random();
      if (x * x + y * y < 1) inside++;
      x = ctx.random();
    }
    return { draws, inside, first };
  },
  format(r) {
    return { draws: r.draws, inside: r.inside, pi_estimate: (4 * r.inside) / r.draws, first_draw: r.first };
  },
  report: {
    // `simrun report --sweep N`: per run (e.g. each replicate of --seeds), the pooled estimate of pi.
    totals(results, run) {
      const pi = results.query('SELECT 4.0 * sum(inside) / sum(draws) FROM montecarlo WHERE run_id = ?', [run.id]).rows[0]?.[0];
      return { totals: { pi: typeof pi === 'number' ? pi : null } };
    },
  },
});
