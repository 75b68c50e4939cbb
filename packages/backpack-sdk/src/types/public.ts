/**
 * Wire types of the public REST endpoints (reference §3). Decimals are
 * strings; fields marked optional may be missing or `null` on the wire.
 */
import type { DecimalString } from '../decimal/decimal.js'
import type { MarketType } from './common.js'
import type { KlineInterval } from './ws.js'

// ── system ──────────────────────────────────────────────────────────────────

/** `GET /api/v1/status`. */
export interface SystemStatus {
  /** `Ok` or `Maintenance`. */
  status: 'Ok' | 'Maintenance' | (string & {})
  /** Maintenance message, if any. */
  message?: string | null
}

/** Return type of `getStatus`. */
export type GetStatusReturnType = SystemStatus

/** Return type of `ping`: the text `pong`. */
export type PingReturnType = string

/** Return type of `getServerTime`: server time in ms since the epoch. */
export type GetServerTimeReturnType = number

// ── assets ──────────────────────────────────────────────────────────────────

/** One blockchain on which an asset can be deposited or withdrawn. */
export interface AssetToken {
  /** Blockchain name, e.g. `Solana` (an open set). */
  blockchain: string
  /** Token contract address, if any. */
  contractAddress?: string | null
  /** Whether deposits are enabled. */
  depositEnabled: boolean
  /** Minimum deposit. */
  minimumDeposit: DecimalString
  /** Whether withdrawals are enabled. */
  withdrawEnabled: boolean
  /** Minimum withdrawal. */
  minimumWithdrawal: DecimalString
  /** Maximum withdrawal, if capped. */
  maximumWithdrawal?: DecimalString | null
  /** Withdrawal fee. */
  withdrawalFee: DecimalString
  /** Decimals of the native token, if known. */
  nativeDecimals?: number | null
  /** Display name on this chain. */
  displayName?: string
}

/** `GET /api/v1/assets` item. */
export interface Asset {
  /** Asset symbol, e.g. `SOL`. */
  symbol: string
  /** Human-readable name. */
  displayName?: string
  /** CoinGecko id, if any. */
  coingeckoId?: string | null
  /** Chains the asset lives on. */
  tokens: AssetToken[]
}

/** Parameters of `getAssets`. */
export interface GetAssetsParameters {
  /** ISO-3166 alpha-2 country filter. */
  country?: string | undefined
}

/** Return type of `getAssets`. */
export type GetAssetsReturnType = Asset[]

// ── markets ─────────────────────────────────────────────────────────────────

/** Price filter of a market. */
export interface MarketPriceFilter {
  /** Lowest allowed price. */
  minPrice: DecimalString
  /** Highest allowed price, if capped. */
  maxPrice?: DecimalString | null
  /** Price increment; its decimals are the price precision. */
  tickSize: DecimalString
  /** Allowed multiple of the last price (upper). */
  maxMultiplier?: DecimalString | null
  /** Allowed multiple of the last price (lower). */
  minMultiplier?: DecimalString | null
  /** How far a market order may reach past the best ask. */
  maxImpactMultiplier?: DecimalString | null
  /** How far a market order may reach past the best bid. */
  minImpactMultiplier?: DecimalString | null
}

/** Quantity filter of a market. */
export interface MarketQuantityFilter {
  /** Smallest allowed quantity. */
  minQuantity: DecimalString
  /** Largest allowed quantity, if capped. */
  maxQuantity?: DecimalString | null
  /** Quantity increment; its decimals are the quantity precision. */
  stepSize: DecimalString
}

/** A margin function `{ type: 'sqrt', base, factor }`. */
export interface MarginFunction {
  /** Function kind, e.g. `sqrt`. */
  type: string
  /** Base value. */
  base: DecimalString
  /** Factor. */
  factor: DecimalString
}

/** `GET /api/v1/markets` item and `GET /api/v1/market` answer. */
export interface Market {
  /** Market symbol, e.g. `SOL_USDC`. */
  symbol: string
  /** Base asset, e.g. `SOL`. */
  baseSymbol: string
  /** Quote asset, e.g. `USDC`. */
  quoteSymbol: string
  /** Market type. */
  marketType: MarketType
  /** Trading filters. */
  filters: {
    /** Price rules. */
    price: MarketPriceFilter
    /** Quantity rules. */
    quantity: MarketQuantityFilter
  }
  /** Initial margin function (futures). */
  imfFunction?: MarginFunction | null
  /** Maintenance margin function (futures). */
  mmfFunction?: MarginFunction | null
  /**
   * Funding interval in ms. ccxt saw both a number and a string here, so both
   * are typed.
   */
  fundingInterval?: number | string | null
  /** Upper funding-rate bound (basis points). */
  fundingRateUpperBound?: DecimalString | null
  /** Lower funding-rate bound (basis points). */
  fundingRateLowerBound?: DecimalString | null
  /** Open-interest cap (futures). */
  openInterestLimit?: DecimalString | null
  /** Book state: `Open`, `Closed`, `CancelOnly`, `LimitOnly`, `PostOnly`. */
  orderBookState:
    | 'Open'
    | 'Closed'
    | 'CancelOnly'
    | 'LimitOnly'
    | 'PostOnly'
    | (string & {})
  /** Creation time, naive UTC datetime string. */
  createdAt?: string
  /** Whether the market is listed. */
  visible?: boolean
  /** Position-limit weight. */
  positionLimitWeight?: DecimalString | null
}

/** Parameters of `getMarkets`. */
export interface GetMarketsParameters {
  /**
   * Market types to include (default: spot and perp). Sent as one
   * comma-separated value; repeated-key encoding is UNCONFIRMED.
   */
  marketType?: readonly MarketType[] | undefined
}

/** Return type of `getMarkets`. */
export type GetMarketsReturnType = Market[]

/** Parameters of `getMarket`. */
export interface GetMarketParameters {
  /** Market symbol. */
  symbol: string
}

/** Return type of `getMarket`. */
export type GetMarketReturnType = Market

// ── tickers ─────────────────────────────────────────────────────────────────

/** 24h (or 1w) ticker. Every field is a decimal string except `symbol`. */
export interface Ticker {
  /** Market symbol. */
  symbol: string
  /** First price of the interval. */
  firstPrice: DecimalString
  /** Last traded price. */
  lastPrice: DecimalString
  /** Price change over the interval. */
  priceChange: DecimalString
  /** Price change as a fraction, e.g. `-0.031279`. */
  priceChangePercent: DecimalString
  /** Highest price. */
  high: DecimalString
  /** Lowest price. */
  low: DecimalString
  /** Base volume. */
  volume: DecimalString
  /** Quote volume. */
  quoteVolume: DecimalString
  /** Number of trades, as a string. */
  trades: string
}

/** Ticker interval. */
export type TickerInterval = '1d' | '1w'

/** Parameters of `getTicker`. */
export interface GetTickerParameters {
  /** Market symbol. */
  symbol: string
  /** Interval. @default '1d' */
  interval?: TickerInterval | undefined
}

/** Return type of `getTicker`: `null` when the exchange answers 204 (no data). */
export type GetTickerReturnType = Ticker | null

/** Parameters of `getTickers`. */
export interface GetTickersParameters {
  /** Interval. @default '1d' */
  interval?: TickerInterval | undefined
}

/** Return type of `getTickers`. */
export type GetTickersReturnType = Ticker[]

// ── depth ───────────────────────────────────────────────────────────────────

/** One price level: `[price, quantity]`. */
export type DepthLevel = [price: DecimalString, quantity: DecimalString]

/** Order book snapshot. Do not rely on the order of the arrays (UNCONFIRMED). */
export interface Depth {
  /** Bid levels. */
  bids: DepthLevel[]
  /** Ask levels. */
  asks: DepthLevel[]
  /** Update id of the snapshot (an int64 as a string). */
  lastUpdateId: string
  /** Engine time in **microseconds**. */
  timestamp: number
}

/** Depth limit values Backpack accepts. */
export type DepthLimit = 5 | 10 | 20 | 50 | 100 | 500 | 1000

/** Parameters of `getDepth`. */
export interface GetDepthParameters {
  /** Market symbol. */
  symbol: string
  /** Levels per side. @default 1000 */
  limit?: DepthLimit | undefined
}

/** Return type of `getDepth`. */
export type GetDepthReturnType = Depth

// ── klines ──────────────────────────────────────────────────────────────────

/** One candle. Price fields are absent or null for empty candles. */
export interface Kline {
  /** Start, `"YYYY-MM-DD HH:MM:SS"` UTC. */
  start: string
  /** End, `"YYYY-MM-DD HH:MM:SS"` UTC. */
  end: string
  /** Open price. */
  open?: DecimalString | null
  /** High price. */
  high?: DecimalString | null
  /** Low price. */
  low?: DecimalString | null
  /** Close price. */
  close?: DecimalString | null
  /** Base volume. */
  volume: DecimalString
  /** Quote volume. */
  quoteVolume: DecimalString
  /** Trade count, as a string. */
  trades: string
}

/** Parameters of `getKlines`. */
export interface GetKlinesParameters {
  /** Market symbol. */
  symbol: string
  /** Candle interval. */
  interval: KlineInterval
  /** Start time in **seconds** since the epoch (not ms). */
  startTime: number
  /** End time in seconds. @default now */
  endTime?: number | undefined
  /** Price source. @default 'Last' */
  priceType?: 'Last' | 'Index' | 'Mark' | undefined
}

/** Return type of `getKlines`. */
export type GetKlinesReturnType = Kline[]

// ── trades ──────────────────────────────────────────────────────────────────

/** A public trade. */
export interface Trade {
  /** Trade id (int64). */
  id?: number | null
  /** Price. */
  price: DecimalString
  /** Base quantity. */
  quantity: DecimalString
  /** Quote quantity. */
  quoteQuantity: DecimalString
  /** Time in ms. */
  timestamp: number
  /** Whether the buyer was the maker. */
  isBuyerMaker: boolean
}

/** Parameters of `getRecentTrades`. */
export interface GetRecentTradesParameters {
  /** Market symbol. */
  symbol: string
  /** Number of trades, 1 to 1000. @default 100 */
  limit?: number | undefined
}

/** Return type of `getRecentTrades`. */
export type GetRecentTradesReturnType = Trade[]

/** Parameters of `getHistoricalTrades`. */
export interface GetHistoricalTradesParameters {
  /** Market symbol. */
  symbol: string
  /** Number of trades, 1 to 1000. @default 100 */
  limit?: number | undefined
  /** Offset from the most recent trade. @default 0 */
  offset?: number | undefined
}

/** Return type of `getHistoricalTrades`. */
export type GetHistoricalTradesReturnType = Trade[]
