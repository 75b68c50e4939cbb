/**
 * The simulated book of ./simulator.ts: the commands performed at once
 * (orders placed, canceled and acknowledged, market sells filled, timers
 * set, warnings kept), the resting orders and their fills, with the fee of
 * each fill. Every function takes the simulator (a
 * {@link SimState}) whose book it is.
 */
import type { Trade } from '../backtestOptions.js'
import { tallyStepSell } from '../backtestSteps.js'
import { ceilDiv, divRound, formatUnits, parseUnits } from '../decimal.js'
import type { LadderCommand } from '../machine/commands.js'
import { type Derived, priceToTicks, quantityToLots } from '../plan.js'
import type { OrderRecord } from '../types.js'
import type { Rate, Resting, SimState } from './types.js'

/**
 * Performs commands at once (see ../backtest.ts for the acknowledgements).
 * @internal
 */
export function perform(
  sim: SimState,
  commands: readonly LadderCommand[],
): void {
  for (let k = 0; k < commands.length; k++) {
    const c = commands[k] as LadderCommand
    switch (c.type) {
      case 'placeOrders':
        for (const o of c.orders) {
          const r = toResting(sim, o.clientId, o.price, o.quantity)
          sim.buyNotionalTL += r.ticks * r.lots
          const buys = sim.buys
          let i = buys.length
          while (i > 0 && (buys[i - 1] as Resting).priceS < r.priceS) i--
          buys.splice(i, 0, r)
        }
        break
      case 'cancelOrders':
        cancel(sim, c.clientIds)
        break
      case 'sellPosition': {
        const r = toResting(sim, c.clientId, c.price, c.quantity)
        if (c.step !== undefined) r.step = c.step
        if (c.orderType === 'limit') {
          const sells = sim.sells
          let i = 0
          while (i < sells.length && (sells[i] as Resting).priceS <= r.priceS)
            i++
          sells.splice(i, 0, r)
        } else {
          // Spec: the take profit fills at its target as a maker fill;
          // other market exits pay the taker fee at their trigger price.
          const rate =
            c.reason === 'takeProfit' ? sim.setup.maker : sim.setup.taker
          fill(sim, r, 'sell', rate)
        }
        break
      }
      case 'scheduleTimer':
        sim.timers[c.timer] = c.at
        break
      case 'cancelTimer':
        sim.timers[c.timer] = Number.POSITIVE_INFINITY
        break
      case 'warning':
        if (sim.warnings.length < 100) sim.warnings.push(c.message)
        break
      default:
        break
    }
  }
}

/**
 * Step a of a candle, its limit sells: those at or below the high of
 * candle c (`col` is the high column) fill, lowest first, as maker fills,
 * then the queue is fed. The caller has seen the first one fill. @internal
 */
export function fillSells(sim: SimState, col: Float64Array, c: number): void {
  const highS = (col[c] as number) * sim.candleToS
  const sells = sim.sells
  while (sells.length > 0 && (sells[0] as Resting).priceS <= highS)
    fill(sim, sells.shift() as Resting, 'sell', sim.setup.maker)
  sim.drain()
}

/**
 * Step b of a candle: the bids at or above the low of candle c (`col` is
 * the low column) fill, highest price first, at their own price, as maker
 * fills. Rolling rungs (`activeOrderCount`): a fill places the next rung,
 * which fills in the same candle when the low reaches it (model v2), hence
 * the repeat: the full ladder's fills, in the same order. The caller has
 * seen the first one fill. (Column and index, not the price: see `quiet`.)
 * @internal
 */
export function fillBuys(sim: SimState, col: Float64Array, c: number): void {
  const lowS = (col[c] as number) * sim.candleToS
  const buys = sim.buys
  while (buys.length > 0 && (buys[0] as Resting).priceS >= lowS) {
    while (buys.length > 0 && (buys[0] as Resting).priceS >= lowS) {
      const r = buys.shift() as Resting
      sim.buyNotionalTL -= r.ticks * r.lots
      fill(sim, r, 'buy', sim.setup.maker)
    }
    sim.drain()
  }
}

/**
 * Fills a resting order at its own price: queues its `orderFilled` (fed by
 * the simulator's `drain`), tallies a step sell and records the trade.
 * The caller has taken `r` off its book. @internal
 */
export function fill(
  sim: SimState,
  r: Resting,
  side: 'buy' | 'sell',
  rate: Rate,
): void {
  const feeText = fee(sim.setup.dv, r.ticks, r.lots, rate)
  sim.queue.push({
    type: 'orderFilled',
    at: sim.at,
    clientId: r.clientId,
    price: r.price,
    quantity: r.quantity,
    fee: feeText,
  })
  if (r.step >= 0 && sim.steps !== null)
    tallyStepSell(sim.steps, r.step, r.ticks, r.lots)
  if (sim.setup.withTrades) {
    // The classic literal as is (pushed directly: the trade list's hot
    // allocation); a step sell gets its step afterwards.
    sim.trades.push({
      time: sim.at,
      cycle: Math.floor(r.clientId / 1024),
      side,
      price: r.price,
      quantity: r.quantity,
      fee: feeText,
      clientId: r.clientId,
    })
    if (r.step >= 0) (sim.trades[sim.trades.length - 1] as Trade).step = r.step
  }
}

function fee(dv: Derived, ticks: number, lots: number, rate: Rate): string {
  if (rate.n === 0n) return '0'
  return formatUnits(feeUnits(dv, ticks, lots, rate), dv.moneyScale)
}

/**
 * The fee of a fill of `lots` at `ticks`, in money units, rounded UP (a
 * fee is never under-counted); 0 for a rate of 0. The kernel (./kernel/)
 * books the same integer. @internal
 */
export function feeUnits(
  dv: Derived,
  ticks: number,
  lots: number,
  rate: Rate,
): number {
  if (rate.n === 0n) return 0
  const notional = ticks * lots * dv.tlMoney
  const num = notional * Number(rate.n)
  return Number.isSafeInteger(num) && Number.isSafeInteger(Number(rate.d))
    ? ceilDiv(num, Number(rate.d))
    : Number(divRound(BigInt(notional) * rate.n, rate.d, 'up'))
}

/**
 * The book entry of an order the machine just asked for. Its ticks and
 * lots come from the machine's own record of the order when the command
 * carries that record's strings (the machine writes both from the same
 * integers: `price = ticksToPrice(priceTicks)`, `quantity =
 * lotsToQuantity(qtyLots)`), else from parsing the strings.
 */
function toResting(
  sim: SimState,
  clientId: number,
  price: string,
  quantity: string,
): Resting {
  const dv = sim.setup.dv
  const orders = sim.state.orders
  let ticks: number | null = null
  let lots: number | null = null
  for (let i = orders.length - 1; i >= 0; i--) {
    const o = orders[i] as OrderRecord
    if (o.clientId !== clientId) continue
    if (o.price === price && o.quantity === quantity) {
      ticks = o.priceTicks
      lots = o.qtyLots
    }
    break
  }
  const r: Resting = {
    clientId,
    priceS:
      ticks === null
        ? (parseUnits(price, sim.S, 'down') ?? 0)
        : ticks * dv.tickMant * sim.tickToS,
    ticks: ticks ?? priceToTicks(dv, price, 'down') ?? 0,
    lots: lots ?? quantityToLots(dv, quantity, 'down') ?? 0,
    price,
    quantity,
    step: -1,
  }
  return r
}

/**
 * Cancels and acknowledges at once: one `ordersCanceled` for the whole
 * list (the machine copies its order list once, not once per order), or
 * `orderCanceled` for a single order.
 */
function cancel(sim: SimState, clientIds: readonly number[] | 'all'): void {
  const ids: number[] = []
  if (clientIds === 'all') {
    for (const r of sim.buys) ids.push(r.clientId)
    for (const r of sim.sells) ids.push(r.clientId)
    sim.buys.length = 0
    sim.sells.length = 0
    sim.buyNotionalTL = 0
  } else
    for (const id of clientIds) {
      const b = removeFrom(sim.buys, id)
      if (b) sim.buyNotionalTL -= b.ticks * b.lots
      if (b || removeFrom(sim.sells, id)) ids.push(id)
    }
  if (ids.length === 1)
    sim.queue.push({
      type: 'orderCanceled',
      at: sim.at,
      clientId: ids[0] as number,
    })
  else if (ids.length > 1)
    sim.queue.push({ type: 'ordersCanceled', at: sim.at, clientIds: ids })
}

function removeFrom(list: Resting[], clientId: number): Resting | null {
  for (let i = 0; i < list.length; i++)
    if ((list[i] as Resting).clientId === clientId) {
      const [r] = list.splice(i, 1)
      return r as Resting
    }
  return null
}
