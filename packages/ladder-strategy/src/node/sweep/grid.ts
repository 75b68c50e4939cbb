/**
 * The pure parts of a sweep: expanding a grid into parameter sets,
 * validating every set before anything runs, and ranking the reports.
 * Shared by `sweep` (one-shot) and `createSweepPool`. @internal
 */
import {
  type BacktestFees,
  checkFees,
  equityPointsOf,
} from '../../backtestOptions.js'
import { validateConfig } from '../../config.js'
import { addToString, compareSigned, divideToString } from '../../decimal.js'
import { type ConfigIssue, LadderConfigError } from '../../errors.js'
import { derive } from '../../plan.js'
import type { LadderConfig, LadderMarket } from '../../types.js'
import type {
  RankedSweepSet,
  SweepMetric,
  SweepOptions,
  SweepParameter,
  SweepReportSummary,
} from './types.js'

/** One parameter set: the grid's values for one combination. @internal */
export type SweepSet = Partial<Record<SweepParameter, unknown>>

/** Every combination of the grid (first key slowest). */
function expandGrid(grid: SweepOptions['grid']): SweepSet[] {
  const entries = Object.entries(grid ?? {}) as [
    SweepParameter,
    readonly unknown[],
  ][]
  const issues: ConfigIssue[] = []
  for (const [key, values] of entries) {
    if ((key as string) === 'symbol')
      issues.push({
        path: `grid.${key}`,
        value: values,
        message: 'cannot be swept (one market per sweep)',
      })
    else if (!Array.isArray(values) || values.length === 0)
      issues.push({
        path: `grid.${key}`,
        value: values,
        message: 'must be a non-empty array of values',
      })
  }
  if (entries.length === 0)
    issues.push({
      path: 'grid',
      value: grid,
      message: 'must name at least one parameter with values',
    })
  if (issues.length > 0)
    throw new LadderConfigError('The sweep grid is not valid.', issues)
  let sets: SweepSet[] = [{}]
  for (const [key, values] of entries) {
    const next: SweepSet[] = []
    for (const set of sets)
      for (const value of values) next.push({ ...set, [key]: value })
    sets = next
  }
  return sets
}

/** A sweep's sets, expanded and checked, ready to run. @internal */
export interface PreparedSweep {
  sets: SweepSet[]
  configs: LadderConfig[]
  equityPoints: number
}

/**
 * Expands the grid and checks every set and the shared options, before
 * anything runs. @internal
 */
export function prepareSweep(
  options: Pick<
    SweepOptions,
    'grid' | 'config' | 'market' | 'fees' | 'equityPoints'
  >,
): PreparedSweep {
  const sets = expandGrid(options.grid)
  const configs = validateSets(options.config, sets, options.market)
  return { sets, configs, equityPoints: checkShared(options) }
}

/**
 * The error of a sweep whose set `index` failed in its backtest (`error`:
 * what it threw, or its message from a worker). @internal
 */
export function setFailed(index: number, error: unknown): LadderConfigError {
  const message = error instanceof Error ? error.message : String(error)
  return new LadderConfigError(
    'The sweep failed.',
    [
      {
        path: `grid set ${index}`,
        value: message,
        message: 'its backtest threw',
      },
    ],
    error instanceof Error ? { cause: error } : undefined,
  )
}

/**
 * Checks the options every set shares (fees, equity points), so they fail
 * once, before anything runs.
 * @returns The equity points per report.
 */
function checkShared(options: {
  fees?: BacktestFees | undefined
  equityPoints?: number | undefined
}): number {
  checkFees(options.fees)
  return equityPointsOf(options.equityPoints, 50)
}

/**
 * The config of every set, or one error listing every bad set. Each set is
 * also checked against the market (the exact integer setup a backtest
 * starts with), so a set the market cannot trade fails here, before any
 * candle is read or worker started; market rules that are wrong for every
 * set fail once, as they are.
 */
function validateSets(
  base: LadderConfig,
  sets: SweepSet[],
  market: LadderMarket,
): LadderConfig[] {
  const issues: ConfigIssue[] = []
  const configs: LadderConfig[] = []
  const collect = (i: number, error: unknown) => {
    if (!(error instanceof LadderConfigError)) throw error
    for (const issue of error.issues)
      issues.push({
        ...issue,
        path: `grid set ${i} (${JSON.stringify(sets[i])}): ${issue.path}`,
      })
  }
  sets.forEach((set, i) => {
    try {
      // Flat keys with the spec's names: validateConfig reads them directly.
      configs.push(validateConfig({ ...base, ...set }).config)
    } catch (error) {
      collect(i, error)
    }
  })
  if (issues.length === 0) {
    // The market's own rules do not depend on the set: checked once.
    derive(configs[0] as LadderConfig, market)
    configs.forEach((config, i) => {
      try {
        derive(config, market)
      } catch (error) {
        collect(i, error)
      }
    })
  }
  if (issues.length > 0)
    throw new LadderConfigError(
      'Some parameter sets of the sweep are not valid.',
      issues,
    )
  return configs
}

function metricOf(report: SweepReportSummary, metric: SweepMetric): string {
  switch (metric) {
    case 'realisedProfit':
      return report.realisedProfit
    case 'cycles':
      return String(report.cycles)
    case 'totalProfit':
      return addToString(report.realisedProfit, report.unrealisedProfit)
    case 'profitOverDrawdown': {
      const profit = addToString(report.realisedProfit, report.unrealisedProfit)
      if (compareSigned(report.maxDrawdown, '0') === 0)
        return compareSigned(profit, '0') > 0 ? 'Infinity' : profit
      return divideToString(profit, report.maxDrawdown, 8, 'down')
    }
  }
}

/** Ranks reports best first by the metric (ties keep grid order). @internal */
export function rank<R extends SweepReportSummary>(
  sets: SweepSet[],
  reports: R[],
  metric: SweepMetric,
): RankedSweepSet<R>[] {
  const rows = reports.map((report, index) => ({
    index,
    params: sets[index] ?? {},
    metric: metricOf(report, metric),
    report,
  }))
  rows.sort((a, b) => {
    if (a.metric === 'Infinity' || b.metric === 'Infinity') {
      if (a.metric === b.metric) return a.index - b.index
      return a.metric === 'Infinity' ? -1 : 1
    }
    return compareSigned(b.metric, a.metric) || a.index - b.index
  })
  return rows.map((row, i) => ({ rank: i + 1, ...row }))
}
