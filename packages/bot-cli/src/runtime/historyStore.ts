/**
 * The trade history: every session, order, fill, cycle and leftover sale of
 * a data directory, across sessions, in an embedded SQLite database
 * (`<dataDir>/history.sqlite`, through `libsql`, which ships prebuilt
 * binaries: `npm ci` alone installs it, no compiler).
 *
 * It is written from the same trade records as the log lines
 * (`tradeRecord.ts`), which derive from the journalled events alone, so it
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
import { dirname } from 'node:path'
import { addDecimals, multiplyDecimals } from '@rung/backpack-sdk'
import Database from 'libsql'
import { ExitError } from '../errors.js'
import { ensureOwnerOnlyDir, ensureOwnerOnlyFile } from '../ownerOnly.js'
import type { TradeRecord } from './tradeRecord.js'

/** The history's file name inside the data directory. */
export const HISTORY_FILE = 'history.sqlite'

/** Schema version, kept in `meta`; a newer file is refused. */
const SCHEMA_VERSION = 1

const SCHEMA = `
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

/** A session: one start of the bot on the data directory. */
export interface SessionRow {
  /** Random id, also written to the journal. */
  id: string
  /** Market. */
  market: string
  /** `live`, `paper` or `dry-run`. */
  mode: string
  /** Start (ms). */
  startedAt: number
  /** End (ms), or null while running (or after a crash). */
  endedAt: number | null
  /** How it ended: `signal`, `stopped`, `failed`..., or null. */
  endReason: string | null
  /** Whether it resumed a cycle from the journal. */
  resumed: boolean
}

/** A cycle of the history. */
export interface CycleRow {
  /** Market. */
  market: string
  /** Cycle number. */
  cycle: number
  /** Session that completed it (or started it, while open). */
  sessionId: string | null
  /** First ladder (ms), null when unknown. */
  startedAt: number | null
  /** End (ms), null while open. */
  endedAt: number | null
  /** `takeProfit`, `stopLoss`..., null while open. */
  reason: string | null
  /** What the cycle's buys cost (quote, sum of price x quantity). */
  cost: string
  /** What its sells received (quote). */
  proceeds: string
  /** Its fees (quote), null while open. */
  fees: string | null
  /** Its profit after fees (quote), null while open. */
  profit: string | null
  /** Base asset carried into the next cycle, null while open. */
  carriedQuantity: string | null
  /** Cost basis of the carried quantity, null while open. */
  carriedCost: string | null
}

/** A fill of the history. */
export interface FillRow {
  /** Market. */
  market: string
  /** Cycle. */
  cycle: number
  /** Client id of the order. */
  clientId: number
  /** `buy` or `sell`. */
  side: string
  /** Rung index, -1 for sells. */
  rung: number
  /** Price. */
  price: string
  /** Quantity. */
  quantity: string
  /** Fee. */
  fee: string
  /** `quote` or `base`. */
  feeAsset: string
  /** Why a sell sold, null for buys. */
  reason: string | null
  /** Learned from a reconcile. */
  adopted: boolean
  /** Time (ms). */
  at: number
  /** Average entry after it. */
  averageEntry: string | null
  /** Take-profit target after it. */
  takeProfitPrice: string | null
  /** Session. */
  sessionId: string | null
}

/** A leftover balance the bot sold at start (`sellNonUsdcAssets`). */
export interface LeftoverSale {
  /** The sell's client id (below 1024). */
  clientId: number
  /** Market it was sold on. */
  market: string
  /** The asset sold. */
  asset: string
  /** Time (ms). */
  at: number
  /** Quantity sold. */
  quantity: string
  /** What it received (quote). */
  proceeds: string
  /** Fee. */
  fee: string
  /** `quote` or `base`. */
  feeAsset: string
  /** The exchange's order id, when known. */
  orderId?: string | undefined
}

/** A leftover sale as the history keeps it. */
export interface LeftoverSaleRow extends LeftoverSale {
  /** The session that made it. */
  sessionId: string
}

/** Filters of the history queries; times in ms, `to` exclusive. */
export interface HistoryFilter {
  /** Only this market. */
  market?: string | undefined
  /** From this time on. */
  from?: number | undefined
  /** Before this time. */
  to?: number | undefined
}

/** An open trade history. */
export interface HistoryStore {
  /** The database file. */
  readonly path: string
  /** Records a session start (idempotent). */
  beginSession(session: Omit<SessionRow, 'endedAt' | 'endReason'>): void
  /** Records a session end. */
  endSession(id: string, endedAt: number, reason: string): void
  /** Writes the records of one step, in one transaction. */
  write(records: readonly TradeRecord[], sessionId: string | null): void
  /** Records a leftover sale. */
  writeLeftover(sale: LeftoverSale, sessionId: string): void
  /** Sum of the completed cycles' profits (all sessions). */
  realisedTotal(market: string): string
  /** The highest cycle number recorded for the market (0 when none). */
  maxCycle(market: string): number
  /** Sessions, oldest first. */
  sessions(filter?: HistoryFilter): SessionRow[]
  /** Cycles (completed or open), oldest first; filtered on their end (or start while open). */
  cycles(filter?: HistoryFilter): CycleRow[]
  /** Fills, oldest first. */
  fills(filter?: HistoryFilter): FillRow[]
  /** Leftover sales, oldest first. */
  leftovers(filter?: HistoryFilter): LeftoverSaleRow[]
  /** Deletes every row (before a rebuild). */
  clear(): void
  /** Runs `fn` in one transaction. */
  transaction(fn: () => void): void
  /** Closes the database. */
  close(): void
}

type Row = Record<string, unknown>
const str = (v: unknown): string =>
  v === null || v === undefined ? '' : String(v)
const strOrNull = (v: unknown): string | null =>
  v === null || v === undefined ? null : String(v)
const numOrNull = (v: unknown): number | null =>
  v === null || v === undefined ? null : Number(v)

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

  const upsertOrder = db.prepare(`
    INSERT INTO orders (market, client_id, session_id, cycle, side, rung, order_type, reason,
      price, quantity, status, placed_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?)
    ON CONFLICT (market, client_id) DO NOTHING`)
  const closeOrder = db.prepare(`
    UPDATE orders SET status = ?, filled_quantity = ?, closed_at = ?, close_reason = ?
    WHERE market = ? AND client_id = ?`)
  const fillOrder = db.prepare(`
    UPDATE orders SET filled_quantity = ?, status = CASE WHEN ? THEN 'filled' ELSE status END,
      closed_at = CASE WHEN ? THEN ? ELSE closed_at END
    WHERE market = ? AND client_id = ?`)
  const insertFill = db.prepare(`
    INSERT INTO fills (market, client_id, cumulative_quantity, session_id, cycle, side, rung,
      price, quantity, fee, fee_asset, reason, adopted, at, held, average_entry, take_profit_price)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (market, client_id, cumulative_quantity) DO NOTHING`)
  const startCycle = db.prepare(`
    INSERT INTO cycles (market, cycle, session_id, started_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (market, cycle) DO NOTHING`)
  const cycleFills = db.prepare(
    'SELECT side, price, quantity FROM fills WHERE market = ? AND cycle = ?',
  )
  const endCycle = db.prepare(`
    INSERT INTO cycles (market, cycle, session_id, ended_at, reason, cost, proceeds, fees, profit,
      carried_quantity, carried_cost)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (market, cycle) DO UPDATE SET session_id = excluded.session_id,
      ended_at = excluded.ended_at, reason = excluded.reason, cost = excluded.cost,
      proceeds = excluded.proceeds, fees = excluded.fees, profit = excluded.profit,
      carried_quantity = excluded.carried_quantity, carried_cost = excluded.carried_cost`)

  /** Cost and proceeds of a cycle from its fills, exact. */
  const cycleMoney = (market: string, cycle: number) => {
    let cost = '0'
    let proceeds = '0'
    for (const f of cycleFills.all(market, cycle) as Row[]) {
      const notional = multiplyDecimals(str(f.price), str(f.quantity))
      if (f.side === 'buy') cost = addDecimals(cost, notional)
      else proceeds = addDecimals(proceeds, notional)
    }
    return { cost, proceeds }
  }

  const writeOne = (r: TradeRecord, session: string | null) => {
    switch (r.kind) {
      case 'orderPlaced':
        upsertOrder.run(
          r.market,
          r.clientId,
          session,
          r.cycle,
          r.side,
          r.rung,
          r.orderType,
          r.reason ?? null,
          r.price,
          r.quantity,
          r.at,
        )
        return
      case 'orderCanceled':
      case 'orderRejected':
        closeOrder.run(
          r.kind === 'orderCanceled' ? 'canceled' : 'rejected',
          r.filledQuantity,
          r.at,
          r.reason ?? null,
          r.market,
          r.clientId,
        )
        return
      case 'fill':
        insertFill.run(
          r.market,
          r.clientId,
          r.cumulativeQuantity,
          session,
          r.cycle,
          r.side,
          r.rung,
          r.price,
          r.quantity,
          r.fee,
          r.feeAsset,
          r.reason ?? null,
          r.adopted ? 1 : 0,
          r.at,
          r.held,
          r.averageEntry,
          r.takeProfitPrice,
        )
        fillOrder.run(
          r.cumulativeQuantity,
          r.orderFilled ? 1 : 0,
          r.orderFilled ? 1 : 0,
          r.at,
          r.market,
          r.clientId,
        )
        return
      case 'cycleStarted':
        startCycle.run(r.market, r.cycle, session, r.at)
        return
      case 'cycleCompleted': {
        const { cost, proceeds } = cycleMoney(r.market, r.cycle)
        endCycle.run(
          r.market,
          r.cycle,
          session,
          r.at,
          r.reason,
          cost,
          proceeds,
          r.fees,
          r.profit,
          r.carriedQuantity,
          r.carriedCost,
        )
        return
      }
    }
  }

  const where = (
    filter: HistoryFilter | undefined,
    time: string,
  ): [string, unknown[]] => {
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

  // libsql's transactions do not nest: an inner one joins the outer.
  let depth = 0
  const tx = (fn: () => void) => {
    if (depth > 0) return fn()
    depth++
    try {
      db.transaction(fn)()
    } finally {
      depth--
    }
  }

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
    sessions(filter) {
      const [w, args] = where(filter, 'started_at')
      return (
        db
          .prepare(`SELECT * FROM sessions ${w} ORDER BY started_at`)
          .all(...args) as Row[]
      ).map((r) => ({
        id: str(r.id),
        market: str(r.market),
        mode: str(r.mode),
        startedAt: Number(r.started_at),
        endedAt: numOrNull(r.ended_at),
        endReason: strOrNull(r.end_reason),
        resumed: Number(r.resumed) === 1,
      }))
    },
    cycles(filter) {
      const [w, args] = where(filter, 'coalesce(ended_at, started_at)')
      return (
        db
          .prepare(
            `SELECT * FROM cycles ${w} ORDER BY coalesce(ended_at, started_at), cycle`,
          )
          .all(...args) as Row[]
      ).map((r) => {
        const money =
          r.cost === null || r.cost === undefined
            ? cycleMoney(str(r.market), Number(r.cycle))
            : { cost: str(r.cost), proceeds: str(r.proceeds) }
        return {
          market: str(r.market),
          cycle: Number(r.cycle),
          sessionId: strOrNull(r.session_id),
          startedAt: numOrNull(r.started_at),
          endedAt: numOrNull(r.ended_at),
          reason: strOrNull(r.reason),
          ...money,
          fees: strOrNull(r.fees),
          profit: strOrNull(r.profit),
          carriedQuantity: strOrNull(r.carried_quantity),
          carriedCost: strOrNull(r.carried_cost),
        }
      })
    },
    fills(filter) {
      const [w, args] = where(filter, 'at')
      return (
        db
          .prepare(`SELECT * FROM fills ${w} ORDER BY at, client_id`)
          .all(...args) as Row[]
      ).map((r) => ({
        market: str(r.market),
        cycle: Number(r.cycle),
        clientId: Number(r.client_id),
        side: str(r.side),
        rung: Number(r.rung),
        price: str(r.price),
        quantity: str(r.quantity),
        fee: str(r.fee),
        feeAsset: str(r.fee_asset),
        reason: strOrNull(r.reason),
        adopted: Number(r.adopted) === 1,
        at: Number(r.at),
        averageEntry: strOrNull(r.average_entry),
        takeProfitPrice: strOrNull(r.take_profit_price),
        sessionId: strOrNull(r.session_id),
      }))
    },
    leftovers(filter) {
      const [w, args] = where(filter, 'at')
      return (
        db
          .prepare(`SELECT * FROM leftover_sales ${w} ORDER BY at, client_id`)
          .all(...args) as Row[]
      ).map((r) => ({
        sessionId: str(r.session_id),
        clientId: Number(r.client_id),
        market: str(r.market),
        asset: str(r.asset),
        at: Number(r.at),
        quantity: str(r.quantity),
        proceeds: str(r.proceeds),
        fee: str(r.fee),
        feeAsset: str(r.fee_asset),
        ...(r.order_id === null ? {} : { orderId: str(r.order_id) }),
      }))
    },
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
