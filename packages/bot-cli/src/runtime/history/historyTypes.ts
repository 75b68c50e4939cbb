/** The shapes of the trade history: its rows, its filters and the store itself. */
import type { TradeRecord } from '../tradeRecord.js'

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
