/**
 * `sweep`: a grid of parameter sets, each backtested, in parallel on
 * worker threads, ranked by a metric. A one-shot {@link createSweepPool}:
 * it starts the workers, runs the grid and closes them. Use a pool directly
 * to run several sweeps over the same candles without restarting workers.
 */
import type { BacktestFees, BacktestReport } from './backtest.js'
import { runBacktest } from './backtest.js'
import type { CandleSeries } from './candles.js'
import { prepareSweep, rank, setFailed } from './sweepGrid.js'
import {
  createSweepPool,
  loadCandles,
  runPrepared,
  workerCount,
} from './sweepPool.js'
import type { LadderConfig, MarketRules } from './types.js'

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
  market: MarketRules
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

/**
 * Backtests every combination of the grid in parallel (worker_threads, one
 * set at a time per worker, candles shared, not copied) and ranks them.
 * Node.js only.
 *
 * @param options - Candles or data path, base config, market, grid, metric, workers.
 * @returns The sets ranked best first (ties keep grid order).
 * @throws {LadderConfigError} when a set is invalid (every bad set listed
 *   before anything runs), the grid is empty, `workers` is not an integer
 *   >= 0, or a backtest fails.
 * @throws the signal's reason when `signal` aborts.
 * @example
 * ```ts
 * import { DEFAULT_LADDER_CONFIG, sweep } from '@rung/ladder-strategy'
 * const ranked = await sweep({
 *   dataPath: 'btcusdt-1m-2024H1.csv.gz',
 *   config: DEFAULT_LADDER_CONFIG,
 *   market: { symbol: 'BTC_USDC', tickSize: '0.01', stepSize: '0.00001', minQuantity: '0.00001' },
 *   grid: { takeProfitPercentage: ['0.25', '0.5', '1'], orderCount: [4, 8, 12] },
 *   metric: 'totalProfit',
 *   onProgress: ({ done, total }) => console.log(`${done}/${total}`),
 * })
 * console.log(ranked[0]?.params, ranked[0]?.metric)
 * ```
 */
export async function sweep(options: SweepOptions): Promise<SweepResult[]> {
  // Every set is checked before the candles are read or a worker starts.
  const prepared = prepareSweep(options)
  const { sets, configs, equityPoints } = prepared
  const workers = Math.min(await workerCount(options.workers, 0), sets.length)
  options.signal?.throwIfAborted()
  const candles = await loadCandles(options)
  if (workers > 0) {
    const pool = await createSweepPool({ candles, workers })
    try {
      return await runPrepared(pool, prepared, options)
    } finally {
      await pool.close()
    }
  }
  const total = configs.length
  const reports: BacktestReport[] = new Array(total)
  for (let i = 0; i < total; i++) {
    options.signal?.throwIfAborted()
    try {
      reports[i] = runBacktest({
        candles,
        config: configs[i] as LadderConfig,
        market: options.market,
        fees: options.fees,
        trades: false,
        equityPoints,
      })
    } catch (error) {
      throw setFailed(i, error)
    }
    options.onProgress?.({ done: i + 1, total })
  }
  return rank(sets, reports, options.metric ?? 'totalProfit')
}
