/**
 * The position's figures in exact integer units: the take-profit, stop-loss
 * and trailing-stop prices in ticks, what is held and sellable (with the
 * remainder carried from earlier cycles), and base-asset fees.
 */

import type { Ratio } from '../decimal.js'
import { ceilDiv, divRound, floorDiv, formatUnits, pow10 } from '../decimal.js'
import type { Derived } from '../plan.js'
import type { DecimalString, PositionRecord } from '../types.js'

/**
 * Take-profit price in ticks, rounded UP (so the target is never below
 * average x (1 + tp/100)). Classic: average = cost / bought quantity (gross
 * of fees). Fee-aware: average = (cost + quote buy fees) / held quantity
 * (base-asset fees reduce what can be sold). @internal
 */
export function takeProfitTicks(
  dv: Derived,
  position: PositionRecord,
  heldLots: number,
  mul = dv.tpMul,
): number {
  if (dv.config.feeAwareTakeProfit && heldLots > 0) {
    const cost = position.costTickLots * dv.tlMoney
    const num = cost + position.buyFeeUnits
    const den = heldLots * dv.tlMoney
    if (
      Number.isSafeInteger(cost) &&
      Number.isSafeInteger(num) &&
      Number.isSafeInteger(den)
    )
      return scaleByRatio(num, den, mul, 'up')
    return Number(
      divRound(
        (BigInt(position.costTickLots) * BigInt(dv.tlMoney) +
          BigInt(position.buyFeeUnits)) *
          mul.n,
        BigInt(heldLots) * BigInt(dv.tlMoney) * mul.d,
        'up',
      ),
    )
  }
  if (position.boughtLots === 0) return 0
  return scaleByRatio(position.costTickLots, position.boughtLots, mul, 'up')
}

/**
 * `x x r / y` rounded in the named direction, for integers x >= 0 and
 * y > 0: number arithmetic when both products are exact safe integers
 * (a product above 2^53 - 1 rounds to 2^53 or more, so the check is
 * exact), else bigints. The same integer either way.
 */
function scaleByRatio(
  x: number,
  y: number,
  r: Ratio,
  rounding: 'down' | 'up',
): number {
  const a = x * Number(r.n)
  const b = y * Number(r.d)
  if (
    Number.isSafeInteger(a) &&
    Number.isSafeInteger(b) &&
    a >= 0 &&
    b > 0 &&
    r.n > 0n &&
    r.n <= MAX_SAFE &&
    r.d <= MAX_SAFE
  )
    return rounding === 'up' ? ceilDiv(a, b) : floorDiv(a, b)
  return Number(divRound(BigInt(x) * r.n, BigInt(y) * r.d, rounding))
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER)

/** Stop-loss price in ticks (rounded DOWN: triggers no earlier than asked), or null. @internal */
export function stopLossTicks(
  dv: Derived,
  position: PositionRecord,
): number | null {
  if (dv.slMul === null || position.boughtLots === 0) return null
  return scaleByRatio(
    position.costTickLots,
    position.boughtLots,
    dv.slMul,
    'down',
  )
}

/** Trailing stop for a peak, in ticks (rounded DOWN). @internal */
export function trailingStopTicks(dv: Derived, peakTicks: number): number {
  if (dv.trailMul === null) return peakTicks
  return scaleByRatio(peakTicks, 1, dv.trailMul, 'down')
}

/** Quote value (money units, rounded UP) of a base-asset fee at a price. @internal */
export function baseFeeQuoteUnits(
  dv: Derived,
  baseFeeUnits: number,
  ticks: number,
): number {
  return Number(
    divRound(
      BigInt(baseFeeUnits) * BigInt(ticks) * BigInt(dv.tickMant),
      pow10(dv.stepDec + 8 + dv.tickDec - dv.moneyScale),
      'up',
    ),
  )
}

/** Base-fee units (10^-(stepDecimals + 8)) in one lot. @internal */
export function fineUnitsPerLot(dv: Derived): number {
  return dv.stepMant * 1e8
}

/**
 * Lots held and sellable: this cycle's buys - its sells + the carried
 * remainder - base-asset fees, rounded DOWN to the lot (never sell what the
 * exchange does not hold). @internal
 */
export function sellableLots(dv: Derived, position: PositionRecord): number {
  const net = (position.carriedFineUnits ?? 0) - position.baseFeeUnits
  const netLots =
    net >= 0
      ? floorDiv(net, fineUnitsPerLot(dv))
      : -ceilDiv(-net, fineUnitsPerLot(dv))
  return Math.max(
    0,
    position.boughtLots -
      position.soldLots +
      (position.carriedLots ?? 0) +
      netLots,
  )
}

/**
 * Lots of this cycle's own buys still held (sells take the carried lots
 * first; base-asset fees rounded UP to the lot): the quantity of the
 * take-profit average, which leaves the carried remainder out. @internal
 */
export function cycleLots(dv: Derived, position: PositionRecord): number {
  const soldOwn = Math.max(0, position.soldLots - (position.carriedLots ?? 0))
  const feeLots =
    position.baseFeeUnits === 0
      ? 0
      : ceilDiv(position.baseFeeUnits, fineUnitsPerLot(dv))
  return Math.max(0, position.boughtLots - soldOwn - feeLots)
}

/**
 * Lots of this cycle's own buys, base-asset fees (rounded UP to the lot)
 * taken off, sells NOT taken off: the fee-aware average's quantity for the
 * multi-step take profit, so that what remains after a partial exit keeps
 * its average cost. @internal
 */
export function entryLots(dv: Derived, position: PositionRecord): number {
  const feeLots =
    position.baseFeeUnits === 0
      ? 0
      : ceilDiv(position.baseFeeUnits, fineUnitsPerLot(dv))
  return Math.max(0, position.boughtLots - feeLots)
}

/** What a position still holds, exactly, and its cost basis. @internal */
export interface Holding {
  /** Whole lots. */
  lots: number
  /** The part below one lot, in base-fee units (0 to one lot - 1). */
  fineUnits: number
  /** Cost basis at average cost, in money units (rounded DOWN). */
  costUnits: number
}

/**
 * The base asset a position still holds (carried in + bought - sold - base
 * fees, exact in base-fee units, 0 when the sells took more) and its cost
 * basis at average cost: (carried cost + buy cost) x held / acquired,
 * rounded DOWN, so the cost booked against the sells is never understated.
 * Quote fees are not part of the cost basis (they are booked as fees).
 * @internal
 */
export function holding(dv: Derived, position: PositionRecord): Holding {
  const carriedLots = position.carriedLots ?? 0
  const carriedFine = position.carriedFineUnits ?? 0
  const carriedCost = position.carriedCostUnits ?? 0
  const wholeLots = carriedLots + position.boughtLots - position.soldLots
  const fine = carriedFine - position.baseFeeUnits
  // Fast path: nothing left (every fee-free or quote-fee cycle).
  if (wholeLots <= 0 && fine <= 0)
    return { lots: 0, fineUnits: 0, costUnits: 0 }
  const perLot = BigInt(fineUnitsPerLot(dv))
  const rest = BigInt(wholeLots) * perLot + BigInt(fine)
  if (rest <= 0n) return { lots: 0, fineUnits: 0, costUnits: 0 }
  const acquired =
    BigInt(carriedLots + position.boughtLots) * perLot + BigInt(fine)
  const totalCost =
    BigInt(carriedCost) + BigInt(position.costTickLots) * BigInt(dv.tlMoney)
  const lots = rest / perLot
  return {
    lots: Number(lots),
    fineUnits: Number(rest - lots * perLot),
    costUnits: Number(divRound(totalCost * rest, acquired, 'down')),
  }
}

/**
 * A cycle's settlement at its end: what stays held (below the step or the
 * market minimum, or left by base-asset fees: its cost moves to the next
 * cycle with it instead of being booked as a loss), the cycle's fees, and
 * the realised profit of what was sold, in money units. @internal
 */
export function settlement(
  dv: Derived,
  p: PositionRecord,
): { rest: Holding; fees: number; profit: number } {
  const fees = p.buyFeeUnits + p.sellFeeUnits
  const rest = holding(dv, p)
  const costSold =
    (p.carriedCostUnits ?? 0) + p.costTickLots * dv.tlMoney - rest.costUnits
  return {
    rest,
    fees,
    profit: p.proceedsTickLots * dv.tlMoney - costSold - fees,
  }
}

/** Formats a holding's quantity exactly (not rounded to the step). @internal */
export function holdingToQuantity(dv: Derived, h: Holding): DecimalString {
  // Number arithmetic when every step is an exact safe integer (nothing
  // held, the usual case at a cycle's end), else bigints.
  const whole = h.lots * fineUnitsPerLot(dv)
  const units = whole + h.fineUnits
  if (Number.isSafeInteger(whole) && Number.isSafeInteger(units))
    return formatUnits(units, dv.stepDec + 8)
  return formatUnits(
    BigInt(h.lots) * BigInt(fineUnitsPerLot(dv)) + BigInt(h.fineUnits),
    dv.stepDec + 8,
  )
}
