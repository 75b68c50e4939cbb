/**
 * `@rung/ladder-strategy/node`: the parts of the strategy package that need
 * Node.js (`node:fs`, `node:zlib`, `node:worker_threads`). The root entry
 * `@rung/ladder-strategy` stays pure (it runs in a browser or any worker);
 * everything here builds on it.
 *
 * - `readCandlesCsv`: a candle CSV file (gzipped or not) read from disk.
 * - `sweep`: a parameter grid backtested on all cores (worker_threads);
 *   `createSweepPool` keeps the workers warm across sweeps.
 * - `planSweep` / `rankSweep`: a sweep's checks and ranking, for sets run
 *   elsewhere (a job queue, several candle files).
 *
 * @example
 * ```ts
 * import { DEFAULT_LADDER_CONFIG, runBacktest } from '@rung/ladder-strategy'
 * import { readCandlesCsv, sweep } from '@rung/ladder-strategy/node'
 *
 * const market = { symbol: 'BTC_USDC', tickSize: '0.01', stepSize: '0.00001', minQuantity: '0.00001' }
 * const candles = await readCandlesCsv('btcusdt-1m-2024H1.csv.gz')
 * const report = runBacktest({ candles, config: DEFAULT_LADDER_CONFIG, market })
 * const ranked = await sweep({
 *   candles,
 *   config: DEFAULT_LADDER_CONFIG,
 *   market,
 *   grid: { takeProfitPercentage: ['0.25', '0.5', '1'] },
 * })
 * console.log(report.cycles, ranked[0]?.params)
 * ```
 *
 * @module
 */

export { readCandlesCsv } from './readCandlesCsv.js'
export type { SweepPlan } from './sweep/plan.js'
export { planSweep, rankSweep } from './sweep/plan.js'
export type {
  SweepPool,
  SweepPoolOptions,
  SweepPoolSweepOptions,
} from './sweep/pool.js'
export { createSweepPool } from './sweep/pool.js'
export { sweep } from './sweep/sweep.js'
export type {
  RankedSweepSet,
  SweepMetric,
  SweepOptions,
  SweepParameter,
  SweepProgress,
  SweepReportSummary,
  SweepResult,
} from './sweep/types.js'
