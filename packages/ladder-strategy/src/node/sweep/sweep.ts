/**
 * `sweep`: a grid of parameter sets, each backtested, in parallel on
 * worker threads, ranked by a metric. A one-shot {@link createSweepPool}:
 * it starts the workers, runs the grid and closes them. Use a pool directly
 * to run several sweeps over the same candles without restarting workers.
 */

import { runBacktest } from '../../backtest.js'
import type { BacktestReport } from '../../backtestOptions.js'
import type { LadderConfig } from '../../types.js'
import { prepareSweep, rank, setFailed } from './grid.js'
import {
  createSweepPool,
  loadCandles,
  runPrepared,
  workerCount,
} from './pool.js'
import type { SweepOptions, SweepResult } from './types.js'

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
 * import { DEFAULT_LADDER_CONFIG } from '@rung/ladder-strategy'
 * import { sweep } from '@rung/ladder-strategy/node'
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
