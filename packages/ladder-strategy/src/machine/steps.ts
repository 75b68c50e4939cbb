/**
 * Multi-step take profit (`takeProfitSteps`): up to four targets, each a
 * share of the position at average entry x (1 + profit/100), rounded UP to
 * the tick.
 *
 * Quantities: B is the position the shares are of (lots held + lots sold
 * this cycle, fixed when the first step sells; until then, what is held).
 * Step i's cumulative quantity is floor(cum_i x B) (cum_i = the shares up to
 * i; rounded DOWN to the lot), and a step sells its cumulative quantity minus
 * what is already sold (or being sold): a step below the market minimum is
 * skipped, its share rolls into the next one; the last step sells whatever is
 * left, and a remainder below the minimum is added to the step before it
 * (or, when every earlier step has sold, carried into the next cycle like
 * any unsellable remainder).
 *
 * ```
 * market mode: price >= target(k) -> (first step: fix B, cancel the rungs)
 *              market sell of step k, k+1, ... while the price reaches them;
 *              the last step is the classic exit (trailing may apply to it).
 * limit mode:  resting limit sells, one per step left, re-placed when the
 *              targets move (buy fills); the first sell fill fixes B and
 *              cancels the rungs; the position sold out ends the cycle.
 * ```
 *
 * What remains after a partial exit keeps its average cost: the targets'
 * average is the cycle's buys (cost / bought; fee-aware: (cost + quote fees)
 * / bought less base fees), which sells do not move.
 */
import { compareDecimal } from '../decimal.js'
import {
  type Derived,
  derive,
  lotsToQuantity,
  priceToTicks,
  ticksToPrice,
} from '../plan.js'
import type { DecimalString, LadderState, OrderRecord } from '../types.js'
import type { LadderCommand, StepResult } from './commands.js'
import { beginExitWork } from './exits.js'
import { trailingStopTicks } from './position.js'
import {
  cancelLive,
  finish,
  heldLots,
  isLive,
  type Work,
  withStatus,
  work,
} from './state.js'
import {
  inFlightSellLots,
  placeSell,
  refreshTargets,
  stepTargetTicks,
} from './targets.js'

type Steps = NonNullable<Derived['steps']>

/** floor(cum_k x B): the lots sold once step k is done. */
function cumLots(steps: Steps, k: number, base: number): number {
  const cum = (steps[k] as Steps[number]).cum
  return Number((BigInt(base) * cum.n) / cum.d)
}

/** The steps' base: fixed once the first step sold, else the position held. */
function stepBase(dv: Derived, w: Work): number {
  return w.stepBase > 0
    ? w.stepBase
    : heldLots(dv, w.position) + w.position.soldLots
}

/** Fixes B at the first step and cancels the rungs (no more buying). */
function fixBase(dv: Derived, w: Work, cmds: LadderCommand[]): void {
  if (w.stepBase > 0) return
  w.stepBase = Math.max(1, heldLots(dv, w.position) + w.position.soldLots)
  cancelLive(w, cmds, 'buy')
}

/** A step's sell in the order of the steps left: step, target ticks, lots. */
interface StepSell {
  step: number
  ticks: number
  lots: number
}

/**
 * The sells the steps left should have resting (limit mode), lowest target
 * first; their lots add up to what is held (less a dust remainder that no
 * step can take).
 */
export function desiredStepSells(dv: Derived, w: Work): StepSell[] {
  const steps = dv.steps as Steps
  const last = steps.length - 1
  const held = heldLots(dv, w.position)
  const base = stepBase(dv, w)
  const out: StepSell[] = []
  let covered = w.position.soldLots
  let sum = 0
  for (let i = w.tpStep; i < last; i++) {
    const lots = Math.min(cumLots(steps, i, base) - covered, held - sum)
    if (lots < dv.minLots) continue
    out.push({ step: i, ticks: stepTargetTicks(dv, w, i), lots })
    covered += lots
    sum += lots
  }
  const rest = held - sum
  const prev = out[out.length - 1]
  if (rest >= dv.minLots)
    out.push({ step: last, ticks: stepTargetTicks(dv, w, last), lots: rest })
  else if (rest > 0 && prev) prev.lots += rest
  return out
}

/**
 * Limit mode: keeps one resting sell per step left, as
 * {@link desiredStepSells} says. A sell that no longer matches (its step's
 * target or quantity moved) is canceled, and nothing is placed while a
 * cancel is unacknowledged (it may still fill): the sells never exceed the
 * position.
 */
export function syncStepOrders(
  dv: Derived,
  w: Work,
  cmds: LadderCommand[],
): void {
  for (const o of w.orders)
    if (o.side === 'sell' && o.status === 'canceling') return
  const want = desiredStepSells(dv, w)
  const used: boolean[] = want.map(() => false)
  const cancel: number[] = []
  for (let i = 0; i < w.orders.length; i++) {
    const o = w.orders[i] as OrderRecord
    if (o.side !== 'sell' || !isLive(o)) continue
    const j = want.findIndex(
      (s, k) =>
        !used[k] &&
        s.step === o.takeProfitStep &&
        s.ticks === o.priceTicks &&
        s.lots === o.qtyLots - o.filledLots,
    )
    if (j >= 0) used[j] = true
    else {
      w.orders[i] = withStatus(o, 'canceling')
      cancel.push(o.clientId)
    }
  }
  if (cancel.length > 0) {
    cmds.push({
      type: 'cancelOrders',
      symbol: w.setup.market.symbol,
      clientIds: cancel,
    })
    return
  }
  want.forEach((s, k) => {
    if (!used[k])
      placeSell(dv, w, 'limit', s.lots, s.ticks, 'takeProfit', cmds, s.step)
  })
}

/**
 * After a sell of the cycle filled (limit mode, or adopted by a reconcile):
 * the first one fixes B and cancels the rungs; the steps whose cumulative
 * quantity is sold are done, and the target moves to the next step.
 */
export function noteStepSells(
  dv: Derived,
  w: Work,
  cmds: LadderCommand[],
): void {
  if (w.position.soldLots === 0) return
  fixBase(dv, w, cmds)
  const steps = dv.steps as Steps
  const before = w.tpStep
  while (
    w.tpStep < steps.length - 1 &&
    w.position.soldLots >= cumLots(steps, w.tpStep, w.stepBase)
  )
    w.tpStep++
  if (w.tpStep !== before) {
    refreshTargets(dv, w)
    cmds.push({
      type: 'log',
      message: `take-profit step ${before + 1} of ${steps.length} sold; next target ${w.takeProfitPrice}`,
    })
  }
}

/**
 * Market mode, `priceUpdated` at or above the next step's target (not the
 * last): market sells for every step the price reaches, then the last step
 * as the classic take profit (or its trailing) when the price reaches it too.
 */
export function triggerSteps(
  state: LadderState,
  price: DecimalString,
  at: number,
): StepResult {
  const dv = derive(state.setup.config, state.setup.market)
  const steps = dv.steps as Steps
  const last = steps.length - 1
  const w = work(state)
  const cmds: LadderCommand[] = []
  while (
    w.tpStep < last &&
    compareDecimal(price, w.takeProfitPrice) >= 0 &&
    w.status === 'inPosition'
  ) {
    const k = w.tpStep
    fixBase(dv, w, cmds)
    const inFlight = inFlightSellLots(w)
    const free = heldLots(dv, w.position) - inFlight
    let lots = Math.min(
      cumLots(steps, k, w.stepBase) - (w.position.soldLots + inFlight),
      free,
    )
    // What would be left is below the minimum: this step sells it too.
    if (free - lots < dv.minLots) lots = free
    if (lots >= dv.minLots) {
      cmds.push({
        type: 'log',
        message: `take-profit step ${k + 1} of ${steps.length} reached at ${price}: selling ${lotsToQuantity(dv, lots)} at ${w.takeProfitPrice}`,
      })
      placeSell(dv, w, 'market', lots, w.takeProfitTicks, 'takeProfit', cmds, k)
    }
    w.tpStep++
    refreshTargets(dv, w)
  }
  if (
    w.status === 'inPosition' &&
    w.tpStep === last &&
    compareDecimal(price, w.takeProfitPrice) >= 0
  ) {
    if (dv.trailMul !== null) {
      // Trailing applies to the last step (as to the single take profit).
      const peak = priceToTicks(dv, price, 'down') ?? w.takeProfitTicks
      w.trailingPeak = price
      w.trailingStopPrice = ticksToPrice(
        dv,
        Math.max(w.takeProfitTicks, trailingStopTicks(dv, peak)),
      )
      cmds.push({
        type: 'log',
        message: `take-profit ${w.takeProfitPrice} reached at ${price}; trailing, stop at ${w.trailingStopPrice}`,
      })
    } else
      beginExitWork(dv, w, at, 'takeProfit', w.takeProfitPrice, false, cmds)
  }
  return [finish(w), cmds]
}
