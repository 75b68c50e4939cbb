/**
 * The backtest's report (../backtest.ts, step 3), written once at the end
 * from the run's integer figures: the totals, the open position marked at
 * the last close, the equity figures and the curve. Shared by the machine's
 * paths (./simulator.ts) and the kernel (./kernel/), so both format the
 * same figures the same way.
 */
import type { BacktestReport, Trade } from '../backtestOptions.js'
import { type StepTally, stepReport } from '../backtestSteps.js'
import type { CandleSeries } from '../candles/series.js'
import { formatUnits } from '../decimal.js'
import type { Derived } from '../plan.js'
import type {
  LadderState,
  PositionRecord,
  RunTotals,
  StopReason,
} from '../types.js'
import type { EquityTracker } from './equity.js'

/** What the report is written from, at the end of a run. @internal */
export interface ReportInput {
  status: LadderState['status']
  /** The stop reason when `status` is `'stopped'`, else null. */
  stopReason: StopReason | null
  position: PositionRecord
  totals: RunTotals
  trades: Trade[]
  warnings: string[]
  steps: StepTally | null
}

/** The report, with the open position marked at the last close. @internal */
export function writeReport(
  run: ReportInput,
  equity: EquityTracker,
  candles: CandleSeries,
  dv: Derived,
): BacktestReport {
  const { totals } = run
  const { Q, lotCloseToQ } = equity
  const M = dv.moneyScale
  const moneyToQ = 10 ** (Q - M)
  const N = candles.length
  const p = run.position
  // Includes what earlier cycles carried (held, at its cost basis).
  const carriedLots = p.carriedLots ?? 0
  const held = p.boughtLots - p.soldLots + carriedLots
  const valueQ = held * (candles.close[N - 1] as number) * lotCloseToQ
  const unrealisedQ =
    p.boughtLots > 0 || carriedLots > 0
      ? (p.proceedsTickLots * dv.tlMoney -
          p.costTickLots * dv.tlMoney -
          (p.carriedCostUnits ?? 0) -
          p.buyFeeUnits -
          p.sellFeeUnits) *
          moneyToQ +
        valueQ
      : 0
  return {
    candles: N,
    cycles: totals.cycles,
    stopLosses: totals.stopLosses,
    fills: totals.fills,
    noFillRestarts: totals.noFillRestarts,
    realisedProfit: formatUnits(totals.realisedUnits, M),
    fees: formatUnits(totals.feeUnits, M),
    openPositionQty: formatUnits(held * dv.stepMant, dv.stepDec),
    openPositionValue: formatUnits(valueQ, Q),
    unrealisedProfit: formatUnits(unrealisedQ, Q),
    maxDrawdown: formatUnits(equity.maxDrawdown, Q),
    peakCapital: formatUnits(equity.peakCapital, M),
    finalStatus: run.status,
    stopReason: run.status === 'stopped' ? run.stopReason : null,
    equity: equity.curve.map((pt) => ({
      time: pt.time,
      equity: formatUnits(pt.equity, Q),
      low: formatUnits(pt.low, Q),
    })),
    trades: run.trades,
    warnings: run.warnings,
    ...(run.steps === null
      ? {}
      : { takeProfitSteps: stepReport(dv, run.steps) }),
  }
}
