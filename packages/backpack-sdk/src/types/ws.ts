/**
 * WebSocket wire types: the parsed, readable form of every stream payload in
 * the API reference §6.5 (public) and §6.6 (private).
 *
 * Conventions (decided once, see docs/streams.md):
 * - Decimals stay strings exactly as the exchange sent them ({@link WsDecimal}).
 * - Time fields keep the exchange's unit and carry it in their name:
 *   `eventTimeUs` / `engineTimeUs` are integer microseconds (reference §6.4),
 *   `nextFundingTimeMs`, `submissionDeadlineMs`, `expiresAtMs` milliseconds,
 *   kline `startTime` / `closeTime` the ISO strings the exchange sends. µs
 *   epochs (~1.7e15) are far below 2^53, so a JS number holds them exactly.
 * - Keys the reference lists as conditional are optional properties.
 *
 * @module
 */

/**
 * A decimal number kept as the exchange's string, e.g. `"178.15"`. Never
 * converted to a JS number; do arithmetic through the SDK's decimal module.
 */
export type WsDecimal = string

/** Order side as the exchange spells it: `Bid` is a buy, `Ask` a sell. */
export type WsSide = 'Bid' | 'Ask'

/** `bookTicker.<symbol>`: best bid and ask, pushed on every change. */
export interface BookTickerEvent {
  /** Always `'bookTicker'` (key `e`). */
  eventType: 'bookTicker'
  /** When the WS server emitted the message, µs since the epoch (key `E`). */
  eventTimeUs: number
  /** Market symbol, e.g. `SOL_USDC` (key `s`). */
  symbol: string
  /** Best ask price (key `a`). */
  bestAskPrice: WsDecimal
  /** Quantity at the best ask (key `A`). */
  bestAskQuantity: WsDecimal
  /** Best bid price (key `b`). */
  bestBidPrice: WsDecimal
  /** Quantity at the best bid (key `B`). */
  bestBidQuantity: WsDecimal
  /** Update id as a decimal integer string (key `u`; sent as a string or a number). */
  updateId: string
  /** Matching-engine time, µs since the epoch (key `T`). */
  engineTimeUs: number
}

/** One price level: `[price, quantity]`, both decimal strings. */
export type WsLevel = [price: WsDecimal, quantity: WsDecimal]

/**
 * `depth.<symbol>` and the aggregated `depth.200ms|600ms|1000ms.<symbol>`:
 * changes to the order book. Each quantity is the new absolute size; a zero
 * quantity removes the level.
 */
export interface DepthEvent {
  /** Always `'depth'` (key `e`). */
  eventType: 'depth'
  /** When the WS server emitted the message, µs since the epoch (key `E`). */
  eventTimeUs: number
  /** Market symbol (key `s`). */
  symbol: string
  /** Ask levels that changed (key `a`); may be empty. */
  asks: WsLevel[]
  /** Bid levels that changed (key `b`); may be empty. */
  bids: WsLevel[]
  /** First update id folded into this message (key `U`). */
  firstUpdateId: number
  /** Last update id folded into this message (key `u`). */
  lastUpdateId: number
  /** Matching-engine time of the last folded update, µs (key `T`). */
  engineTimeUs: number
}

/** `trade.<symbol>`: one public trade (liquidation trades included). */
export interface TradeEvent {
  /** Always `'trade'` (key `e`). */
  eventType: 'trade'
  /** When the WS server emitted the message, µs since the epoch (key `E`). */
  eventTimeUs: number
  /** Market symbol (key `s`). */
  symbol: string
  /** Trade price (key `p`). */
  price: WsDecimal
  /** Trade quantity (key `q`). */
  quantity: WsDecimal
  /** Buyer's order id (key `b`). */
  buyerOrderId: string
  /** Seller's order id (key `a`). */
  sellerOrderId: string
  /** Trade id, sequential per symbol (key `t`). */
  tradeId: number
  /** Matching-engine time, µs since the epoch (key `T`). */
  engineTimeUs: number
  /** `true` when the buyer was the maker, i.e. the taker sold (key `m`). */
  buyerIsMaker: boolean
}

/** `ticker.<symbol>`: rolling 24 h statistics, about once a second. */
export interface TickerEvent {
  /** Always `'ticker'` (key `e`). */
  eventType: 'ticker'
  /** When the WS server emitted the message, µs since the epoch (key `E`). */
  eventTimeUs: number
  /** Market symbol (key `s`). */
  symbol: string
  /** First price of the window (key `o`). */
  firstPrice: WsDecimal
  /** Last price (key `c`). */
  lastPrice: WsDecimal
  /** Highest price of the window (key `h`). */
  highPrice: WsDecimal
  /** Lowest price of the window (key `l`). */
  lowPrice: WsDecimal
  /** Base-asset volume (key `v`). */
  baseVolume: WsDecimal
  /** Quote-asset volume (key `V`). */
  quoteVolume: WsDecimal
  /** Number of trades (key `n`). */
  tradeCount: number
}

/** `kline.<interval>.<symbol>`: a candle update; a final one has `closed: true`. */
export interface KlineEvent {
  /** Always `'kline'` (key `e`). */
  eventType: 'kline'
  /** When the WS server emitted the message, µs since the epoch (key `E`). */
  eventTimeUs: number
  /** Market symbol (key `s`). */
  symbol: string
  /** Candle start as the exchange's ISO string, e.g. `"2025-08-06T22:00:00"` (key `t`). */
  startTime: string
  /** Candle close as the exchange's ISO string (key `T`). */
  closeTime: string
  /** Open price (key `o`). */
  open: WsDecimal
  /** Close (latest) price (key `c`). */
  close: WsDecimal
  /** High price (key `h`). */
  high: WsDecimal
  /** Low price (key `l`). */
  low: WsDecimal
  /** Base-asset volume (key `v`). */
  baseVolume: WsDecimal
  /** Number of trades (key `n`). */
  tradeCount: number
  /** Whether the candle is closed (key `X`). */
  closed: boolean
}

/** `markPrice.<symbol>`: mark and index price plus the funding estimate. */
export interface MarkPriceEvent {
  /** Always `'markPrice'` (key `e`). */
  eventType: 'markPrice'
  /** When the WS server emitted the message, µs since the epoch (key `E`). */
  eventTimeUs: number
  /** Market symbol (key `s`). */
  symbol: string
  /** Mark price (key `p`). */
  markPrice: WsDecimal
  /** Estimated funding rate, may carry many decimals (key `f`; absent for prediction markets). */
  fundingRate?: WsDecimal
  /** Index price (key `i`; absent for prediction markets). */
  indexPrice?: WsDecimal
  /** Next funding time, **ms** since the epoch (key `n`; absent for prediction markets). */
  nextFundingTimeMs?: number
  /** Matching-engine time, µs since the epoch (key `T`). */
  engineTimeUs: number
}

/** `openInterest.<symbol>`: open interest, every 60 s. */
export interface OpenInterestEvent {
  /** Always `'openInterest'` (key `e`). */
  eventType: 'openInterest'
  /** When the WS server emitted the message, µs since the epoch (key `E`). */
  eventTimeUs: number
  /** Market symbol (key `s`). */
  symbol: string
  /** Open interest in contracts (key `o`). */
  openInterest: WsDecimal
}

/** `liquidation` (or `liquidation.<symbol>`, UNCONFIRMED): a liquidation. */
export interface LiquidationEvent {
  /** Always `'liquidation'` (key `e`). */
  eventType: 'liquidation'
  /** When the WS server emitted the message, µs since the epoch (key `E`). */
  eventTimeUs: number
  /** Market symbol (key `s`). */
  symbol: string
  /** Liquidated quantity (key `q`). */
  quantity: WsDecimal
  /** Liquidation price (key `p`). */
  price: WsDecimal
  /** Side (key `S`). */
  side: WsSide
  /** Matching-engine time, µs since the epoch (key `T`; optional, not in every source). */
  engineTimeUs?: number
}

/** Event types of the order-update stream; other strings are passed through. */
export type OrderUpdateEventType =
  | 'orderAccepted'
  | 'orderCancelled'
  | 'orderExpired'
  | 'orderFill'
  | 'orderModified'
  | 'triggerPlaced'
  | 'triggerFailed'
  | (string & {})

/** `account.orderUpdate[.<symbol>]`: a change to one of your orders. */
export interface OrderUpdateEvent {
  /** What happened (key `e`). */
  eventType: OrderUpdateEventType
  /** When the WS server emitted the message, µs since the epoch (key `E`). */
  eventTimeUs: number
  /** Market symbol (key `s`). */
  symbol: string
  /** Exchange order id (key `i`). */
  orderId: string
  /** Your client order id, when you set one (key `c`). */
  clientId?: number
  /** Side (key `S`). */
  side: WsSide
  /** Order type, upper case on this stream: `LIMIT` / `MARKET` (key `o`). */
  orderType: string
  /** Time in force, e.g. `GTC` (key `f`). */
  timeInForce?: string
  /** Order quantity (key `q`). */
  quantity?: WsDecimal
  /** Quote quantity (key `Q`). */
  quoteQuantity?: WsDecimal
  /** Limit price (key `p`). */
  price?: WsDecimal
  /** Trigger price (key `P`). */
  triggerPrice?: WsDecimal
  /** Trigger reference: `LastPrice` / `MarkPrice` / `IndexPrice` (key `B`). */
  triggerBy?: string
  /** Take-profit trigger price (key `a`). */
  takeProfitTriggerPrice?: WsDecimal
  /** Stop-loss trigger price (key `b`). */
  stopLossTriggerPrice?: WsDecimal
  /** Take-profit limit price (key `j`). */
  takeProfitLimitPrice?: WsDecimal
  /** Stop-loss limit price (key `k`). */
  stopLossLimitPrice?: WsDecimal
  /** Take-profit trigger reference (key `d`). */
  takeProfitTriggerBy?: string
  /** Stop-loss trigger reference (key `g`). */
  stopLossTriggerBy?: string
  /** Trigger quantity: an amount or a percentage such as `"80%"` (key `Y`). */
  triggerQuantity?: string
  /** Order status with the REST spellings, e.g. `New`, `Filled` (key `X`). */
  status: string
  /** Why the order expired, kept as sent (key `R`; `orderExpired` only). */
  expiryReason?: string
  /** Trade id of this fill (key `t`; absent when the exchange sends `null`). */
  tradeId?: number
  /** Quantity of this fill (key `l`). */
  fillQuantity?: WsDecimal
  /** Price of this fill (key `L`). */
  fillPrice?: WsDecimal
  /** Whether this fill was as maker (key `m`). */
  isMaker?: boolean
  /** Fee of this fill (key `n`). */
  fee?: WsDecimal
  /** Asset the fee was paid in (key `N`). */
  feeAsset?: string
  /** Cumulative executed quantity (key `z`). */
  executedQuantity?: WsDecimal
  /** Cumulative executed quote quantity (key `Z`). */
  executedQuoteQuantity?: WsDecimal
  /** Self-trade-prevention mode (key `V`). */
  selfTradePrevention?: string
  /** Matching-engine time, µs since the epoch (key `T`). */
  engineTimeUs: number
  /** Origin, e.g. `USER`, `LIQUIDATION_AUTOCLOSE` (key `O`). */
  origin?: string
  /** Related order id (key `I`). */
  relatedOrderId?: string
  /** Strategy id (key `H`). */
  strategyId?: string
  /** Post-only flag (key `y`). */
  postOnly?: boolean
  /** Reduce-only flag (key `r`). */
  reduceOnly?: boolean
}

/**
 * `account.positionUpdate[.<symbol>]`: a position change. The message sent
 * right after subscribing (the current open positions) has no `e`, so
 * `eventType` is optional. Numbers sent by the exchange are turned into
 * strings with `String(n)`.
 */
export interface PositionUpdateEvent {
  /** `positionOpened` / `positionAdjusted` / `positionClosed` (key `e`; absent on the initial message). */
  eventType?: string
  /** When the WS server emitted the message, µs since the epoch (key `E`). */
  eventTimeUs?: number
  /** Market symbol (key `s`). */
  symbol: string
  /** Break-even price (key `b`). */
  breakEvenPrice?: WsDecimal
  /** Entry price (key `B`). */
  entryPrice?: WsDecimal
  /** Initial margin fraction (key `f`). */
  initialMarginFraction?: WsDecimal
  /** Mark price (key `M`). */
  markPrice?: WsDecimal
  /** Maintenance margin fraction (key `m`). */
  maintenanceMarginFraction?: WsDecimal
  /** Net quantity, positive long, negative short (key `q`). */
  netQuantity?: WsDecimal
  /** Net exposure quantity including open orders (key `Q`). */
  netExposureQuantity?: WsDecimal
  /** Net exposure notional (key `n`). */
  netExposureNotional?: WsDecimal
  /** Position id (key `i`; a number in some captures, kept as a string). */
  positionId?: string
  /** Realized PnL (key `p`). */
  realizedPnl?: WsDecimal
  /** Unrealized PnL (key `P`). */
  unrealizedPnl?: WsDecimal
  /** Matching-engine time, µs since the epoch (key `T`). */
  engineTimeUs?: number
}

/** `account.rfqUpdate[.<symbol>]`: RFQ and quote lifecycle events. */
export interface RfqUpdateEvent {
  /** e.g. `rfqActive`, `rfqFilled`, `quoteAccepted` (key `e`). */
  eventType: string
  /** When the WS server emitted the message, µs since the epoch (key `E`). */
  eventTimeUs: number
  /** RFQ id (key `R`). */
  rfqId?: string
  /** Quote id (key `u`). */
  quoteId?: string
  /** Client RFQ or quote id (key `C`). */
  clientId?: string
  /** Market symbol (key `s`). */
  symbol: string
  /** Side (key `S`). */
  side?: WsSide
  /** Base quantity (key `q`; exactly one of this and `quoteQuantity`). */
  quantity?: WsDecimal
  /** Quote quantity (key `Q`). */
  quoteQuantity?: WsDecimal
  /** Price; for the taker it includes the fee (key `p`). */
  price?: WsDecimal
  /** Quote-submission deadline, **ms** since the epoch (key `w`). */
  submissionDeadlineMs?: number
  /** RFQ expiry, **ms** since the epoch (key `W`). */
  expiresAtMs?: number
  /** Status (key `X`). */
  status?: string
  /** System order type, system RFQs only (key `o`). */
  systemOrderType?: string
  /** Matching-engine time, µs since the epoch (key `T`). */
  engineTimeUs?: number
}

/** The depth stream variants: real time or aggregated. */
export type DepthStreamKind =
  | 'depth'
  | 'depth.200ms'
  | 'depth.600ms'
  | 'depth.1000ms'

/** K-line intervals as the REST list spells them (`1s` on WS is UNCONFIRMED). */
export type KlineInterval =
  | '1s'
  | '1m'
  | '3m'
  | '5m'
  | '15m'
  | '30m'
  | '1h'
  | '2h'
  | '4h'
  | '6h'
  | '8h'
  | '12h'
  | '1d'
  | '3d'
  | '1w'
  | '1month'

// One conditional branch per stream kind; the branches look alike by nature.
/**
 * The parsed event type for a stream name, e.g.
 * `StreamEventOf<'bookTicker.SOL_USDC'>` is {@link BookTickerEvent}. Unknown
 * stream names give `unknown` (the raw `data` object is delivered).
 */
export type StreamEventOf<S extends string> = S extends `bookTicker.${string}`
  ? BookTickerEvent
  : S extends `depth.${string}`
    ? DepthEvent
    : S extends `trade.${string}`
      ? TradeEvent
      : S extends `ticker.${string}`
        ? TickerEvent
        : S extends `kline.${string}`
          ? KlineEvent
          : S extends `markPrice.${string}`
            ? MarkPriceEvent
            : S extends `openInterest.${string}`
              ? OpenInterestEvent
              : S extends `liquidation${string}`
                ? LiquidationEvent
                : S extends `account.orderUpdate${string}`
                  ? OrderUpdateEvent
                  : S extends `account.positionUpdate${string}`
                    ? PositionUpdateEvent
                    : S extends `account.rfqUpdate${string}`
                      ? RfqUpdateEvent
                      : unknown
