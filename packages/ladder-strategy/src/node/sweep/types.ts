/**
 * The sweep's public option and result types, apart from the code so that
 * the one-shot sweep, the pool and the grid helpers all import them from
 * here (and not from each other: no import circle).
 */
import type { BacktestFees, BacktestReport } from '../../backtestOptions.js'
import type { CandleSeries } from '../../candles/series.js'
import type { LadderConfig, LadderMarket } from '../../types.js'

/** Config fields a sweep can vary. */
export type SweepParameter = Exclude<keyof LadderConfig, 'symbol'>

/**
 * How parameter sets are ranked (best first):
 * - `'realisedProfit'`: profit of completed cycles, after fees;
 * - `'totalProfit'`: realised + unrealised at the last close;
 * - `'profitOverDrawdown'`: total profit / max drawdown (a drawdown of 0 ranks first);
 * - `'cycles'`: completed cycles.
 */
export type SweepMetric =
  | 'realisedProfit'
  | 'totalProfit'
  | 'profitOverDrawdown'
  | 'cycles'

/** Options of {@link sweep}. */
export interface SweepOptions {
  /** Candles in memory (give this or `dataPath`). */
  candles?: CandleSeries | undefined
  /** Path of a candle CSV (gzipped or not), read once (give this or `candles`). */
  dataPath?: string | undefined
  /** The base config; each set overrides some of its fields. */
  config: LadderConfig
  /** The market's rules. */
  market: LadderMarket
  /**
   * Fees in percent.
   * @default no fees
   */
  fees?: BacktestFees | undefined
  /** Values to try per parameter; every combination is one set (grid order: first key slowest). */
  grid: Partial<Record<SweepParameter, readonly unknown[]>>
  /**
   * Ranking metric.
   * @default 'totalProfit'
   */
  metric?: SweepMetric | undefined
  /**
   * Worker threads (never more than the sets); `0` runs in the calling
   * thread.
   * @default os.availableParallelism()
   */
  workers?: number | undefined
  /**
   * Points of each report's equity curve (an integer >= 1).
   * @default 50
   */
  equityPoints?: number | undefined
  /** Called after each finished set (an exception it throws fails the sweep). */
  onProgress?: ((progress: SweepProgress) => void) | undefined
  /** Aborts the sweep: it rejects with the signal's reason. */
  signal?: AbortSignal | undefined
}

/** Progress of a sweep. */
export interface SweepProgress {
  /** Sets finished. */
  done: number
  /** Sets in the grid. */
  total: number
}

/** One ranked parameter set. */
export interface SweepResult {
  /** 1 = best. */
  rank: number
  /** Position of the set in the grid (0-based). */
  index: number
  /** The parameter values of this set. */
  params: Partial<Record<SweepParameter, unknown>>
  /** The metric's value (a decimal string; `'Infinity'` for a profit without drawdown). */
  metric: string
  /** The backtest report (without trades). */
  report: BacktestReport
}

/** The report fields a sweep metric reads (a full report, or a summary over several files). */
export type SweepReportSummary = Pick<
  BacktestReport,
  'realisedProfit' | 'unrealisedProfit' | 'maxDrawdown' | 'cycles'
>

/** One ranked set of `rankSweep`: a {@link SweepResult} whose report is `R`. */
export type RankedSweepSet<R extends SweepReportSummary = BacktestReport> =
  Omit<SweepResult, 'report'> & {
    /** The report (or summary) of this set. */
    report: R
  }
