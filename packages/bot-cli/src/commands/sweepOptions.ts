/**
 * What `rung sweep` takes, and how its strategy errors name a flag: shared
 * by the local sweep (`sweep.ts`) and the queued one (`queueSweep.ts`),
 * which `sweep.ts` calls, so neither imports the other back.
 */
import { isLadderConfigError } from '@rung/ladder-strategy'
import type { SweepMetric, SweepParameter } from '@rung/ladder-strategy/node'
import { ConfigError } from '../errors.js'
import type { BacktestCommandOptions } from './backtest.js'
import type { MarketData } from './marketsData.js'

/** Options of `sweepCommand` (sweep.ts). */
export interface SweepCommandOptions
  extends Omit<BacktestCommandOptions, 'chart' | 'data'> {
  /** Candle file, or several: each set runs on every file, ranked by the total. */
  data: string | readonly string[]
  /** The grid. */
  grid: Partial<Record<SweepParameter, unknown[]>>
  /** Ranking metric. */
  metric: SweepMetric
  /** Worker threads (0 = in this thread). */
  workers: number | undefined
  /** Rows shown. */
  top: number
  /** `--queue`: a Redis URL to put the sets on for `rung worker`s, instead of this machine's threads. */
  queue?: string | undefined
  /** HTML report path (`--report`), if any. */
  report?: string | undefined
  /** The heat map's two parameters (`--heatmap x,y`). @default the first two of the grid */
  heatmap?: readonly string[] | undefined
  /**
   * A `markets` config: each market's file and strategy config (then `data`
   * and `config` are not used; the grid varies every market's own config).
   */
  markets?: readonly MarketData[] | undefined
}

/** A strategy error of a sweep, as the ConfigError naming its flag. */
export function sweepError(error: unknown): unknown {
  if (isLadderConfigError(error))
    return new ConfigError(
      error.issues.some((issue) => issue.path === 'workers')
        ? '--workers'
        : '--grid',
      `The sweep cannot run: ${error.message}`,
      { cause: error },
    )
  return error
}
