/**
 * The engine's data: orders, accounts, balances, the ledger, fills, trades,
 * the books, and what the engine reports to its listeners. The wire enums
 * (side, time in force, self-trade prevention, order type and status) are the
 * SDK's: the simulator speaks the same protocol.
 *
 * @internal
 */
import type {
  OrderType,
  SelfTradePrevention,
  Side,
  TimeInForce,
  OrderStatus as WireOrderStatus,
} from '@rung/backpack-sdk'
import type { FeeRate } from '../decimal.js'
import type { Market } from '../markets.js'

/**
 * The statuses the simulator gives an order: the SDK's (open) set narrowed
 * to the five a spot order without triggers can reach, so a `switch` over
 * them stays exhaustive.
 */
export type OrderStatus = Extract<
  WireOrderStatus,
  'New' | 'PartiallyFilled' | 'Filled' | 'Cancelled' | 'Expired'
>

export interface EngineOrder {
  id: string
  seq: number
  account: Account
  market: Market
  side: Side
  type: OrderType
  price: bigint | undefined
  quantity: bigint | undefined
  quoteQuantity: bigint | undefined
  executedQty: bigint
  executedQuote: bigint
  timeInForce: TimeInForce
  postOnly: boolean
  clientId: number | undefined
  stp: SelfTradePrevention
  status: OrderStatus
  createdAt: number
  expiryReason: string | undefined
  /** Funds still held for this order (quote for a bid, base for an ask). */
  locked: bigint
  /**
   * The account's balances of the market's base and quote assets, looked up
   * once when the order is checked against its funds (the hot path of a
   * fill reads them without a map lookup). {@link UNSET_BALANCE} before.
   */
  baseBalance: Balance
  quoteBalance: Balance
}

/**
 * What an order's balance fields hold before its funds are checked: frozen,
 * so that a write through it throws instead of moving funds nowhere.
 */
export const UNSET_BALANCE: Balance = Object.freeze({
  available: 0n,
  locked: 0n,
})

export interface Balance {
  available: bigint
  locked: bigint
}

export interface LedgerEntry {
  /** ms */
  time: number
  asset: string
  /** Signed change of the account's total. */
  change: bigint
  kind: 'initial' | 'credit' | 'trade' | 'fee'
  /** Order id or trade id the change belongs to. */
  ref: string | undefined
}

export interface Account {
  key: string
  internal: boolean
  makerBps: bigint
  takerBps: bigint
  /** The same rates in the form a fill's fee is worked out with. */
  makerFee: FeeRate
  takerFee: FeeRate
  balances: Map<string, Balance>
  /**
   * The account's ledger in order: credits as {@link LedgerEntry} lines, and
   * each fill as its {@link FillRecord}, which stands for the fill's two or
   * three lines (what it gave, what it got, its fee); `ledgerEntries` in
   * `accounts.ts` reads the lines out. A fill is recorded once, not
   * four times, on the hot path.
   */
  ledger: (LedgerEntry | FillRecord)[]
  /** Every order (open and closed) of a user account; empty for internal accounts. */
  history: EngineOrder[]
  fills: FillRecord[]
  open: Map<string, EngineOrder>
}

export interface FillRecord {
  tradeId: number
  order: EngineOrder
  price: bigint
  quantity: bigint
  fee: bigint
  feeSymbol: string
  /** The fill's quote amount (price × quantity, rounded down). */
  quote: bigint
  isMaker: boolean
  time: number
}

export interface TradeRecord {
  id: number
  market: Market
  price: bigint
  quantity: bigint
  quote: bigint
  time: number
  isBuyerMaker: boolean
  buyerOrderId: string
  sellerOrderId: string
}

/** One price level of a book: its orders in time priority. */
export interface Level {
  price: bigint
  orders: EngineOrder[]
}

export interface Book {
  market: Market
  bids: Level[] // best (highest) first
  asks: Level[] // best (lowest) first
  updateId: number
  tradeSeq: number
  lastPrice: bigint | undefined
  /** Feed's current fair price, used as the band reference before any trade. */
  referencePrice: bigint | undefined
  /** The price band last worked out, with the reference it is for (a cache). */
  band: PriceBand | undefined
  /** Fees collected on this book's fills so far, in its base and quote assets (units). */
  fees: { base: bigint; quote: bigint }
}

/** The limit prices a reference price allows (reference × the market's multipliers). */
export interface PriceBand {
  market: Market
  ref: bigint
  lo: bigint
  hi: bigint
}

export type OrderEventType =
  | 'orderAccepted'
  | 'orderCancelled'
  | 'orderExpired'
  | 'orderFill'

export interface EngineListener {
  orderEvent(
    order: EngineOrder,
    event: OrderEventType,
    fill: FillRecord | undefined,
  ): void
  trade(trade: TradeRecord): void
  depth(
    market: Market,
    bids: [bigint, bigint][],
    asks: [bigint, bigint][],
    updateId: number,
  ): void
}

/** Raw order request as it arrives (JSON values). */
export interface OrderRequest {
  symbol?: unknown
  side?: unknown
  orderType?: unknown
  price?: unknown
  quantity?: unknown
  quoteQuantity?: unknown
  timeInForce?: unknown
  postOnly?: unknown
  clientId?: unknown
  selfTradePrevention?: unknown
  [key: string]: unknown
}

export interface EngineOptions {
  markets: Market[]
  now: () => number
  makerFeeBps: string
  takerFeeBps: string
  initialBalances: Record<string, string>
}
