/**
 * Enums and options shared by the REST wire types (reference §1, §3, §4).
 * Backpack adds enum values over time, so response-side enums are open
 * (`| (string & {})`) while request-side ones are closed to catch typos.
 */

/** Order side: `Bid` buys, `Ask` sells. Case matters. */
export type Side = 'Bid' | 'Ask'

/** Order type as sent in requests. */
export type OrderType = 'Limit' | 'Market'

/** Time in force. Backpack's default is `GTC` (reference §9: per the Rust client). */
export type TimeInForce = 'GTC' | 'IOC' | 'FOK'

/**
 * Self-trade prevention mode. `RejectTaker` is Backpack's default. The Rust
 * client also knows `Allow` (UNCONFIRMED), accepted here.
 */
export type SelfTradePrevention =
  | 'RejectTaker'
  | 'RejectMaker'
  | 'RejectBoth'
  | 'Allow'

/** Reference price for trigger, stop-loss and take-profit orders. */
export type TriggerBy = 'MarkPrice' | 'LastPrice' | 'IndexPrice'

/**
 * Order status. The set is open: the Rust client also lists `Triggered`.
 */
export type OrderStatus =
  | 'New'
  | 'PartiallyFilled'
  | 'Filled'
  | 'Cancelled'
  | 'Expired'
  | 'TriggerPending'
  | 'TriggerFailed'
  | (string & {})

/** Market type. Open set (the Rust docs mention `MONAD`). */
export type MarketType =
  | 'SPOT'
  | 'PERP'
  | 'IPERP'
  | 'DATED'
  | 'PREDICTION'
  | 'RFQ'
  | (string & {})

/** Sort direction of history queries. */
export type SortDirection = 'Asc' | 'Desc'

/** Per-call options every endpoint function accepts. */
export interface RequestOptions {
  /** Aborts the request (and any retry wait); rejects with `NetworkError`. */
  signal?: AbortSignal | undefined
  /**
   * Overrides the client's timeout for this call (in ms); `false` disables
   * it.
   * @default the client's `timeoutMs`
   */
  timeoutMs?: number | false | undefined
}
