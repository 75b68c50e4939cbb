/**
 * The history's SQLite file: its schema (version kept in `meta`, a newer
 * file refused), opening it owner-only, and the small helpers every query
 * uses (one value, a filter's WHERE clause, transactions, column readers).
 */
import { dirname } from 'node:path'
import Database from 'libsql'
import { ExitError } from '../../errors.js'
import { ensureOwnerOnlyDir, ensureOwnerOnlyFile } from '../../ownerOnly.js'
import type { HistoryFilter } from './historyTypes.js'

/** Schema version, kept in `meta`; a newer file is refused. */
export const SCHEMA_VERSION = 1

/** The tables (created when missing). */
export const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (
  id TEXT PRIMARY KEY, market TEXT NOT NULL, mode TEXT NOT NULL,
  started_at INTEGER NOT NULL, ended_at INTEGER, end_reason TEXT,
  resumed INTEGER NOT NULL DEFAULT 0, version TEXT
);
CREATE TABLE IF NOT EXISTS orders (
  market TEXT NOT NULL, client_id INTEGER NOT NULL, session_id TEXT,
  cycle INTEGER NOT NULL, side TEXT NOT NULL, rung INTEGER NOT NULL,
  order_type TEXT NOT NULL, reason TEXT, price TEXT NOT NULL, quantity TEXT NOT NULL,
  filled_quantity TEXT NOT NULL DEFAULT '0', status TEXT NOT NULL,
  placed_at INTEGER NOT NULL, closed_at INTEGER, close_reason TEXT,
  PRIMARY KEY (market, client_id)
);
CREATE TABLE IF NOT EXISTS fills (
  market TEXT NOT NULL, client_id INTEGER NOT NULL, cumulative_quantity TEXT NOT NULL,
  session_id TEXT, cycle INTEGER NOT NULL, side TEXT NOT NULL, rung INTEGER NOT NULL,
  price TEXT NOT NULL, quantity TEXT NOT NULL, fee TEXT NOT NULL, fee_asset TEXT NOT NULL,
  reason TEXT, adopted INTEGER NOT NULL, at INTEGER NOT NULL, held TEXT NOT NULL,
  average_entry TEXT, take_profit_price TEXT,
  PRIMARY KEY (market, client_id, cumulative_quantity)
);
CREATE INDEX IF NOT EXISTS fills_at ON fills (at);
CREATE TABLE IF NOT EXISTS cycles (
  market TEXT NOT NULL, cycle INTEGER NOT NULL, session_id TEXT,
  started_at INTEGER, ended_at INTEGER, reason TEXT,
  cost TEXT, proceeds TEXT, fees TEXT, profit TEXT,
  carried_quantity TEXT, carried_cost TEXT,
  PRIMARY KEY (market, cycle)
);
CREATE TABLE IF NOT EXISTS leftover_sales (
  session_id TEXT NOT NULL, client_id INTEGER NOT NULL, market TEXT NOT NULL,
  asset TEXT NOT NULL, at INTEGER NOT NULL, quantity TEXT NOT NULL,
  proceeds TEXT NOT NULL, fee TEXT NOT NULL, fee_asset TEXT NOT NULL, order_id TEXT,
  PRIMARY KEY (session_id, client_id)
);
`

/** A row as libsql returns it. */
export type Row = Record<string, unknown>
/** A TEXT column. */
export const str = (v: unknown): string =>
  v === null || v === undefined ? '' : String(v)
/** A TEXT column that may be NULL. */
export const strOrNull = (v: unknown): string | null =>
  v === null || v === undefined ? null : String(v)
/** An INTEGER column that may be NULL. */
export const numOrNull = (v: unknown): number | null =>
  v === null || v === undefined ? null : Number(v)

/** The open database and its one-value query. */
export interface HistoryDb {
  /** The libsql database. */
  db: Database.Database
  /** One value of the first row of a query. */
  scalar(sql: string, ...args: unknown[]): unknown
}

/**
 * Opens (or creates) the history file, owner-only, in WAL mode, with its schema.
 * @throws {ExitError} (exit 1) when it cannot be opened or was written by a newer rung.
 */
export function openDatabase(path: string): HistoryDb {
  ensureOwnerOnlyDir(dirname(path))
  // Owner-only before SQLite opens it: its -wal and -shm files take the
  // database file's mode.
  ensureOwnerOnlyFile(path)
  let db: Database.Database
  try {
    db = new Database(path)
    db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;')
    db.exec(SCHEMA)
  } catch (cause) {
    throw new ExitError(
      1,
      `The trade history ${path} cannot be opened: ${(cause as Error).message}.\nFix: move the file away; \`rung history --rebuild\` writes it again from the journal.`,
      { cause },
    )
  }
  // One value of the first row. (libsql's `pluck().get()` returns the whole
  // row with a `_metadata` field; `pluck().all()` returns the values.)
  const scalar = (sql: string, ...args: unknown[]): unknown =>
    (
      db
        .prepare(sql)
        .pluck()
        .all(...args) as unknown[]
    )[0]
  const version = scalar("SELECT value FROM meta WHERE key = 'schema'")
  if (version === undefined || version === null)
    db.prepare("INSERT INTO meta (key, value) VALUES ('schema', ?)").run(
      String(SCHEMA_VERSION),
    )
  else if (Number(version) > SCHEMA_VERSION) {
    db.close()
    throw new ExitError(
      1,
      `The trade history ${path} was written by a newer rung (schema ${String(version)}).\nFix: upgrade rung, or move the file away and run \`rung history --rebuild\`.`,
    )
  }
  return { db, scalar }
}

/** A filter as a WHERE clause on `time` (a column or an expression) and its arguments. */
export function where(
  filter: HistoryFilter | undefined,
  time: string,
): [string, unknown[]] {
  const parts: string[] = []
  const args: unknown[] = []
  if (filter?.market !== undefined) {
    parts.push('market = ?')
    args.push(filter.market)
  }
  if (filter?.from !== undefined) {
    parts.push(`${time} >= ?`)
    args.push(filter.from)
  }
  if (filter?.to !== undefined) {
    parts.push(`${time} < ?`)
    args.push(filter.to)
  }
  return [parts.length === 0 ? '' : `WHERE ${parts.join(' AND ')}`, args]
}

/** Transactions on `db`; libsql's do not nest, so an inner one joins the outer. */
export function transactions(db: Database.Database): (fn: () => void) => void {
  let depth = 0
  return (fn: () => void) => {
    if (depth > 0) return fn()
    depth++
    try {
      db.transaction(fn)()
    } finally {
      depth--
    }
  }
}
