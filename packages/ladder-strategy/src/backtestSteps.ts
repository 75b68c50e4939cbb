/**
 * The backtest's tally of the multi-step take profit (`takeProfitSteps`):
 * sells, quantity and proceeds per step, in exact integer units, summed as
 * the simulator fills each step's sell and formatted for the report.
 */
import type { TakeProfitStepReport } from './backtestOptions.js'
import { formatUnits } from './decimal.js'
import type { Derived } from './plan.js'

/** Per-step running sums (lots and tick-lots are exact integers). @internal */
export interface StepTally {
  sells: number[]
  lots: number[]
  tickLots: number[]
}

/** An empty tally for `count` steps. @internal */
export function createStepTally(count: number): StepTally {
  return {
    sells: new Array<number>(count).fill(0),
    lots: new Array<number>(count).fill(0),
    tickLots: new Array<number>(count).fill(0),
  }
}

/** Books one sell fill of step `step`. @internal */
export function tallyStepSell(
  tally: StepTally,
  step: number,
  ticks: number,
  lots: number,
): void {
  if (step < 0 || step >= tally.sells.length) return
  tally.sells[step] = (tally.sells[step] as number) + 1
  tally.lots[step] = (tally.lots[step] as number) + lots
  tally.tickLots[step] = (tally.tickLots[step] as number) + ticks * lots
}

/** The report rows of a tally. @internal */
export function stepReport(
  dv: Derived,
  tally: StepTally,
): TakeProfitStepReport[] {
  return tally.sells.map((sells, step) => ({
    step,
    sells,
    quantity: formatUnits(
      (tally.lots[step] as number) * dv.stepMant,
      dv.stepDec,
    ),
    proceeds: formatUnits(
      (tally.tickLots[step] as number) * dv.tlMoney,
      dv.moneyScale,
    ),
  }))
}
