/**
 * The backtest's options and report (the public types of `runBacktest`),
 * and the checks of its options that the sweep also runs before anything
 * starts (fees, equity points).
 */
import type { CandleRow, CandleSeries } from './candles/series.js'
import { isDecimal, ratio } from './decimal.js'
import { LadderConfigError } from './errors.js'
import type {
  DecimalString,
  LadderConfig,
  LadderMarket,
  LadderState,
  StopReason,
} from './types.js'

/** Trading fees of a backtest, in percent of the notional. */
export interface BacktestFees {
  /**
   * Maker fee in percent (resting bids, the take-profit at its target).
   * @default '0'
   */
  makerPercentage?: DecimalString | undefined
  /**
   * Taker fee in percent (stop-loss and trailing market sells).
   * @default '0'
   */
  takerPercentage?: DecimalString | undefined
}

/** Options of {@link runBacktest}. */
export interface BacktestOptions {
  /** The candles: a series (from `readCandlesCsv` (`@rung/ladder-strategy/node`) / {@link parseCandlesCsv}) or rows. */
  candles: CandleSeries | readonly CandleRow[]
  /** A normalized strategy config. */
  config: LadderConfig
  /** The market's rules (`symbol` must match the config). */
  market: LadderMarket
  /**
   * Fees in percent.
   * @default no fees
   */
  fees?: BacktestFees | undefined
  /**
   * Most points in the equity curve (each point summarizes a bucket of
   * consecutive candles); an integer >= 1.
   * @default 500
   */
  equityPoints?: number | undefined
  /**
   * Include the list of trades in the report.
   * @default true
   */
  trades?: boolean | undefined
}

/** One point of the downsampled equity curve. */
export interface EquityPoint {
  /** Close time (ms) of the last candle of the bucket. */
  time: number
  /** Equity (realised + unrealised profit, quote) at that close. */
  equity: DecimalString
  /** Lowest equity at any candle close within the bucket (so drawdowns stay visible). */
  low: DecimalString
}

/** One fill in the backtest. */
export interface Trade {
  /** Time (ms): the close of the candle it filled in. */
  time: number
  /** Cycle number. */
  cycle: number
  /** Side. */
  side: 'buy' | 'sell'
  /** Fill price. */
  price: DecimalString
  /** Fill quantity. */
  quantity: DecimalString
  /** Fee in quote currency. */
  fee: DecimalString
  /** The order's client id. */
  clientId: number
  /**
   * Multi-step take profit: the index (0-based) of the step a sell belongs
   * to. Absent for buys and other sells.
   */
  step?: number
}

/** What one take-profit step sold over a backtest (`takeProfitSteps`). */
export interface TakeProfitStepReport {
  /** Step index (0-based, in the config's order). */
  step: number
  /** Sell fills of the step (a cycle whose step sold counts once). */
  sells: number
  /** Quantity the step sold, in base asset. */
  quantity: DecimalString
  /** What its sells received, in quote currency (before fees). */
  proceeds: DecimalString
}

/** The result of {@link runBacktest} (LADDER-SPEC.md "Backtest", step 3). */
export interface BacktestReport {
  /** Candles processed. */
  candles: number
  /** Completed cycles (take-profits, and stop-losses if enabled). */
  cycles: number
  /** Of which ended by a stop loss. */
  stopLosses: number
  /** Buy fills. */
  fills: number
  /** No-fill restarts. */
  noFillRestarts: number
  /** Realised profit in quote currency (completed cycles, after fees). */
  realisedProfit: DecimalString
  /** All fees paid, in quote currency. */
  fees: DecimalString
  /** Quantity still held at the end. */
  openPositionQty: DecimalString
  /** Its value at the last close. */
  openPositionValue: DecimalString
  /** Value at the last close - cost - fees of the open cycle (may be negative). */
  unrealisedProfit: DecimalString
  /** Largest fall of equity (realised + unrealised, marked at each close) from its running peak. */
  maxDrawdown: DecimalString
  /** Peak quote capital in use at a candle close: open position cost + resting bids. */
  peakCapital: DecimalString
  /** The machine's status after the last candle. */
  finalStatus: LadderState['status']
  /** Why it stopped, when it did. */
  stopReason: StopReason | null
  /** Equity curve, at most `equityPoints` points. */
  equity: EquityPoint[]
  /** Every fill (empty when `trades: false`). */
  trades: Trade[]
  /**
   * Multi-step take profit only: what each step sold (the profit of a
   * cycle is in `realisedProfit`, every step's sells included).
   */
  takeProfitSteps?: TakeProfitStepReport[]
  /** Warnings the machine emitted (first 100). */
  warnings: string[]
}

/**
 * The equity curve's point count: `fallback` when not given, else an
 * integer >= 1. @internal
 * @throws {LadderConfigError} naming `equityPoints` otherwise.
 */
export function equityPointsOf(
  value: number | undefined,
  fallback: number,
): number {
  if (value === undefined) return fallback
  if (!Number.isSafeInteger(value) || value < 1)
    throw new LadderConfigError('The backtest options are not valid.', [
      {
        path: 'equityPoints',
        value,
        message: 'must be an integer >= 1',
      },
    ])
  return value
}

/**
 * Checks backtest fees (decimal strings in percent) without running
 * anything. @internal
 * @throws {LadderConfigError} naming the bad fee.
 */
export function checkFees(fees: BacktestFees | undefined): void {
  feeRate(fees?.makerPercentage, 'fees.makerPercentage')
  feeRate(fees?.takerPercentage, 'fees.takerPercentage')
}

/** A fee in percent as an exact fraction (0 when not given). @internal */
export function feeRate(
  value: DecimalString | undefined,
  path: string,
): { n: bigint; d: bigint } {
  if (value === undefined) return { n: 0n, d: 1n }
  if (!isDecimal(value))
    throw new LadderConfigError('The backtest fees are not valid.', [
      {
        path,
        value,
        message: 'must be a decimal string in percent, e.g. "0.1"',
      },
    ])
  const r = ratio(value)
  return { n: r.n, d: r.d * 100n }
}
