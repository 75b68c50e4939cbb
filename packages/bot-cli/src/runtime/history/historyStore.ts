/**
 * The trade history: every session, order, fill, cycle and leftover sale of
 * a data directory, across sessions, in an embedded SQLite database
 * (`<dataDir>/history.sqlite`, through `libsql`, which ships prebuilt
 * binaries: `npm ci` alone installs it, no compiler).
 *
 * It is written from the same trade records as the log lines
 * (`runtime/tradeRecord.ts`), which derive from the journalled events alone, so it
 * can always be rebuilt from the journal and its archive
 * (`rung history --rebuild`). Every write is an idempotent upsert keyed by
 * the record's identity (market + client id, + the cumulative quantity for
 * a fill, market + cycle for a cycle), so a record written twice (a replay
 * after a crash, a rebuild over a journal segment archived twice) is one
 * row.
 *
 * Money is stored as decimal TEXT and summed in JavaScript with exact
 * decimals: SQLite's own arithmetic is binary floating point.
 */
import { addDecimals } from '@rung/backpack-sdk'
import { openDatabase, str, transactions } from './historyDb.js'
import { createReaders } from './historyReader.js'
import type { HistoryStore } from './historyTypes.js'
import { createRecordWriter } from './historyWriter.js'

/** The history's file name inside the data directory. */
export const HISTORY_FILE = 'history.sqlite'

/** The history of `rung run --dry-run` (paper fills) in the data directory. */
export const DRY_RUN_HISTORY_FILE = 'history.dry-run.sqlite'

/**
 * Opens (or creates) the trade history, owner-only (0600, its directory
 * 0700).
 *
 * @param path - The database file, e.g. `<dataDir>/history.sqlite`.
 * @returns The open store.
 * @throws {ExitError} when the file is not a history database or was written by a newer version.
 * @example
 * ```ts
 * import { openHistory } from '@rung/bot-cli'
 * const history = openHistory('.rung/history.sqlite')
 * console.log(history.realisedTotal('BTC_USDC'))
 * history.close()
 * ```
 */
export function openHistory(path: string): HistoryStore {
  const { db, scalar } = openDatabase(path)
  const { writeOne, cycleMoney } = createRecordWriter(db)
  const tx = transactions(db)
  return {
    path,
    beginSession(s) {
      db.prepare(
        `INSERT INTO sessions (id, market, mode, started_at, resumed, version) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO NOTHING`,
      ).run(s.id, s.market, s.mode, s.startedAt, s.resumed ? 1 : 0, null)
    },
    endSession(id, endedAt, reason) {
      db.prepare(
        'UPDATE sessions SET ended_at = ?, end_reason = ? WHERE id = ?',
      ).run(endedAt, reason, id)
    },
    write(records, sessionId) {
      if (records.length === 0) return
      tx(() => {
        for (const r of records) writeOne(r, sessionId)
      })
    },
    writeLeftover(sale, sessionId) {
      db.prepare(
        `INSERT INTO leftover_sales (session_id, client_id, market, asset, at, quantity, proceeds, fee, fee_asset, order_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (session_id, client_id) DO NOTHING`,
      ).run(
        sessionId,
        sale.clientId,
        sale.market,
        sale.asset,
        sale.at,
        sale.quantity,
        sale.proceeds,
        sale.fee,
        sale.feeAsset,
        sale.orderId ?? null,
      )
    },
    realisedTotal(market) {
      let total = '0'
      for (const p of db
        .prepare(
          'SELECT profit FROM cycles WHERE market = ? AND profit IS NOT NULL',
        )
        .pluck()
        .all(market))
        total = addDecimals(total, str(p))
      return total
    },
    maxCycle(market) {
      const a = scalar('SELECT max(cycle) FROM cycles WHERE market = ?', market)
      const b = scalar('SELECT max(cycle) FROM orders WHERE market = ?', market)
      return Math.max(Number(a ?? 0), Number(b ?? 0))
    },
    ...createReaders(db, cycleMoney),
    clear() {
      tx(() => {
        for (const t of [
          'sessions',
          'orders',
          'fills',
          'cycles',
          'leftover_sales',
        ])
          db.exec(`DELETE FROM ${t}`)
      })
    },
    transaction: tx,
    close() {
      if (db.open) db.close()
    },
  }
}
