/**
 * The SQL views a model declares (Model.views), created beside its results table when a run
 * starts, inside the run's first transaction: a view whose SQL SQLite refuses stops the run
 * before anything is written.
 */
import { modelError } from '../../errors.js';
import { quoteIdent, type DB } from './store.js';

/** Replaces each view (a new model version may change its SQL); refuses a name taken by a table. */
export function ensureModelViews(db: DB, model: string, views: Record<string, string> | undefined): void {
  for (const [name, sql] of Object.entries(views ?? {})) {
    const taken = db.prepare(`SELECT type FROM sqlite_master WHERE lower(name) = lower(?) AND type != 'view'`).pluck().get(name) as
      string | undefined;
    if (taken) throw modelError(`model ${model} declares a view ${name}, but this database has a ${taken} of that name; rename the view`);
    try {
      db.exec(`DROP VIEW IF EXISTS ${quoteIdent(name)}`);
      // prepare, not exec: a declaration holding a second statement ("SELECT 1; DROP ...") is refused.
      db.prepare(`CREATE VIEW ${quoteIdent(name)} AS ${sql}`).run();
      // SQLite checks a view's tables and columns only when it is used: use it once, now.
      db.prepare(`SELECT * FROM ${quoteIdent(name)} LIMIT 0`).all();
    } catch (err) {
      throw modelError(`model ${model}: its view ${name} cannot be created: ${(err as Error).message}`, err);
    }
  }
}
