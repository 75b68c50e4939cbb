import type { Market as WireMarket } from '@rung/backpack-sdk'
import { dec, SCALE } from './decimal.js'

/**
 * A spot market the simulator lists. All amounts are decimal strings, as on
 * the wire.
 */
export interface SimMarketConfig {
  /** Market symbol, `BASE_QUOTE`, e.g. `"BTC_USDC"`. */
  symbol: string
  /** Base asset, e.g. `"BTC"`. */
  baseSymbol: string
  /** Quote asset, e.g. `"USDC"`. */
  quoteSymbol: string
  /** Price increment, e.g. `"0.1"`. */
  tickSize: string
  /** Quantity increment, e.g. `"0.00001"`. */
  stepSize: string
  /** Smallest order quantity. */
  minQuantity: string
  /** Smallest limit price. */
  minPrice: string
  /** Limit prices must be at most the last price times this. @defaultValue `"1.25"` */
  maxMultiplier?: string | undefined
  /** Limit prices must be at least the last price times this. @defaultValue `"0.75"` */
  minMultiplier?: string | undefined
  /** A market order may not fill above the best ask times this. @defaultValue `"1.05"` */
  maxImpactMultiplier?: string | undefined
  /** A market order may not fill below the best bid times this. @defaultValue `"0.95"` */
  minImpactMultiplier?: string | undefined
  /** Starting price of the feed. */
  initialPrice: string
  /** Relative volatility of the generated feed versus BTC. @defaultValue `1` */
  volatility?: number | undefined
}

/**
 * The markets listed by default: BTC_USDC (tick 0.1, step 0.00001),
 * ETH_USDC (tick 0.01, step 0.0001) and SOL_USDC (tick 0.01, step 0.01),
 * with filters like the live exchange's.
 *
 * @example
 * ```ts
 * import { DEFAULT_MARKETS, startSim } from '@rung/backpack-sim'
 *
 * // Only SOL, starting at 20
 * const sol = DEFAULT_MARKETS.filter((m) => m.symbol === 'SOL_USDC')
 * const sim = await startSim({ markets: sol.map((m) => ({ ...m, initialPrice: '20.00' })) })
 * ```
 */
export const DEFAULT_MARKETS: readonly SimMarketConfig[] = Object.freeze([
  {
    symbol: 'BTC_USDC',
    baseSymbol: 'BTC',
    quoteSymbol: 'USDC',
    tickSize: '0.1',
    stepSize: '0.00001',
    minQuantity: '0.00001',
    minPrice: '0.1',
    initialPrice: '65000.0',
  },
  {
    symbol: 'ETH_USDC',
    baseSymbol: 'ETH',
    quoteSymbol: 'USDC',
    tickSize: '0.01',
    stepSize: '0.0001',
    minQuantity: '0.0001',
    minPrice: '0.01',
    initialPrice: '3400.00',
    volatility: 1.2,
  },
  {
    symbol: 'SOL_USDC',
    baseSymbol: 'SOL',
    quoteSymbol: 'USDC',
    tickSize: '0.01',
    stepSize: '0.01',
    minQuantity: '0.01',
    minPrice: '0.01',
    initialPrice: '150.00',
    volatility: 1.5,
  },
])

/** Display data for the assets the default markets use. */
export const ASSET_INFO: Readonly<
  Record<string, { displayName: string; decimals: number; blockchain: string }>
> = Object.freeze({
  BTC: { displayName: 'Bitcoin', decimals: 8, blockchain: 'Bitcoin' },
  ETH: { displayName: 'Ethereum', decimals: 8, blockchain: 'Ethereum' },
  SOL: { displayName: 'Solana', decimals: 8, blockchain: 'Solana' },
  USDC: { displayName: 'USD Coin', decimals: 6, blockchain: 'Solana' },
})

/**
 * A market's `orderBookState`, as `GET /api/v1/markets` reports it. The
 * simulator enforces each: `Closed` and `CancelOnly` accept no new order,
 * `LimitOnly` no market order, `PostOnly` only post-only limit orders
 * (the feed's own quotes excepted). Cancels are accepted in every state,
 * so a bot can always take its orders off the book.
 */
export type OrderBookState = WireMarket['orderBookState']

/** The states {@link OrderBookState} names, for input checks. */
export const ORDER_BOOK_STATES: readonly OrderBookState[] = [
  'Open',
  'Closed',
  'CancelOnly',
  'LimitOnly',
  'PostOnly',
]

/** A market with its filters parsed to units. @internal */
export interface Market {
  config: SimMarketConfig
  /** Its order book's state (`Open` when unset); see {@link OrderBookState}. */
  bookState?: OrderBookState | undefined
  symbol: string
  base: string
  quote: string
  tick: bigint
  step: bigint
  minQty: bigint
  minPrice: bigint
  maxMult: bigint
  minMult: bigint
  maxImpact: bigint
  minImpact: bigint
  priceDecimals: number
  qtyDecimals: number
  /**
   * Whether the tick (likewise the step) is a power of ten (`0.1`, not
   * `0.5`): then a value is a multiple of it exactly when it has no more
   * decimals than the tick, which the order checks read off the text
   * instead of dividing.
   */
  tickIsPow10: boolean
  stepIsPow10: boolean
  /** Decimals a fee in the base (likewise quote) asset is rounded to. */
  baseFeeDecimals: number
  quoteFeeDecimals: number
  /**
   * Whether price × quantity is exact in units for every tick and step
   * multiple (tick × step has at most 18 decimals), so a fill's quote needs
   * no rounding either way.
   */
  exactQuote: boolean
}

function places(text: string): number {
  const i = text.indexOf('.')
  return i < 0 ? 0 : text.length - i - 1
}

/** Whether `units` is 10^-decimals exactly (a tick or step of one digit 1). */
function isPow10(units: bigint, decimals: number): boolean {
  return decimals <= SCALE && units === 10n ** BigInt(SCALE - decimals)
}

/** The decimals a fee in `asset` is rounded to (8 for an unknown asset). */
export function feeDecimals(asset: string): number {
  return ASSET_INFO[asset]?.decimals ?? 8
}

/** Parses a market config. @internal */
export function toMarket(c: SimMarketConfig): Market {
  return {
    config: c,
    symbol: c.symbol,
    base: c.baseSymbol,
    quote: c.quoteSymbol,
    tick: dec(c.tickSize),
    step: dec(c.stepSize),
    minQty: dec(c.minQuantity),
    minPrice: dec(c.minPrice),
    maxMult: dec(c.maxMultiplier ?? '1.25'),
    minMult: dec(c.minMultiplier ?? '0.75'),
    maxImpact: dec(c.maxImpactMultiplier ?? '1.05'),
    minImpact: dec(c.minImpactMultiplier ?? '0.95'),
    priceDecimals: places(c.tickSize),
    qtyDecimals: places(c.stepSize),
    tickIsPow10: isPow10(dec(c.tickSize), places(c.tickSize)),
    stepIsPow10: isPow10(dec(c.stepSize), places(c.stepSize)),
    baseFeeDecimals: feeDecimals(c.baseSymbol),
    quoteFeeDecimals: feeDecimals(c.quoteSymbol),
    exactQuote: places(c.tickSize) + places(c.stepSize) <= SCALE,
  }
}
