/**
 * Fills: an `orderFilled` event booked on its order and the position, the
 * `fillBooked` command that reports it, and the status change it causes.
 */
import {
  ceilDiv,
  divideToString,
  floorDiv,
  formatUnits,
  parseUnits,
} from '../decimal.js'
import {
  type Derived,
  derive,
  lotsToQuantity,
  moneyToString,
  priceToTicks,
  quantityToLots,
  ticksToPrice,
} from '../plan.js'
import type { LadderState, OrderRecord } from '../types.js'
import type { LadderCommand, StepResult } from './commands.js'
import type { OrderFilledEvent } from './events.js'
import { beginExitWork, settleExit } from './exits.js'
import {
  baseFeeQuoteUnits,
  cycleLots,
  holding,
  holdingToQuantity,
  takeProfitTicks,
} from './position.js'
import { topUpRungs } from './rolling.js'
import {
  findOrder,
  finish,
  heldLots,
  NONE,
  type Work,
  warning,
  withFills,
  work,
} from './state.js'
import { noteStepSells } from './steps.js'
import { enterPosition, syncTakeProfitOrder } from './takeProfit.js'
import { refreshTargets, stepTargetTicks } from './targets.js'

/**
 * `orderFilled` in a running state. `report: false` leaves out the
 * `fillBooked` command (it only reports; the state and every other command
 * are the same): the backtest's path, which reads no report.
 */
export function onFill(
  state: LadderState,
  event: OrderFilledEvent,
  report = true,
): StepResult {
  const i = findOrder(state.orders, event.clientId)
  if (i < 0)
    return warning(
      state,
      event,
      `ignored a fill for unknown client id ${event.clientId} (send a reconciled event to adopt it)`,
    )
  const dv = derive(state.setup.config, state.setup.market)
  const o = state.orders[i] as OrderRecord
  const cmds: LadderCommand[] = []
  // Conservative rounding of off-grid values: buys cost at least, sells
  // receive at most, quantities never more than reported.
  let lots = quantityToLots(dv, String(event.quantity), 'down')
  const ticks = priceToTicks(
    dv,
    String(event.price),
    o.side === 'buy' ? 'up' : 'down',
  )
  if (lots === null || lots === 0 || ticks === null || ticks === 0)
    return warning(
      state,
      event,
      `ignored a fill of client id ${event.clientId}: quantity ${JSON.stringify(event.quantity)} or price ${JSON.stringify(event.price)} is not a decimal string > 0 on the market's step/tick`,
    )
  if (event.cumulativeQuantity !== undefined) {
    const cumulative = quantityToLots(
      dv,
      String(event.cumulativeQuantity),
      'down',
    )
    if (cumulative !== null) {
      if (cumulative <= o.filledLots)
        return warning(
          state,
          event,
          `ignored a duplicate fill of client id ${event.clientId} (cumulative ${event.cumulativeQuantity} already known)`,
        )
      if (cumulative > o.filledLots + lots) {
        cmds.push({
          type: 'warning',
          message: `adopted missed fills of client id ${event.clientId}: cumulative ${event.cumulativeQuantity} is more than known + this fill`,
          event: 'orderFilled',
        })
        lots = cumulative - o.filledLots
      }
    }
  }
  const base = event.feeAsset === 'base'
  const fee = parseUnits(
    String(event.fee),
    base ? dv.stepDec + 8 : dv.moneyScale,
    'up',
  )
  if (fee === null)
    cmds.push({
      type: 'warning',
      message: `fee ${JSON.stringify(event.fee)} of client id ${event.clientId} is not a decimal string; counted as 0`,
      event: 'orderFilled',
    })
  const w = work(state)
  applyFill(
    dv,
    w,
    i,
    lots,
    ticks * lots,
    base ? 0 : (fee ?? 0),
    base ? (fee ?? 0) : 0,
    ticks,
  )
  if (report)
    bookFill(
      dv,
      w,
      w.orders[i] as OrderRecord,
      lots,
      ticks * lots,
      base ? 0 : (fee ?? 0),
      base ? (fee ?? 0) : 0,
      base,
      false,
      cmds,
    )
  afterFill(dv, w, o, event.at, cmds)
  // Rolling rungs: a rung that filled completely makes room for the next.
  if (o.side === 'buy') topUpRungs(dv, w, cmds)
  return [finish(w), cmds.length === 0 ? NONE : cmds]
}

/**
 * Reports a fill just applied to `w` as a `fillBooked` command, with the
 * position's average entry and take-profit target after it.
 */
export function bookFill(
  dv: Derived,
  w: Work,
  order: Pick<OrderRecord, 'cycle' | 'clientId' | 'side' | 'rung'> & {
    filledLots: number
    qtyLots: number
  },
  lots: number,
  tickLots: number,
  feeUnits: number,
  baseFeeUnits: number,
  baseFee: boolean,
  adopted: boolean,
  cmds: LadderCommand[],
): void {
  const p = w.position
  // One exchange fill: an exact tick. Several adopted at once: their
  // average, toward the machine (buys cost at least, sells got at most).
  const ticks =
    tickLots % lots === 0
      ? tickLots / lots
      : order.side === 'buy'
        ? ceilDiv(tickLots, lots)
        : floorDiv(tickLots, lots)
  const bought = p.boughtLots > 0
  const step = (order as { takeProfitStep?: number }).takeProfitStep
  cmds.push({
    type: 'fillBooked',
    cycle: order.cycle,
    clientId: order.clientId,
    side: order.side,
    rung: order.rung,
    price: ticksToPrice(dv, ticks),
    quantity: lotsToQuantity(dv, lots),
    fee: baseFee
      ? formatUnits(baseFeeUnits, dv.stepDec + 8)
      : moneyToString(dv, feeUnits),
    feeAsset: baseFee ? 'base' : 'quote',
    orderFilled: order.filledLots >= order.qtyLots,
    adopted,
    held: holdingToQuantity(dv, holding(dv, p)),
    averageEntry: bought
      ? divideToString(
          formatUnits(BigInt(p.costTickLots) * BigInt(dv.tickMant), dv.tickDec),
          String(p.boughtLots),
          dv.tickDec + 8,
          'up',
        )
      : null,
    takeProfitPrice: bought
      ? ticksToPrice(
          dv,
          dv.steps !== null
            ? stepTargetTicks(dv, w, w.tpStep)
            : takeProfitTicks(dv, p, cycleLots(dv, p)),
        )
      : null,
    ...(step === undefined ? {} : { step }),
  })
}

/** Books a fill of `lots` costing `tickLots` on order `i` (no status transition). */
export function applyFill(
  dv: Derived,
  w: Work,
  i: number,
  lots: number,
  tickLots: number,
  feeUnits: number,
  baseFeeUnits: number,
  ticks: number,
): void {
  const o = w.orders[i] as OrderRecord
  const filledLots = o.filledLots + lots
  const status =
    filledLots >= o.qtyLots
      ? 'filled'
      : o.status === 'pending'
        ? 'open'
        : o.status
  w.orders[i] = withFills(
    o,
    filledLots,
    o.filledTickLots + tickLots,
    o.feeUnits + feeUnits,
    o.baseFeeUnits + baseFeeUnits,
    status,
  )
  const p = w.position
  // A base-asset fee's quote value at the fill price, for the fee total
  // (rounded UP); the cycle's profit already reflects it through the
  // smaller quantity sold.
  const baseQuote =
    baseFeeUnits === 0 ? 0 : baseFeeQuoteUnits(dv, baseFeeUnits, ticks)
  if (o.side === 'buy') {
    p.boughtLots += lots
    p.costTickLots += tickLots
    p.buyFeeUnits += feeUnits
    p.baseFeeUnits += baseFeeUnits
    p.fills++
    w.totals.fills++
  } else {
    p.soldLots += lots
    p.proceedsTickLots += tickLots
    p.sellFeeUnits += feeUnits
  }
  w.totals.feeUnits += feeUnits + baseQuote
}

// Its inPosition and exiting arms end like reconcile.ts's on purpose: a fill
// and an adopted fill lead to the same transitions, under different guards.
/** Status transitions after a fill was booked. */
export function afterFill(
  dv: Derived,
  w: Work,
  order: OrderRecord,
  at: number,
  cmds: LadderCommand[],
): void {
  switch (w.status) {
    case 'laddering':
      if (order.side === 'buy') enterPosition(dv, w, cmds)
      return
    case 'inPosition':
      if (order.side === 'buy') {
        refreshTargets(dv, w)
        if (w.setup.config.takeProfitOrder === 'limit')
          syncTakeProfitOrder(dv, w, cmds)
        return
      }
      // Multi-step, limit mode: a step sold (the first one ends the buying).
      if (dv.steps !== null && w.setup.config.takeProfitOrder === 'limit')
        noteStepSells(dv, w, cmds)
      if (heldLots(dv, w.position) < dv.minLots) {
        // The resting take-profit order sold the position.
        beginExitWork(dv, w, at, 'takeProfit', w.takeProfitPrice, false, cmds)
      } else if (w.setup.config.takeProfitOrder === 'limit')
        syncTakeProfitOrder(dv, w, cmds)
      return
    case 'exiting':
      settleExit(dv, w, at, cmds)
      return
    case 'starting':
    case 'coolingDown':
    case 'stopped':
    case 'idle':
      if (order.side === 'buy') {
        // A rung filled while its cancel was on the way: the position is
        // real, so manage it (take profit) without a new ladder.
        cmds.push({
          type: 'warning',
          message: `order ${order.clientId} filled after it was canceled; managing the position before the next ladder`,
          event: 'orderFilled',
        })
        if (w.status === 'stopped') return
        if (w.status === 'coolingDown') {
          w.timers.coolDown = false
          cmds.push({ type: 'cancelTimer', timer: 'coolDown' })
        }
        enterPosition(dv, w, cmds)
      }
      return
  }
}
