/** The thumbnail model's report sections: formats, file sizes, near-duplicate groups by dHash. */
import { existsSync, readFileSync } from 'node:fs';
import type { ModelReport, ReportSection, ResultsReader, RunInfo } from '../../src/index.js';

/** The researcher's query file, beside this module in the source tree (dist/models/thumbnail when compiled). */
const SQL_FILES = [
  new URL('./near-duplicates.sql', import.meta.url),
  new URL('../../../models/thumbnail/near-duplicates.sql', import.meta.url),
];
const LATEST_RUN = "(SELECT max(id) FROM runs WHERE model = 'thumbnail')";
/** The pairwise dHash comparison is quadratic: above this many images the section says so instead. */
export const NEAR_DUP_LIMIT = 5000;

function nearDuplicates(results: ResultsReader, run: RunInfo): ReportSection {
  const title = 'Near-duplicate images (dHash)';
  const file = SQL_FILES.find((f) => existsSync(f));
  const sql = file ? readFileSync(file, 'utf8') : '';
  if (!sql.includes(LATEST_RUN)) return { title, note: 'near-duplicates.sql not found; section left out.' };
  const n = Number(results.query('SELECT count(dhash) FROM thumbnail WHERE run_id = ?', [run.id]).rows[0]?.[0] ?? 0);
  if (n > NEAR_DUP_LIMIT)
    return {
      title,
      note: `${n} images: the pairwise dHash comparison is left out above ${NEAR_DUP_LIMIT}; run models/thumbnail/near-duplicates.sql on a subset.`,
    };
  const t = results.query(sql.replace(LATEST_RUN, '@run'), { run: run.id });
  if (!t.rows.length) return { title, note: 'No two images within 6 bits of dHash distance.' };
  return { title, table: { columns: ['image', 'near duplicates (dHash distance in bits)'], rows: t.rows } };
}

export const thumbnailReport: ModelReport = {
  sections(results, run) {
    const columns = new Set(results.query("SELECT name FROM pragma_table_info('thumbnail')").rows.map((r) => r[0]));
    const has = (...names: string[]) => names.every((n) => columns.has(n));
    const out: ReportSection[] = [];
    if (has('format', 'bytes', 'width', 'height')) {
      const byFormat = results.query(
        `SELECT format, count(*) AS images, sum(bytes) AS bytes, round(avg(width)) AS mean_width, round(avg(height)) AS mean_height,
           round(avg(width * height) / 1e6, 2) AS mean_megapixels FROM thumbnail WHERE run_id = @run GROUP BY format ORDER BY images DESC, format`,
        { run: run.id },
      );
      out.push({ title: 'Images by format', table: byFormat });
      const bySize = results.query(
        `SELECT CASE WHEN bytes < 1e5 THEN '< 100 kB' WHEN bytes < 1e6 THEN '100 kB - 1 MB' WHEN bytes < 1e7 THEN '1 - 10 MB' ELSE '>= 10 MB' END AS size,
           count(*) AS images, min(bytes) AS smallest_bytes, max(bytes) AS largest_bytes FROM thumbnail WHERE run_id = @run GROUP BY size ORDER BY min(bytes)`,
        { run: run.id },
      );
      out.push({
        title: 'File sizes',
        table: bySize,
        chart: { kind: 'histogram', column: 'bytes', bins: 20, title: 'File size distribution', xLabel: 'bytes', yLabel: 'images' },
      });
    }
    if (has('dhash', 'path')) out.push(nearDuplicates(results, run));
    return out;
  },
};
