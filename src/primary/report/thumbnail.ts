/** Thumbnail sections of the HTML report: formats, file sizes, near-duplicate groups by dHash. */
import { existsSync, readFileSync } from 'node:fs';
import { quoteIdent, type DB } from '../store/store.js';
import type { RunTable } from '../store/run-rows.js';
import { histogram } from './charts.js';
import { html, section, table, type Html } from './html.js';
import { histogramBins } from './stats.js';

const NEAR_DUP_SQL = new URL('../../../../models/thumbnail/near-duplicates.sql', import.meta.url);
const LATEST_RUN = "(SELECT max(id) FROM runs WHERE model = 'thumbnail')";
/** The pairwise dHash comparison is quadratic: above this many images the section says so instead. */
export const NEAR_DUP_LIMIT = 5000;

const has = (t: RunTable, ...names: string[]) => names.every((n) => t.columns.some((c) => c.name === n));

function run<T>(db: DB, sql: string, runId: number): T[] {
  return db.prepare(sql).raw().all({ run: runId }) as T[];
}

function nearDuplicates(db: DB, t: RunTable): Html {
  const sql = existsSync(NEAR_DUP_SQL) ? readFileSync(NEAR_DUP_SQL, 'utf8') : '';
  if (!sql.includes(LATEST_RUN)) return html`<p class="note">near-duplicates.sql not found; section left out.</p>`;
  const n = db
    .prepare(`SELECT count(dhash) FROM ${quoteIdent(t.table)} WHERE run_id = ?`)
    .pluck()
    .get(t.run.id) as number;
  if (n > NEAR_DUP_LIMIT)
    return html`<p class="note">${n} images: the pairwise dHash comparison is left out above ${NEAR_DUP_LIMIT}; run models/thumbnail/near-duplicates.sql on a subset.</p>`;
  const rows = run<unknown[]>(db, sql.replace(LATEST_RUN, '@run'), t.run.id);
  return rows.length
    ? table(['image', 'near duplicates (dHash distance in bits)'], rows)
    : html`<p class="note">No two images within 6 bits of dHash distance.</p>`;
}

export function thumbnailSections(db: DB, t: RunTable): Html[] {
  const out: Html[] = [];
  const tbl = quoteIdent(t.table);
  if (has(t, 'format', 'bytes', 'width', 'height')) {
    const byFormat = run<unknown[]>(
      db,
      `SELECT format, count(*) AS images, sum(bytes) AS bytes, round(avg(width)) AS mean_width, round(avg(height)) AS mean_height,
         round(avg(width * height) / 1e6, 2) AS mean_megapixels FROM ${tbl} WHERE run_id = @run GROUP BY format ORDER BY images DESC, format`,
      t.run.id,
    );
    out.push(section('Images by format', table(['format', 'images', 'bytes', 'mean width', 'mean height', 'mean megapixels'], byFormat)));
    const bySize = run<unknown[]>(
      db,
      `SELECT CASE WHEN bytes < 1e5 THEN '< 100 kB' WHEN bytes < 1e6 THEN '100 kB - 1 MB' WHEN bytes < 1e7 THEN '1 - 10 MB' ELSE '>= 10 MB' END AS size,
         count(*) AS images, min(bytes) AS min_bytes, max(bytes) AS max_bytes FROM ${tbl} WHERE run_id = @run GROUP BY size ORDER BY min(bytes)`,
      t.run.id,
    );
    out.push(
      section(
        'File sizes',
        table(['size', 'images', 'smallest (bytes)', 'largest (bytes)'], bySize),
        histogram(histogramBins(db, t, 'bytes', 20), { title: 'File size distribution', xLabel: 'bytes', yLabel: 'images' }),
      ),
    );
  }
  if (has(t, 'dhash', 'path')) out.push(section('Near-duplicate images (dHash)', nearDuplicates(db, t)));
  return out;
}
