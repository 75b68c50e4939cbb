/**
 * A sweep in two halves, for runners other than the built-in pool (a job
 * queue across machines, several candle files): `planSweep` expands and
 * checks the grid before anything runs, the caller backtests each set's
 * config wherever it likes, and `rankSweep` ranks the reports exactly as
 * `sweep` does.
 */
import type { LadderConfig } from '../../types.js'
import { prepareSweep, rank } from './grid.js'
import type {
  RankedSweepSet,
  SweepMetric,
  SweepOptions,
  SweepParameter,
  SweepReportSummary,
} from './types.js'

/** What {@link planSweep} returns: the sets of a grid, checked, with the config each one runs. */
export interface SweepPlan {
  /** The grid's values of each set, in grid order (first key slowest). */
  sets: Partial<Record<SweepParameter, unknown>>[]
  /** The validated config of each set (the base config with the set's values). */
  configs: LadderConfig[]
  /** Equity points per report (the `equityPoints` option, or 50). */
  equityPoints: number
}

/**
 * Expands a sweep's grid and checks every set (and the fees and equity
 * points) the way `sweep` does before anything runs, without running it.
 *
 * @param options - Grid, base config, market, fees, equity points.
 * @returns The sets and their configs, in grid order.
 * @throws {LadderConfigError} when the grid is empty or a set is invalid
 *   (every bad set listed).
 * @example
 * ```ts
 * import { DEFAULT_LADDER_CONFIG } from '@rung/ladder-strategy'
 * import { planSweep } from '@rung/ladder-strategy/node'
 * const plan = planSweep({
 *   config: DEFAULT_LADDER_CONFIG,
 *   market: { symbol: 'BTC_USDC', tickSize: '0.01', stepSize: '0.00001', minQuantity: '0.00001' },
 *   grid: { takeProfitPercentage: ['0.25', '0.5'] },
 * })
 * console.log(plan.configs.length) // 2
 * ```
 */
export function planSweep(
  options: Pick<
    SweepOptions,
    'grid' | 'config' | 'market' | 'fees' | 'equityPoints'
  >,
): SweepPlan {
  return prepareSweep(options)
}

/**
 * Ranks a sweep's reports best first by the metric, ties in grid order:
 * the ranking `sweep` returns, for reports computed elsewhere (or summed
 * over several candle files).
 *
 * @param sets - The sets, as {@link planSweep} returned them.
 * @param reports - One report (or summary) per set, in the same order.
 * @param metric - Ranking metric. @default 'totalProfit'
 * @returns The ranked sets, each with its report.
 * @example
 * ```ts
 * import { rankSweep } from '@rung/ladder-strategy/node'
 * const ranked = rankSweep(
 *   [{ orderCount: 4 }, { orderCount: 8 }],
 *   [
 *     { realisedProfit: '1', unrealisedProfit: '0', maxDrawdown: '2', cycles: 3 },
 *     { realisedProfit: '5', unrealisedProfit: '-1', maxDrawdown: '4', cycles: 9 },
 *   ],
 *   'totalProfit',
 * )
 * console.log(ranked[0]?.params) // { orderCount: 8 }
 * ```
 */
export function rankSweep<R extends SweepReportSummary>(
  sets: readonly Partial<Record<SweepParameter, unknown>>[],
  reports: readonly R[],
  metric: SweepMetric = 'totalProfit',
): RankedSweepSet<R>[] {
  return rank([...sets], [...reports], metric)
}
