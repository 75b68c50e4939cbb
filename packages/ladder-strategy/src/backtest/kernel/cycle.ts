/**
 * The kernel's position (./state.ts): the bids that fill, the targets,
 * and the exit at a target with its settlement.
 */
import { clientIdFor, SELL_SLOT0 } from '../../machine/clientIds.js'
import {
  cycleLots,
  sellableLots,
  settlement,
  stopLossTicks,
  takeProfitTicks,
} from '../../machine/position.js'
import { carriedPosition } from '../../machine/state.js'
import { floorDivExact } from '../quiet.js'
import { clearBook, feeOf, type KernelState, stop, trade } from './state.js'

/**
 * Step b of a candle: the bids at or above `lowS` (in S) fill, highest
 * first, at their own price, as maker fills (the first one enters the
 * position and ends the no-fill wait); then the position's targets.
 * @internal
 */
export function fillBids(k: KernelState, lowS: number, at: number): void {
  const p = k.position
  const totals = k.totals
  let i = k.top
  while (i < k.count && (k.bidTicks[i] as number) * k.tickS >= lowS) {
    const ticks = k.bidTicks[i] as number
    const lots = k.bidLots[i] as number
    const tickLots = ticks * lots
    k.buyNotionalTL -= tickLots
    const paid = feeOf(k, ticks, lots, k.run.maker, k.makerN)
    if (k.run.withTrades)
      trade(
        k,
        at,
        clientIdFor(k.cycle, k.bidRung[i] as number),
        'buy',
        ticks,
        lots,
        paid,
      )
    p.boughtLots += lots
    p.costTickLots += tickLots
    p.buyFeeUnits += paid
    p.fills++
    totals.fills++
    totals.feeUnits += paid
    i++
  }
  k.top = i
  if (k.status === 'laddering') {
    k.status = 'inPosition'
    k.noFillAt = Number.POSITIVE_INFINITY
  }
  refreshTargets(k)
  k.touch()
}

/** The take-profit and stop-loss targets from the position (refreshTargets). */
function refreshTargets(k: KernelState): void {
  const dv = k.dv
  const p = k.position
  if (!Number.isSafeInteger(p.costTickLots * dv.tlMoney)) k.exact = false
  const toS = k.candleToS
  const tp = takeProfitTicks(dv, p, cycleLots(dv, p))
  k.tpTicks = tp
  const tpS = tp * dv.tickMant * k.tickToS
  k.tpS = tpS
  // A target past the safe integers is past every high (all are safe).
  k.tpBound =
    tpS > Number.MAX_SAFE_INTEGER
      ? Number.POSITIVE_INFINITY
      : toS === 1
        ? tpS
        : -floorDivExact(-tpS, toS)
  const sl = stopLossTicks(dv, p)
  if (sl === null) {
    k.slS = Number.NEGATIVE_INFINITY
    k.slBound = Number.NEGATIVE_INFINITY
    return
  }
  k.slTicks = sl
  const slS = sl * dv.tickMant * k.tickToS
  k.slS = slS
  k.slBound = toS === 1 ? slS : floorDivExact(slS, toS)
}

/**
 * The exit at a target (beginExitWork, then settleExit once the cancels
 * and the market sell are acknowledged, at once here): the rest of the
 * ladder canceled, the sellable lots sold at the stop-loss price (taker)
 * or the take-profit price (maker). @internal
 */
export function exit(k: KernelState, stopLoss: boolean, at: number): void {
  const dv = k.dv
  clearBook(k)
  const ticks = stopLoss ? k.slTicks : k.tpTicks
  const p = k.position
  const held = sellableLots(dv, p)
  if (held >= dv.minLots) {
    const rate = stopLoss ? k.run.taker : k.run.maker
    const paid = feeOf(k, ticks, held, rate, stopLoss ? k.takerN : k.makerN)
    if (k.run.withTrades)
      trade(k, at, clientIdFor(k.cycle, SELL_SLOT0), 'sell', ticks, held, paid)
    p.soldLots += held
    p.proceedsTickLots += ticks * held
    p.sellFeeUnits += paid
    k.totals.feeUnits += paid
  }
  settle(k, stopLoss, at)
}

/** settleExit: the cycle's profit, the carried rest, then what follows. */
function settle(k: KernelState, stopLoss: boolean, at: number): void {
  const dv = k.dv
  const p = k.position
  const totals = k.totals
  const { rest, profit } = settlement(dv, p)
  totals.cycles++
  if (stopLoss) totals.stopLosses++
  totals.realisedUnits += profit
  if (
    !Number.isSafeInteger(p.proceedsTickLots * dv.tlMoney) ||
    !Number.isSafeInteger(totals.realisedUnits) ||
    !Number.isSafeInteger(totals.feeUnits)
  )
    k.exact = false
  k.position = carriedPosition(rest.lots, rest.fineUnits, rest.costUnits)
  k.tpS = Number.POSITIVE_INFINITY
  k.tpBound = Number.POSITIVE_INFINITY
  k.slS = Number.NEGATIVE_INFINITY
  k.slBound = Number.NEGATIVE_INFINITY
  const config = k.run.config
  if (config.maxCycles !== false && totals.cycles >= config.maxCycles)
    stop(k, 'maxCycles')
  else if (!config.restartAfterTakeProfit) stop(k, 'takeProfitNoRestart')
  else if (dv.coolDownMs > 0) {
    k.status = 'coolingDown'
    k.coolDownAt = at + dv.coolDownMs
  } else k.status = 'starting'
  k.touch()
}
