/**
 * A cycle's end: the exit (take profit, trailing take profit, stop loss,
 * stop request) that cancels the rest and sells, its settlement (profit,
 * the carried remainder, then restart, cool-down or stop), and stopping.
 */

import { type Derived, derive, moneyToString, priceToTicks } from '../plan.js'
import type {
  DecimalString,
  ExitReason,
  LadderState,
  StopReason,
} from '../types.js'
import type { LadderCommand, StepResult } from './commands.js'
import {
  cycleLots,
  holding,
  holdingToQuantity,
  settlement,
} from './position.js'
import {
  baseAsset,
  cancelLive,
  carriedPosition,
  finish,
  heldLots,
  isLive,
  type Work,
  work,
} from './state.js'
import { inFlightSellLots, placeSell } from './targets.js'

export function beginExit(
  state: LadderState,
  at: number,
  reason: ExitReason,
  price: DecimalString,
  stopAfter: boolean,
): StepResult {
  const dv = derive(state.setup.config, state.setup.market)
  const w = work(state)
  const cmds: LadderCommand[] = []
  beginExitWork(dv, w, at, reason, price, stopAfter, cmds)
  return [finish(w), cmds]
}

/**
 * Spec "Take profit": cancel the unfilled rungs (and any resting sell), then
 * sell the whole sellable position at market.
 */
export function beginExitWork(
  dv: Derived,
  w: Work,
  at: number,
  reason: ExitReason,
  price: DecimalString,
  stopAfter: boolean,
  cmds: LadderCommand[],
): void {
  if (w.timers.noFill !== false) {
    w.timers.noFill = false
    cmds.push({ type: 'cancelTimer', timer: 'noFill' })
  }
  const limitTakeProfit =
    reason === 'takeProfit' && w.setup.config.takeProfitOrder === 'limit'
  // Multi-step take profit in market mode: the steps' market sells still
  // on the way are left to fill (nothing rests to cancel), and the exit
  // sells only what they do not cover.
  const stepSellsInFlight =
    dv.steps !== null && w.setup.config.takeProfitOrder === 'market'
  // A limit take-profit that filled needs no market sell; any other exit
  // cancels resting sells and sells at market.
  cancelLive(w, cmds, limitTakeProfit || stepSellsInFlight ? 'buy' : undefined)
  w.status = 'exiting'
  w.reason = reason
  w.stopAfter = stopAfter
  w.exitPrice = price
  // Limit mode (one take-profit sell or steps): resting sells being
  // canceled may still fill, so the market sell waits for their
  // acknowledgement (settleExit sells what is held once nothing is live):
  // never more than the position, so nothing else the account holds of the
  // base asset is sold.
  const waitForCancels = w.orders.some(
    (o) => o.side === 'sell' && o.status === 'canceling',
  )
  if (!limitTakeProfit && !waitForCancels) {
    const held =
      heldLots(dv, w.position) - (stepSellsInFlight ? inFlightSellLots(w) : 0)
    if (held >= dv.minLots)
      placeSell(
        dv,
        w,
        'market',
        held,
        priceToTicks(dv, price, 'down') ?? 0,
        reason,
        cmds,
        lastStepOf(dv, reason),
      )
  }
  settleExit(dv, w, at, cmds)
}

/** The last take-profit step's index for a take-profit exit's sell (multi-step only). */
function lastStepOf(dv: Derived, reason: ExitReason): number | undefined {
  return dv.steps !== null &&
    (reason === 'takeProfit' || reason === 'trailingTakeProfit')
    ? dv.steps.length - 1
    : undefined
}

/** Completes the exit once nothing is live and nothing sellable is left. */
export function settleExit(
  dv: Derived,
  w: Work,
  at: number,
  cmds: LadderCommand[],
): void {
  for (const o of w.orders) if (isLive(o)) return
  const held = heldLots(dv, w.position)
  if (held >= dv.minLots) {
    // A rung filled while being canceled: sell that too.
    placeSell(
      dv,
      w,
      'market',
      held,
      priceToTicks(dv, w.exitPrice, 'down') ?? 0,
      w.reason,
      cmds,
      lastStepOf(dv, w.reason),
    )
    return
  }
  // What could not be sold is still on the exchange (see `settlement`).
  const { rest, fees, profit } = settlement(dv, w.position)
  w.totals.cycles++
  if (w.reason === 'stopLoss') w.totals.stopLosses++
  w.totals.realisedUnits += profit
  const carriedQuantity = holdingToQuantity(dv, rest)
  const carriedCost = moneyToString(dv, rest.costUnits)
  cmds.push({
    type: 'cycleCompleted',
    cycle: w.cycle,
    reason: w.reason,
    profit: moneyToString(dv, profit),
    fees: moneyToString(dv, fees),
    carriedQuantity,
    carriedCost,
  })
  if (carriedQuantity !== '0')
    cmds.push({
      type: 'log',
      message: `cycle ${w.cycle}: ${carriedQuantity} ${baseAsset(w)} left unsold (below the step or the market minimum, or left by base-asset fees), carried into the next cycle at cost ${carriedCost}`,
    })
  w.position = carriedPosition(rest.lots, rest.fineUnits, rest.costUnits)
  w.trailingPeak = null
  w.trailingStopPrice = null
  w.tpStep = 0
  w.stepBase = 0
  const config = w.setup.config
  if (w.stopAfter) {
    stopWork(w, 'stopRequested', cmds)
    return
  }
  if (config.maxCycles !== false && w.totals.cycles >= config.maxCycles) {
    stopWork(w, 'maxCycles', cmds)
    return
  }
  if (!config.restartAfterTakeProfit) {
    stopWork(w, 'takeProfitNoRestart', cmds)
    return
  }
  if (dv.coolDownMs > 0) {
    w.status = 'coolingDown'
    w.until = at + dv.coolDownMs
    w.timers.coolDown = w.until
    cmds.push({ type: 'scheduleTimer', timer: 'coolDown', at: w.until })
    return
  }
  w.status = 'starting'
}

export function stopWork(
  w: Work,
  reason: StopReason,
  cmds: LadderCommand[],
): void {
  const dv = derive(w.setup.config, w.setup.market)
  const held = holding(dv, w.position)
  if (w.timers.noFill !== false)
    cmds.push({ type: 'cancelTimer', timer: 'noFill' })
  if (w.timers.coolDown !== false)
    cmds.push({ type: 'cancelTimer', timer: 'coolDown' })
  w.timers = { noFill: false, coolDown: false }
  w.status = 'stopped'
  w.stopReason = reason
  cmds.push({
    type: 'stopped',
    reason,
    heldQuantity: holdingToQuantity(dv, held),
    heldCost: moneyToString(dv, held.costUnits),
  })
}

// Opens like beginExit on purpose: every step derives, copies the state to
// work on and collects commands (STYLE 2.8).
export function onStop(
  state: LadderState,
  at: number,
  sell: boolean,
): StepResult {
  const dv = derive(state.setup.config, state.setup.market)
  const w = work(state)
  const cmds: LadderCommand[] = []
  if (w.status === 'exiting') {
    w.stopAfter = true
    return [
      finish(w),
      [
        {
          type: 'log',
          message: 'stop requested: stopping once the exit completes',
        },
      ],
    ]
  }
  const held = heldLots(dv, w.position)
  // Sell the position of this cycle (with the carried remainder); the
  // carried remainder alone (no fill this cycle) is reported, not sold: it
  // has no price to sell at here.
  if (
    sell &&
    held > 0 &&
    (w.status === 'inPosition' || cycleLots(dv, w.position) > 0)
  ) {
    const price = w.status === 'inPosition' ? w.takeProfitPrice : '0'
    beginExitWork(dv, w, at, 'stopRequested', price, true, cmds)
    return [finish(w), cmds]
  }
  cancelLive(w, cmds)
  if (held > 0)
    cmds.push({
      type: 'log',
      message: `stopping with ${holdingToQuantity(dv, holding(dv, w.position))} ${baseAsset(w)} still held`,
    })
  stopWork(w, 'stopRequested', cmds)
  return [finish(w), cmds]
}
