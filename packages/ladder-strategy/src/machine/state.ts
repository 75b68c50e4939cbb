/**
 * The machine's state plumbing: the first state, the mutable "work" copy a
 * transition edits and `finish` that turns it back into a state, the shared
 * no-op results, and small helpers over the state's orders.
 */

import { type Derived, derive } from '../plan.js'
import type {
  DecimalString,
  ExitReason,
  LadderConfig,
  LadderMarket,
  LadderState,
  OrderRecord,
  OrderStatus,
  PositionRecord,
  QueuedRung,
  RunTotals,
  StateCommon,
  StopReason,
} from '../types.js'
import { SELL_SLOT0 } from './clientIds.js'
import type { LadderCommand, StepResult } from './commands.js'
import type { LadderEvent } from './events.js'
import { sellableLots } from './position.js'

export const NONE: readonly LadderCommand[] = Object.freeze([])

/**
 * What the handlers return: a step result, or `UNCHANGED` (`null`) when the
 * event changes nothing (same state, no commands). {@link step} turns
 * `UNCHANGED` into `[state, NONE]`; the backtest calls {@link advance} and
 * skips even that pair on its hot path.
 */
export type Outcome = StepResult | null
export const UNCHANGED: Outcome = null

/** A new cycle's position: zero fills, the carried remainder kept. */
export function freshPosition(p: PositionRecord): PositionRecord {
  return carriedPosition(
    p.carriedLots ?? 0,
    p.carriedFineUnits ?? 0,
    p.carriedCostUnits ?? 0,
  )
}

/**
 * A position with no fill of its own, carrying a remainder: every field,
 * in the order of {@link PositionRecord}, as one literal (spreading a
 * frozen constant costs a runtime call on every cycle).
 */
export function carriedPosition(
  carriedLots: number,
  carriedFineUnits: number,
  carriedCostUnits: number,
): PositionRecord {
  return {
    boughtLots: 0,
    costTickLots: 0,
    buyFeeUnits: 0,
    baseFeeUnits: 0,
    soldLots: 0,
    proceedsTickLots: 0,
    sellFeeUnits: 0,
    fills: 0,
    carriedLots,
    carriedFineUnits,
    carriedCostUnits,
  }
}

/** A position with nothing bought, sold or carried. */
export const ZERO_POSITION: PositionRecord = Object.freeze(
  carriedPosition(0, 0, 0),
)

/**
 * A copy of a position: one literal in the fields' order when every field
 * is present (the machine's own positions), else a spread (a state from
 * elsewhere may lack the optional carried fields; the copy keeps that).
 * The literal matters: `work` copies the position on every transition,
 * and a spread over the several shapes a position takes goes megamorphic
 * (a runtime call each time).
 */
function copyPosition(p: PositionRecord): PositionRecord {
  const { carriedLots, carriedFineUnits, carriedCostUnits } = p
  if (
    carriedLots === undefined ||
    carriedFineUnits === undefined ||
    carriedCostUnits === undefined
  )
    return { ...p }
  return {
    boughtLots: p.boughtLots,
    costTickLots: p.costTickLots,
    buyFeeUnits: p.buyFeeUnits,
    baseFeeUnits: p.baseFeeUnits,
    soldLots: p.soldLots,
    proceedsTickLots: p.proceedsTickLots,
    sellFeeUnits: p.sellFeeUnits,
    fills: p.fills,
    carriedLots,
    carriedFineUnits,
    carriedCostUnits,
  }
}

/** A run's totals before anything happened (a new object each call). @internal */
export function zeroTotals(): RunTotals {
  return {
    cycles: 0,
    stopLosses: 0,
    noFillRestarts: 0,
    fills: 0,
    realisedUnits: 0,
    feeUnits: 0,
  }
}

/**
 * Creates the machine's first state (`idle`) for a config and a market.
 * All checks that can fail happen here, so `step` never throws.
 *
 * @param config - A normalized config (from {@link validateConfig}).
 * @param market - The market's rules (plain data; `symbol` must match).
 * @returns The `idle` state; send it a `started` event.
 * @throws {LadderConfigError} when the market rules are invalid or do not
 *   fit the config.
 * @example
 * ```ts
 * import { DEFAULT_LADDER_CONFIG, initialState, step } from '@rung/ladder-strategy'
 * const market = { symbol: 'BTC_USDC', tickSize: '0.1', stepSize: '0.00001', minQuantity: '0.00001' }
 * const state = initialState(DEFAULT_LADDER_CONFIG, market)
 * const [next, commands] = step(state, { type: 'started', at: Date.now(), price: '60000' })
 * ```
 */
export function initialState(
  config: LadderConfig,
  market: LadderMarket,
): LadderState {
  derive(config, market)
  return {
    status: 'idle',
    setup: { config, market },
    cycle: 0,
    orders: [],
    position: ZERO_POSITION,
    totals: zeroTotals(),
    timers: { noFill: false, coolDown: false },
    nextSellSlot: SELL_SLOT0,
  }
}

// Its fields repeat those of the status types (types.ts) on purpose: Work
// holds all of them at once, mutable, while a step runs.
/** A mutable copy of a state with every status-specific field present. */
export interface Work extends StateCommon {
  status: LadderState['status']
  placedAt: number
  takeProfitPrice: DecimalString
  takeProfitTicks: number
  stopLossPrice: DecimalString | null
  trailingPeak: DecimalString | null
  trailingStopPrice: DecimalString | null
  reason: ExitReason
  stopAfter: boolean
  exitPrice: DecimalString
  until: number
  stopReason: StopReason
  /** `starting` only: the last reference price was outside the price band. */
  waitingOutsideBand: boolean
  /**
   * `laddering` / `inPosition` only: rolling rungs not placed yet, highest
   * first (shared with the state it came from: replace it, never mutate it).
   */
  queued: readonly QueuedRung[]
  /** `inPosition` with `takeProfitSteps` only: steps sold (or triggered). */
  tpStep: number
  /** `inPosition` with `takeProfitSteps` only: the steps' base in lots (0 until the first step). */
  stepBase: number
}

const NO_RUNGS: readonly QueuedRung[] = Object.freeze([])

export function work(state: LadderState): Work {
  const s = state as Partial<Work> & StateCommon & { status: Work['status'] }
  // Totals and timers have no optional field: copied as literals (see
  // copyPosition for why not spreads).
  const t = state.totals
  return {
    status: state.status,
    setup: state.setup,
    cycle: state.cycle,
    orders: state.orders.slice(),
    position: copyPosition(state.position),
    totals: {
      cycles: t.cycles,
      stopLosses: t.stopLosses,
      noFillRestarts: t.noFillRestarts,
      fills: t.fills,
      realisedUnits: t.realisedUnits,
      feeUnits: t.feeUnits,
    },
    timers: { noFill: state.timers.noFill, coolDown: state.timers.coolDown },
    nextSellSlot: state.nextSellSlot,
    placedAt: s.placedAt ?? 0,
    takeProfitPrice: s.takeProfitPrice ?? '0',
    takeProfitTicks: s.takeProfitTicks ?? 0,
    stopLossPrice: s.stopLossPrice ?? null,
    trailingPeak: s.trailingPeak ?? null,
    trailingStopPrice: s.trailingStopPrice ?? null,
    reason: s.reason ?? 'takeProfit',
    stopAfter: s.stopAfter ?? false,
    exitPrice: s.exitPrice ?? '0',
    until: s.until ?? 0,
    stopReason: state.status === 'stopped' ? state.reason : 'stopRequested',
    waitingOutsideBand:
      state.status === 'starting' && state.waitingOutsideBand === true,
    queued: (state as { queuedRungs?: QueuedRung[] }).queuedRungs ?? NO_RUNGS,
    tpStep: (state as { takeProfitStep?: number }).takeProfitStep ?? 0,
    stepBase: (state as { stepBaseLots?: number }).stepBaseLots ?? 0,
  }
}

/**
 * Builds the state object for the work's status, picking fields by name
 * (one literal per status, no intermediate object: this runs on every
 * transition); the longer statuses have their own builder below.
 *
 * The repeated field lists are deliberate (`duplicates` reports them): each
 * literal gives a status one fixed object shape, in one order, so the
 * backtest's hot loop sees few hidden classes; a shared helper with spreads
 * or conditional fields would allocate an intermediate object and mix shapes.
 */
export function finish(w: Work): LadderState {
  switch (w.status) {
    case 'idle':
      return {
        status: w.status,
        setup: w.setup,
        cycle: w.cycle,
        orders: w.orders,
        position: w.position,
        totals: w.totals,
        timers: w.timers,
        nextSellSlot: w.nextSellSlot,
      }
    case 'starting':
      return finishStarting(w)
    case 'laddering':
      return finishLaddering(w)
    case 'inPosition':
      // Multi-step take profit: its progress, and the queue, on one
      // literal (the extensions' shape; the classic shapes stay fixed).
      return hasSteps(w.setup.config) ? finishSteps(w) : finishInPosition(w)
    case 'exiting':
      return {
        status: 'exiting',
        setup: w.setup,
        cycle: w.cycle,
        orders: w.orders,
        position: w.position,
        totals: w.totals,
        timers: w.timers,
        nextSellSlot: w.nextSellSlot,
        reason: w.reason,
        stopAfter: w.stopAfter,
        exitPrice: w.exitPrice,
      }
    case 'coolingDown':
      return {
        status: 'coolingDown',
        setup: w.setup,
        cycle: w.cycle,
        orders: w.orders,
        position: w.position,
        totals: w.totals,
        timers: w.timers,
        nextSellSlot: w.nextSellSlot,
        until: w.until,
      }
    case 'stopped':
      return finishStopped(w)
  }
}

/** {@link finish} for `starting`. */
function finishStarting(w: Work): LadderState {
  return w.waitingOutsideBand
    ? {
        status: 'starting',
        setup: w.setup,
        cycle: w.cycle,
        orders: w.orders,
        position: w.position,
        totals: w.totals,
        timers: w.timers,
        nextSellSlot: w.nextSellSlot,
        waitingOutsideBand: true,
      }
    : {
        status: 'starting',
        setup: w.setup,
        cycle: w.cycle,
        orders: w.orders,
        position: w.position,
        totals: w.totals,
        timers: w.timers,
        nextSellSlot: w.nextSellSlot,
      }
}

/** {@link finish} for `laddering`. */
function finishLaddering(w: Work): LadderState {
  return w.queued.length > 0
    ? {
        status: 'laddering',
        setup: w.setup,
        cycle: w.cycle,
        orders: w.orders,
        position: w.position,
        totals: w.totals,
        timers: w.timers,
        nextSellSlot: w.nextSellSlot,
        placedAt: w.placedAt,
        queuedRungs: w.queued as QueuedRung[],
      }
    : {
        status: 'laddering',
        setup: w.setup,
        cycle: w.cycle,
        orders: w.orders,
        position: w.position,
        totals: w.totals,
        timers: w.timers,
        nextSellSlot: w.nextSellSlot,
        placedAt: w.placedAt,
      }
}

/** {@link finish} for `inPosition` with a multi-step take profit. */
function finishSteps(w: Work): LadderState {
  return {
    status: 'inPosition',
    setup: w.setup,
    cycle: w.cycle,
    orders: w.orders,
    position: w.position,
    totals: w.totals,
    timers: w.timers,
    nextSellSlot: w.nextSellSlot,
    placedAt: w.placedAt,
    takeProfitPrice: w.takeProfitPrice,
    takeProfitTicks: w.takeProfitTicks,
    stopLossPrice: w.stopLossPrice,
    trailingPeak: w.trailingPeak,
    trailingStopPrice: w.trailingStopPrice,
    ...(w.queued.length > 0 ? { queuedRungs: w.queued as QueuedRung[] } : {}),
    takeProfitStep: w.tpStep,
    stepBaseLots: w.stepBase,
  }
}

/** {@link finish} for the classic `inPosition` (one take profit). */
function finishInPosition(w: Work): LadderState {
  return w.queued.length > 0
    ? {
        status: 'inPosition',
        setup: w.setup,
        cycle: w.cycle,
        orders: w.orders,
        position: w.position,
        totals: w.totals,
        timers: w.timers,
        nextSellSlot: w.nextSellSlot,
        placedAt: w.placedAt,
        takeProfitPrice: w.takeProfitPrice,
        takeProfitTicks: w.takeProfitTicks,
        stopLossPrice: w.stopLossPrice,
        trailingPeak: w.trailingPeak,
        trailingStopPrice: w.trailingStopPrice,
        queuedRungs: w.queued as QueuedRung[],
      }
    : {
        status: 'inPosition',
        setup: w.setup,
        cycle: w.cycle,
        orders: w.orders,
        position: w.position,
        totals: w.totals,
        timers: w.timers,
        nextSellSlot: w.nextSellSlot,
        placedAt: w.placedAt,
        takeProfitPrice: w.takeProfitPrice,
        takeProfitTicks: w.takeProfitTicks,
        stopLossPrice: w.stopLossPrice,
        trailingPeak: w.trailingPeak,
        trailingStopPrice: w.trailingStopPrice,
      }
}

/** {@link finish} for `stopped`. */
function finishStopped(w: Work): LadderState {
  return {
    status: 'stopped',
    setup: w.setup,
    cycle: w.cycle,
    orders: w.orders,
    position: w.position,
    totals: w.totals,
    timers: w.timers,
    nextSellSlot: w.nextSellSlot,
    reason: w.stopReason,
    // A stop mid-steps keeps the steps' progress for `started` to resume.
    ...(w.tpStep > 0 || w.stepBase > 0
      ? { takeProfitStep: w.tpStep, stepBaseLots: w.stepBase }
      : {}),
  }
}

/** Whether the config has a multi-step take profit (`takeProfitSteps`). */
export function hasSteps(config: LadderConfig): boolean {
  return (
    Array.isArray(config.takeProfitSteps) && config.takeProfitSteps.length > 0
  )
}

export function warning(
  state: LadderState,
  event: LadderEvent,
  message: string,
): StepResult {
  return [state, [{ type: 'warning', message, event: event.type }]]
}

/**
 * The index of the live order an `orderRejected` / `orderCanceled` event
 * names, or the no-op warning result when the order is unknown or closed.
 */
export function findLiveOrder(
  state: LadderState,
  event: LadderEvent & { clientId: number },
): number | StepResult {
  const i = findOrder(state.orders, event.clientId)
  if (i < 0)
    return warning(
      state,
      event,
      `ignored ${event.type} for unknown client id ${event.clientId}`,
    )
  const o = state.orders[i] as OrderRecord
  if (!isLive(o))
    return warning(
      state,
      event,
      `ignored ${event.type} for client id ${event.clientId}: it is already ${o.status}`,
    )
  return i
}

/**
 * A copy of an order with new fill figures and status, as
 * `{ ...o, filledLots, filledTickLots, feeUnits, baseFeeUnits, status }`
 * gives (the same fields in the same order), written as one literal for the
 * orders the machine builds (no `takeProfitStep`): the spread, over the
 * order shapes a run sees, goes megamorphic (a runtime call per order on
 * every fill and cancel).
 */
export function withFills(
  o: OrderRecord,
  filledLots: number,
  filledTickLots: number,
  feeUnits: number,
  baseFeeUnits: number,
  status: OrderStatus,
): OrderRecord {
  if (o.takeProfitStep !== undefined)
    return { ...o, filledLots, filledTickLots, feeUnits, baseFeeUnits, status }
  return {
    clientId: o.clientId,
    cycle: o.cycle,
    side: o.side,
    rung: o.rung,
    price: o.price,
    quantity: o.quantity,
    priceTicks: o.priceTicks,
    qtyLots: o.qtyLots,
    filledLots,
    filledTickLots,
    feeUnits,
    baseFeeUnits,
    status,
    orderId: o.orderId,
  }
}

/** A copy of an order with another status, as `{ ...o, status }` gives (see {@link withFills}). */
export function withStatus(o: OrderRecord, status: OrderStatus): OrderRecord {
  return withFills(
    o,
    o.filledLots,
    o.filledTickLots,
    o.feeUnits,
    o.baseFeeUnits,
    status,
  )
}

export function isLive(order: OrderRecord): boolean {
  return (
    order.status === 'pending' ||
    order.status === 'open' ||
    order.status === 'canceling'
  )
}

/** Whether an order other than the one at `skip` is still live. */
export function otherLiveOrder(
  orders: readonly OrderRecord[],
  skip: number,
): boolean {
  for (let j = 0; j < orders.length; j++)
    if (j !== skip && isLive(orders[j] as OrderRecord)) return true
  return false
}

export function findOrder(
  orders: readonly OrderRecord[],
  clientId: number,
): number {
  for (let i = 0; i < orders.length; i++)
    if ((orders[i] as OrderRecord).clientId === clientId) return i
  return -1
}

/**
 * Lots held and sellable now: this cycle's fills and the carried remainder,
 * minus base-asset fees, rounded DOWN to the lot.
 */
export function heldLots(dv: Derived, position: PositionRecord): number {
  return sellableLots(dv, position)
}

/** Marks every live order of a side (or all) as canceling and asks for it. */
export function cancelLive(
  w: Work,
  cmds: LadderCommand[],
  side?: 'buy' | 'sell',
): void {
  // Rolling rungs not placed yet are dropped with the buys: nothing to ask.
  if (side !== 'sell') w.queued = NO_RUNGS
  const ids: number[] = []
  for (let i = 0; i < w.orders.length; i++) {
    const o = w.orders[i] as OrderRecord
    if (
      (o.status === 'pending' || o.status === 'open') &&
      (side === undefined || o.side === side)
    ) {
      w.orders[i] = withStatus(o, 'canceling')
      ids.push(o.clientId)
    }
  }
  if (ids.length > 0)
    cmds.push({
      type: 'cancelOrders',
      symbol: w.setup.market.symbol,
      clientIds: ids,
    })
}

export function baseAsset(w: Work): string {
  return w.setup.market.symbol.split('_')[0] ?? w.setup.market.symbol
}
