/**
 * The ladder machine: `initialState` and `step(state, event) -> [state, commands]`.
 *
 * ```
 *  idle --started--> starting --priceUpdated--> laddering --orderFilled--> inPosition
 *                       ^  ^                        |                          |
 *                       |  +---timerFired(noFill)---+        price >= take profit (or stop loss)
 *                       |                                                      v
 *    coolingDown <------+------------------ exit complete <---------------- exiting
 *         (cool-down)       (restart)       (sold, cancels acknowledged)
 *  any running state --stopRequested--> stopped (or exiting, then stopped)
 * ```
 *
 * Dispatch is on the state's `status` first, then on the event (STYLE 2.8).
 * The step function is pure: it reads nothing but its arguments, mutates
 * nothing it was given (each change is made on a fresh copy, the "work"
 * object below), and never throws on a runtime event: an event that makes no
 * sense leaves the state as it was and returns a `warning` command.
 *
 * Hot path: an event that changes nothing (most `priceUpdated`s) returns the
 * identical state object (allowed: states are immutable, so a no-op may hand
 * back the same reference) and a shared frozen empty command list; `step`
 * allocates only the result pair, and the internal `advance` (used by the
 * backtest) returns `null` instead and allocates nothing.
 */
import {
  ceilDiv,
  compareDecimal,
  divideToString,
  floorDiv,
  formatUnits,
  isDecimal,
  parseUnits,
} from './decimal.js'
import {
  baseFeeQuoteUnits,
  cycleLots,
  type Derived,
  derive,
  holding,
  holdingToQuantity,
  lotsToQuantity,
  moneyToString,
  priceToTicks,
  quantityToLots,
  rungTicks,
  sellableLots,
  sizeRungs,
  stopLossTicks,
  takeProfitTicks,
  ticksToPrice,
  trailingStopTicks,
} from './plan.js'
import type {
  DecimalString,
  ExitReason,
  LadderCommand,
  LadderConfig,
  LadderEvent,
  LadderMarket,
  LadderState,
  OrderFilledEvent,
  OrderRecord,
  PositionRecord,
  ReconciledEvent,
  StartedEvent,
  StateCommon,
  StepResult,
  StopReason,
} from './types.js'

/** Client ids: cycle x 1024 + slot; slots 0..511 are rungs, 512..1023 sells. */
const SLOTS = 1024
const SELL_SLOT0 = 512
/** Largest cycle whose client ids still fit in a uint32. */
const MAX_CYCLE = Math.floor(0xffff_ffff / SLOTS)

const NONE: readonly LadderCommand[] = Object.freeze([])

/**
 * What the handlers return: a step result, or `UNCHANGED` (`null`) when the
 * event changes nothing (same state, no commands). {@link step} turns
 * `UNCHANGED` into `[state, NONE]`; the backtest calls {@link advance} and
 * skips even that pair on its hot path.
 */
type Outcome = StepResult | null
const UNCHANGED: Outcome = null

/**
 * The client id the machine uses for rung `slot` (0..511) or sell slot
 * (512..1023) of a cycle: `cycle x 1024 + slot`, a uint32, never reused
 * within a run.
 *
 * @param cycle - Cycle number (>= 1).
 * @param slot - Slot: the rung index for bids, 512 + n for the n-th sell.
 * @returns The uint32 client id.
 * @example
 * ```ts
 * import { clientIdFor } from '@rung/ladder-strategy'
 * clientIdFor(3, 0) // 3072
 * ```
 */
export function clientIdFor(cycle: number, slot: number): number {
  return cycle * SLOTS + slot
}

/**
 * Decodes a client id made by {@link clientIdFor}.
 *
 * @param clientId - A uint32 client id.
 * @returns The cycle, the slot, and whether the slot is a rung or a sell.
 * @example
 * ```ts
 * import { parseClientId } from '@rung/ladder-strategy'
 * parseClientId(3072) // { cycle: 3, slot: 0, kind: 'rung' }
 * ```
 */
export function parseClientId(clientId: number): {
  /** The cycle number (1 for the first cycle). */
  cycle: number
  /** The slot within the cycle: rungs 0-511, sells 512-1023. */
  slot: number
  /** Whether the id belongs to a ladder rung or to an exit sell. */
  kind: 'rung' | 'sell'
} {
  const slot = clientId % SLOTS
  return {
    cycle: Math.floor(clientId / SLOTS),
    slot,
    kind: slot < SELL_SLOT0 ? 'rung' : 'sell',
  }
}

const ZERO_POSITION: PositionRecord = Object.freeze({
  boughtLots: 0,
  costTickLots: 0,
  buyFeeUnits: 0,
  baseFeeUnits: 0,
  soldLots: 0,
  proceedsTickLots: 0,
  sellFeeUnits: 0,
  fills: 0,
  carriedLots: 0,
  carriedFineUnits: 0,
  carriedCostUnits: 0,
})

/** A new cycle's position: zero fills, the carried remainder kept. */
function freshPosition(p: PositionRecord): PositionRecord {
  return {
    ...ZERO_POSITION,
    carriedLots: p.carriedLots ?? 0,
    carriedFineUnits: p.carriedFineUnits ?? 0,
    carriedCostUnits: p.carriedCostUnits ?? 0,
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
    totals: {
      cycles: 0,
      stopLosses: 0,
      noFillRestarts: 0,
      fills: 0,
      realisedUnits: 0,
      feeUnits: 0,
    },
    timers: { noFill: false, coolDown: false },
    nextSellSlot: SELL_SLOT0,
  }
}

/** A mutable copy of a state with every status-specific field present. */
interface Work extends StateCommon {
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
}

function work(state: LadderState): Work {
  const s = state as Partial<Work> & StateCommon & { status: Work['status'] }
  return {
    status: state.status,
    setup: state.setup,
    cycle: state.cycle,
    orders: state.orders.slice(),
    position: { ...state.position },
    totals: { ...state.totals },
    timers: { ...state.timers },
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
  }
}

/**
 * Builds the state object for the work's status, picking fields by name
 * (one literal per status, no intermediate object: this runs on every
 * transition).
 */
function finish(w: Work): LadderState {
  switch (w.status) {
    case 'idle':
    case 'starting':
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
    case 'laddering':
      return {
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
    case 'inPosition':
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
      }
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
      }
  }
}

function warning(
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
function findLiveOrder(
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

function isLive(order: OrderRecord): boolean {
  return (
    order.status === 'pending' ||
    order.status === 'open' ||
    order.status === 'canceling'
  )
}

/** Whether an order other than the one at `skip` is still live. */
function otherLiveOrder(orders: readonly OrderRecord[], skip: number): boolean {
  for (let j = 0; j < orders.length; j++)
    if (j !== skip && isLive(orders[j] as OrderRecord)) return true
  return false
}

function findOrder(orders: readonly OrderRecord[], clientId: number): number {
  for (let i = 0; i < orders.length; i++)
    if ((orders[i] as OrderRecord).clientId === clientId) return i
  return -1
}

/**
 * Lots held and sellable now: this cycle's fills and the carried remainder,
 * minus base-asset fees, rounded DOWN to the lot.
 */
function heldLots(dv: Derived, position: PositionRecord): number {
  return sellableLots(dv, position)
}

/**
 * Applies one state transition.
 *
 * @param state - The current state (not modified).
 * @param event - What happened, with its time `at` (ms).
 * @returns The next state and the commands to perform, in order. An event
 *   that makes no sense in the current state returns the same state and a
 *   `warning` command.
 * @example
 * ```ts
 * import { DEFAULT_LADDER_CONFIG, initialState, step } from '@rung/ladder-strategy'
 * let state = initialState(DEFAULT_LADDER_CONFIG, {
 *   symbol: 'BTC_USDC', tickSize: '0.1', stepSize: '0.00001', minQuantity: '0.00001',
 * })
 * let commands
 * ;[state, commands] = step(state, { type: 'started', at: 0, price: '60000' })
 * // commands: cancelOrders (all), placeOrders (8 rungs), scheduleTimer (noFill)
 * ```
 */
export function step(state: LadderState, event: LadderEvent): StepResult {
  // A no-op returns the identical state object (allowed: states are
  // immutable) with the shared frozen empty command list.
  return advance(state, event) ?? [state, NONE]
}

/**
 * {@link step} without the result pair for a no-op: `null` when the event
 * leaves the state as it is and commands nothing, otherwise exactly what
 * `step` returns. Internal (not exported from the package): the backtest's
 * hot path feeds a `priceUpdated` per candle, and most change nothing.
 * Like `step`, it never keeps a reference to `event` (nor to any object in
 * it) in the state or the commands, so the caller may reuse the event object.
 */
export function advance(state: LadderState, event: LadderEvent): Outcome {
  if (
    typeof event !== 'object' ||
    event === null ||
    typeof event.at !== 'number' ||
    !Number.isFinite(event.at)
  )
    return [
      state,
      [
        {
          type: 'warning',
          message: 'ignored an event without a numeric `at` time',
          event:
            (event as { type?: LadderEvent['type'] } | null)?.type ?? 'started',
        },
      ],
    ]
  switch (state.status) {
    case 'idle':
      return onIdle(state, event)
    case 'starting':
      return onStarting(state, event)
    case 'laddering':
      return onLaddering(state, event)
    case 'inPosition':
      return onInPosition(state, event)
    case 'exiting':
      return onExiting(state, event)
    case 'coolingDown':
      return onCoolingDown(state, event)
    case 'stopped':
      return onStopped(state, event)
  }
}

// ---------------------------------------------------------------------------
// Per-status handlers
// ---------------------------------------------------------------------------

function onIdle(state: LadderState, event: LadderEvent): Outcome {
  switch (event.type) {
    case 'priceUpdated':
      return UNCHANGED
    case 'started': {
      const w = work(state)
      const cmds: LadderCommand[] = [
        // Classic start: clear the bot's own open orders on the symbol.
        {
          type: 'cancelOrders',
          symbol: state.setup.market.symbol,
          clientIds: 'all',
        },
      ]
      w.status = 'starting'
      if (event.price !== undefined) {
        if (!isDecimal(event.price) || !/[1-9]/.test(event.price))
          cmds.push({
            type: 'warning',
            message: `ignored the start price ${JSON.stringify(event.price)}: not a decimal string > 0; waiting for a priceUpdated`,
            event: 'started',
          })
        else
          placeLadder(
            derive(w.setup.config, w.setup.market),
            w,
            event.price,
            event.at,
            cmds,
          )
      }
      return [finish(w), cmds]
    }
    case 'stopRequested': {
      const w = work(state)
      w.status = 'stopped'
      w.stopReason = 'stopRequested'
      return [
        finish(w),
        [
          {
            type: 'stopped',
            reason: 'stopRequested',
            heldQuantity: '0',
            heldCost: '0',
          },
        ],
      ]
    }
    default:
      return warning(
        state,
        event,
        `ignored ${event.type}: the strategy has not been started`,
      )
  }
}

function onStarting(state: LadderState, event: LadderEvent): Outcome {
  if (event.type === 'priceUpdated') {
    if (!isDecimal(event.price) || !/[1-9]/.test(event.price))
      return warning(
        state,
        event,
        `ignored price ${JSON.stringify(event.price)}: not a decimal string > 0`,
      )
    // Wait until every older order's cancel is acknowledged, so the new
    // ladder never stacks on top of the old one (budget).
    for (const o of state.orders) if (isLive(o)) return UNCHANGED
    const w = work(state)
    const cmds: LadderCommand[] = []
    placeLadder(
      derive(w.setup.config, w.setup.market),
      w,
      event.price,
      event.at,
      cmds,
    )
    return [finish(w), cmds]
  }
  return common(state, event)
}

function onLaddering(state: LadderState, event: LadderEvent): Outcome {
  if (event.type === 'priceUpdated') return UNCHANGED
  if (event.type === 'timerFired' && event.timer === 'noFill') {
    const deadline = state.timers.noFill
    if (deadline === false || event.at < deadline)
      return warning(state, event, 'ignored a noFill timer that is not due')
    // No rung of this cycle filled (else the state would be inPosition):
    // cancel the ladder and start again at the next price (spec "No-fill restart").
    const w = work(state)
    const cmds: LadderCommand[] = []
    w.timers.noFill = false
    cancelLive(w, cmds, 'buy')
    w.totals.noFillRestarts++
    w.status = 'starting'
    w.position = freshPosition(w.position)
    cmds.push({
      type: 'log',
      message: `cycle ${w.cycle}: nothing filled in ${state.setup.config.noFillRestartMinutes} min, re-laddering at the next price`,
    })
    return [finish(w), cmds]
  }
  return common(state, event)
}

function onInPosition(state: LadderState, event: LadderEvent): Outcome {
  if (event.type === 'priceUpdated' && state.status === 'inPosition') {
    const price = event.price
    if (!isDecimal(price))
      return warning(
        state,
        event,
        `ignored price ${JSON.stringify(price)}: not a decimal string`,
      )
    const config = state.setup.config
    // Stop loss first: it protects capital whatever else happens.
    if (
      state.stopLossPrice !== null &&
      compareDecimal(price, state.stopLossPrice) <= 0
    )
      return beginExit(state, event.at, 'stopLoss', state.stopLossPrice, false)
    if (state.trailingPeak !== null) {
      if (compareDecimal(price, state.trailingPeak) > 0)
        return armTrailing(state, price)
      const stop = state.trailingStopPrice ?? state.takeProfitPrice
      if (compareDecimal(price, stop) <= 0)
        return beginExit(state, event.at, 'trailingTakeProfit', stop, false)
      return UNCHANGED
    }
    if (
      config.takeProfitOrder === 'market' &&
      compareDecimal(price, state.takeProfitPrice) >= 0
    ) {
      if (config.trailingTakeProfitPercentage !== false)
        return armTrailing(state, price)
      return beginExit(
        state,
        event.at,
        'takeProfit',
        state.takeProfitPrice,
        false,
      )
    }
    return UNCHANGED
  }
  if (event.type === 'timerFired' && event.timer === 'noFill')
    return warning(state, event, 'ignored the noFill timer: a rung has filled')
  return common(state, event)
}

function onExiting(state: LadderState, event: LadderEvent): Outcome {
  if (event.type === 'priceUpdated') return UNCHANGED
  return common(state, event)
}

function onCoolingDown(state: LadderState, event: LadderEvent): Outcome {
  if (event.type === 'priceUpdated') return UNCHANGED
  if (event.type === 'timerFired' && event.timer === 'coolDown') {
    if (state.status !== 'coolingDown' || event.at < state.until)
      return warning(state, event, 'ignored a coolDown timer that is not due')
    const w = work(state)
    w.timers.coolDown = false
    w.status = 'starting'
    return [
      finish(w),
      [{ type: 'log', message: 'cool-down over, laddering at the next price' }],
    ]
  }
  return common(state, event)
}

function onStopped(state: LadderState, event: LadderEvent): Outcome {
  switch (event.type) {
    case 'priceUpdated':
      return UNCHANGED
    case 'orderAccepted':
    case 'orderCanceled':
    case 'orderRejected':
    case 'orderFilled':
    case 'reconciled':
      // Late acknowledgements of orders canceled on the way out are normal;
      // keep the books right.
      return common(state, event)
    case 'started':
      return resume(state, event)
    default:
      return warning(
        state,
        event,
        `ignored ${event.type}: the strategy has stopped`,
      )
  }
}

/**
 * `started` on a machine stopped by request while it held a position of its
 * cycle (spec: the position is the bot's, with its cost): the cycle goes on
 * to its take profit (or stop loss) with the same average entry. The rungs
 * canceled at the stop are not placed again (their client ids were used);
 * the next cycle places a new ladder as usual.
 */
function resume(state: LadderState, event: StartedEvent): Outcome {
  const dv = derive(state.setup.config, state.setup.market)
  if (
    state.status !== 'stopped' ||
    state.reason !== 'stopRequested' ||
    cycleLots(dv, state.position) === 0
  )
    return warning(
      state,
      event,
      'ignored started: the strategy has stopped with no position of its cycle to resume (start from initialState for a new run)',
    )
  const w = work(state)
  const cmds: LadderCommand[] = []
  w.placedAt = event.at
  enterPosition(dv, w, cmds)
  const avg = divideToString(
    formatUnits(
      BigInt(w.position.costTickLots) * BigInt(dv.tickMant),
      dv.tickDec,
    ),
    String(w.position.boughtLots),
    dv.tickDec,
    'up',
  )
  cmds.unshift({
    type: 'log',
    message: `cycle ${w.cycle} resumed: ${holdingToQuantity(dv, holding(dv, w.position))} ${baseAsset(w)} held at average ${avg}, take profit at ${w.takeProfitPrice}`,
  })
  return [finish(w), cmds]
}

// ---------------------------------------------------------------------------
// Events handled the same way in every running state
// ---------------------------------------------------------------------------

function common(state: LadderState, event: LadderEvent): Outcome {
  switch (event.type) {
    case 'orderAccepted': {
      const i = findOrder(state.orders, event.clientId)
      if (i < 0)
        return warning(
          state,
          event,
          `ignored orderAccepted for unknown client id ${event.clientId}`,
        )
      const o = state.orders[i] as OrderRecord
      if (o.orderId === event.orderId && o.status !== 'pending')
        return UNCHANGED
      const orders = state.orders.slice()
      orders[i] = {
        ...o,
        orderId: String(event.orderId),
        status: o.status === 'pending' ? 'open' : o.status,
      }
      return [{ ...state, orders }, NONE]
    }
    case 'orderRejected': {
      const i = findLiveOrder(state, event)
      if (typeof i !== 'number') return i
      const o = state.orders[i] as OrderRecord
      const w = work(state)
      const cmds: LadderCommand[] = [
        {
          type: 'warning',
          message: `order ${o.clientId} (${o.side} ${o.quantity} @ ${o.price}) was rejected: ${String(event.reason)}`,
          event: 'orderRejected',
        },
      ]
      w.orders[i] = { ...o, status: o.filledLots > 0 ? 'canceled' : 'rejected' }
      afterOrderClosed(w, o, event.at, cmds)
      return [finish(w), cmds]
    }
    case 'orderCanceled': {
      const i = findLiveOrder(state, event)
      if (typeof i !== 'number') return i
      const o = state.orders[i] as OrderRecord
      if (
        o.status === 'canceling' &&
        (state.status === 'exiting'
          ? // settleExit waits while another order is live.
            otherLiveOrder(state.orders, i)
          : !(state.status === 'inPosition' && o.side === 'sell'))
      ) {
        // The expected acknowledgement with nothing to follow up (the hot
        // path of a no-fill restart, and of every cancel but the last one
        // while exiting): replace one order, keep the rest.
        const orders = state.orders.slice()
        orders[i] = { ...o, status: 'canceled' }
        return [{ ...state, orders }, NONE]
      }
      const w = work(state)
      const cmds: LadderCommand[] = []
      if (o.status !== 'canceling')
        cmds.push({
          type: 'warning',
          message: `order ${o.clientId} was canceled by the exchange (not asked for)`,
          event: 'orderCanceled',
        })
      w.orders[i] = { ...o, status: 'canceled' }
      afterOrderClosed(w, o, event.at, cmds)
      return [finish(w), cmds.length === 0 ? NONE : cmds]
    }
    case 'orderFilled':
      return onFill(state, event)
    case 'reconciled':
      return onReconciled(state, event)
    case 'stopRequested':
      return onStop(state, event.at, event.sellPosition === true)
    case 'started':
      return warning(
        state,
        event,
        'ignored started: the strategy is already running',
      )
    case 'timerFired':
      return warning(
        state,
        event,
        `ignored the ${event.timer} timer: not expected in status ${state.status}`,
      )
    case 'priceUpdated':
      return UNCHANGED
    default:
      // Not a known event (e.g. from a newer or buggy caller).
      return warning(
        state,
        event,
        `ignored an event of unknown type ${JSON.stringify((event as { type?: unknown }).type)}`,
      )
  }
}

/** After an order reached a final status: continue what the state waits for. */
function afterOrderClosed(
  w: Work,
  order: OrderRecord,
  at: number,
  cmds: LadderCommand[],
): void {
  const dv = derive(w.setup.config, w.setup.market)
  if (w.status === 'exiting') settleExit(dv, w, at, cmds)
  else if (
    w.status === 'inPosition' &&
    order.side === 'sell' &&
    w.setup.config.takeProfitOrder === 'limit'
  )
    syncTakeProfitOrder(dv, w, cmds)
}

// ---------------------------------------------------------------------------
// Fills
// ---------------------------------------------------------------------------

function onFill(state: LadderState, event: OrderFilledEvent): StepResult {
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
  return [finish(w), cmds.length === 0 ? NONE : cmds]
}

/**
 * Reports a fill just applied to `w` as a `fillBooked` command, with the
 * position's average entry and take-profit target after it.
 */
function bookFill(
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
      ? ticksToPrice(dv, takeProfitTicks(dv, p, cycleLots(dv, p)))
      : null,
  })
}

/** Books a fill of `lots` costing `tickLots` on order `i` (no status transition). */
function applyFill(
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
  w.orders[i] = {
    ...o,
    filledLots,
    filledTickLots: o.filledTickLots + tickLots,
    feeUnits: o.feeUnits + feeUnits,
    baseFeeUnits: o.baseFeeUnits + baseFeeUnits,
    status:
      filledLots >= o.qtyLots
        ? 'filled'
        : o.status === 'pending'
          ? 'open'
          : o.status,
  }
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

/** Status transitions after a fill was booked. */
function afterFill(
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
      } else if (heldLots(dv, w.position) < dv.minLots) {
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

function enterPosition(dv: Derived, w: Work, cmds: LadderCommand[]): void {
  w.status = 'inPosition'
  w.trailingPeak = null
  w.trailingStopPrice = null
  if (w.timers.noFill !== false) {
    w.timers.noFill = false
    cmds.push({ type: 'cancelTimer', timer: 'noFill' })
  }
  refreshTargets(dv, w)
  if (w.setup.config.takeProfitOrder === 'limit')
    syncTakeProfitOrder(dv, w, cmds)
}

/** Recomputes the take-profit and stop-loss prices from the position. */
function refreshTargets(dv: Derived, w: Work): void {
  // The take-profit average is over this cycle's fills (spec); the carried
  // remainder is sold with them but does not move the target.
  const tp = takeProfitTicks(dv, w.position, cycleLots(dv, w.position))
  w.takeProfitTicks = tp
  w.takeProfitPrice = ticksToPrice(dv, tp)
  const sl = stopLossTicks(dv, w.position)
  w.stopLossPrice = sl === null ? null : ticksToPrice(dv, sl)
  if (w.trailingPeak !== null) {
    const peak = priceToTicks(dv, w.trailingPeak, 'down') ?? tp
    w.trailingStopPrice = ticksToPrice(
      dv,
      Math.max(tp, trailingStopTicks(dv, peak)),
    )
  }
}

function armTrailing(state: LadderState, price: DecimalString): StepResult {
  const dv = derive(state.setup.config, state.setup.market)
  const w = work(state)
  const peak = priceToTicks(dv, price, 'down') ?? w.takeProfitTicks
  const first = w.trailingPeak === null
  w.trailingPeak = price
  w.trailingStopPrice = ticksToPrice(
    dv,
    Math.max(w.takeProfitTicks, trailingStopTicks(dv, peak)),
  )
  return [
    finish(w),
    first
      ? [
          {
            type: 'log',
            message: `take-profit ${w.takeProfitPrice} reached at ${price}; trailing, stop at ${w.trailingStopPrice}`,
          },
        ]
      : NONE,
  ]
}

/**
 * Limit take-profit mode: keeps resting sells at the target price covering
 * the whole held position (cancel the ones at an old price, place the rest).
 */
function syncTakeProfitOrder(
  dv: Derived,
  w: Work,
  cmds: LadderCommand[],
): void {
  let covered = 0
  const cancel: number[] = []
  for (let i = 0; i < w.orders.length; i++) {
    const o = w.orders[i] as OrderRecord
    if (o.side !== 'sell' || !isLive(o)) continue
    if (o.status !== 'canceling' && o.priceTicks !== w.takeProfitTicks) {
      w.orders[i] = { ...o, status: 'canceling' }
      cancel.push(o.clientId)
    }
    // A sell being canceled may still fill: count it until acknowledged.
    covered += o.qtyLots - o.filledLots
  }
  if (cancel.length > 0)
    cmds.push({
      type: 'cancelOrders',
      symbol: w.setup.market.symbol,
      clientIds: cancel,
    })
  const uncovered = heldLots(dv, w.position) - covered
  if (uncovered >= dv.minLots)
    placeSell(dv, w, 'limit', uncovered, w.takeProfitTicks, 'takeProfit', cmds)
}

function placeSell(
  dv: Derived,
  w: Work,
  orderType: 'market' | 'limit',
  lots: number,
  ticks: number,
  reason: ExitReason,
  cmds: LadderCommand[],
): void {
  if (w.nextSellSlot >= SLOTS) {
    cmds.push({
      type: 'warning',
      message: `cycle ${w.cycle} used all ${SLOTS - SELL_SLOT0} sell client ids; not placing another sell`,
      event: 'orderFilled',
    })
    return
  }
  const clientId = clientIdFor(w.cycle, w.nextSellSlot++)
  const price = ticksToPrice(dv, ticks)
  const quantity = lotsToQuantity(dv, lots)
  w.orders.push({
    clientId,
    cycle: w.cycle,
    side: 'sell',
    rung: -1,
    price,
    quantity,
    priceTicks: ticks,
    qtyLots: lots,
    filledLots: 0,
    filledTickLots: 0,
    feeUnits: 0,
    baseFeeUnits: 0,
    status: 'pending',
    orderId: null,
  })
  cmds.push({
    type: 'sellPosition',
    symbol: w.setup.market.symbol,
    clientId,
    orderType,
    quantity,
    price,
    reason,
  })
}

// ---------------------------------------------------------------------------
// Cycle start and end
// ---------------------------------------------------------------------------

/** Scratch buffer for rung prices (internal; never escapes a call). */
const scratchTicks: number[] = []

function placeLadder(
  dv: Derived,
  w: Work,
  price: DecimalString,
  at: number,
  cmds: LadderCommand[],
): void {
  if (w.cycle + 1 > MAX_CYCLE) {
    stopWork(w, 'clientIdsExhausted', cmds)
    return
  }
  const dot = price.indexOf('.')
  const scale = dot < 0 ? 0 : price.length - dot - 1
  const units = parseUnits(price, scale, 'exact')
  if (units === null || units === 0) {
    cmds.push({
      type: 'warning',
      message: `cannot ladder at price ${price}: too many digits for exact arithmetic`,
      event: 'priceUpdated',
    })
    return
  }
  rungTicks(dv, units, scale, scratchTicks)
  const sized = sizeRungs(dv, scratchTicks)
  const cycle = w.cycle + 1
  const orders: OrderRecord[] = []
  const toPlace: {
    clientId: number
    rung: number
    price: string
    quantity: string
  }[] = []
  let droppedText = ''
  for (const r of sized) {
    if (r.dropped !== null) {
      droppedText += `${droppedText ? ', ' : ''}rung ${r.index}: ${r.dropped}`
      continue
    }
    const clientId = clientIdFor(cycle, r.index)
    const p = ticksToPrice(dv, r.priceTicks)
    const q = lotsToQuantity(dv, r.lots)
    orders.push({
      clientId,
      cycle,
      side: 'buy',
      rung: r.index,
      price: p,
      quantity: q,
      priceTicks: r.priceTicks,
      qtyLots: r.lots,
      filledLots: 0,
      filledTickLots: 0,
      feeUnits: 0,
      baseFeeUnits: 0,
      status: 'pending',
      orderId: null,
    })
    toPlace.push({ clientId, rung: r.index, price: p, quantity: q })
  }
  if (orders.length === 0) {
    cmds.push({
      type: 'warning',
      message: `no rung can be placed at price ${price} (${droppedText}); stopping`,
      event: 'priceUpdated',
    })
    stopWork(w, 'noRungFits', cmds)
    return
  }
  // Orders of finished cycles are no longer needed (none is live here).
  w.orders = orders
  w.cycle = cycle
  w.position = freshPosition(w.position)
  w.nextSellSlot = SELL_SLOT0
  w.placedAt = at
  w.status = 'laddering'
  cmds.push({
    type: 'placeOrders',
    symbol: w.setup.market.symbol,
    side: 'buy',
    timeInForce: 'GTC',
    postOnly: w.setup.config.postOnly,
    orders: toPlace,
  })
  if (droppedText)
    cmds.push({
      type: 'log',
      message: `cycle ${cycle}: dropped ${droppedText}`,
    })
  if (w.setup.config.autoRestartNoFill) {
    const deadline = at + dv.noFillMs
    w.timers.noFill = deadline
    cmds.push({ type: 'scheduleTimer', timer: 'noFill', at: deadline })
  }
}

/** Marks every live order of a side (or all) as canceling and asks for it. */
function cancelLive(
  w: Work,
  cmds: LadderCommand[],
  side?: 'buy' | 'sell',
): void {
  const ids: number[] = []
  for (let i = 0; i < w.orders.length; i++) {
    const o = w.orders[i] as OrderRecord
    if (
      (o.status === 'pending' || o.status === 'open') &&
      (side === undefined || o.side === side)
    ) {
      w.orders[i] = { ...o, status: 'canceling' }
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

function beginExit(
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
function beginExitWork(
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
  // A limit take-profit that filled needs no market sell; any other exit
  // cancels resting sells and sells at market.
  cancelLive(w, cmds, limitTakeProfit ? 'buy' : undefined)
  w.status = 'exiting'
  w.reason = reason
  w.stopAfter = stopAfter
  w.exitPrice = price
  if (!limitTakeProfit) {
    const held = heldLots(dv, w.position)
    if (held >= dv.minLots)
      placeSell(
        dv,
        w,
        'market',
        held,
        priceToTicks(dv, price, 'down') ?? 0,
        reason,
        cmds,
      )
  }
  settleExit(dv, w, at, cmds)
}

/** Completes the exit once nothing is live and nothing sellable is left. */
function settleExit(
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
    )
    return
  }
  const p = w.position
  const fees = p.buyFeeUnits + p.sellFeeUnits
  // What could not be sold (below the step or the market minimum, or left by
  // base-asset fees) is still on the exchange: its cost moves to the next
  // cycle with it instead of being booked as a loss.
  const rest = holding(dv, p)
  const costSold =
    (p.carriedCostUnits ?? 0) + p.costTickLots * dv.tlMoney - rest.costUnits
  const profit = p.proceedsTickLots * dv.tlMoney - costSold - fees
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
  w.position = {
    ...ZERO_POSITION,
    carriedLots: rest.lots,
    carriedFineUnits: rest.fineUnits,
    carriedCostUnits: rest.costUnits,
  }
  w.trailingPeak = null
  w.trailingStopPrice = null
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

function baseAsset(w: Work): string {
  return w.setup.market.symbol.split('_')[0] ?? w.setup.market.symbol
}

function stopWork(w: Work, reason: StopReason, cmds: LadderCommand[]): void {
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

function onStop(state: LadderState, at: number, sell: boolean): StepResult {
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

// ---------------------------------------------------------------------------
// Reconcile
// ---------------------------------------------------------------------------

interface ExchangeSum {
  side: 'buy' | 'sell'
  lots: number
  tickLots: number
  fee: number
  baseFee: number
  lastTicks: number
}

/**
 * The exchange's truth wins: adopt fills the machine did not know about,
 * forget live orders the exchange does not have (never re-place them), and
 * cancel open orders of the machine's id space it does not know.
 */
function onReconciled(state: LadderState, event: ReconciledEvent): StepResult {
  if (state.status === 'idle')
    return warning(
      state,
      event,
      'ignored reconciled: the strategy has not been started',
    )
  const dv = derive(state.setup.config, state.setup.market)
  const w = work(state)
  const cmds: LadderCommand[] = []
  const warn = (message: string) =>
    cmds.push({ type: 'warning', message, event: 'reconciled' })
  const open = new Map<number, { orderId: string; filledLots: number }>()
  for (const o of Array.isArray(event.openOrders) ? event.openOrders : []) {
    const filled = quantityToLots(dv, String(o?.filledQuantity ?? '0'), 'down')
    if (typeof o?.clientId !== 'number' || filled === null) {
      warn(`skipped a malformed open order ${JSON.stringify(o)}`)
      continue
    }
    open.set(o.clientId, { orderId: String(o.orderId), filledLots: filled })
  }
  const sums = new Map<number, ExchangeSum>()
  for (const f of Array.isArray(event.fills) ? event.fills : []) {
    const lots = quantityToLots(dv, String(f?.quantity), 'down')
    const side = f?.side === 'sell' ? 'sell' : 'buy'
    const ticks = priceToTicks(
      dv,
      String(f?.price),
      side === 'buy' ? 'up' : 'down',
    )
    const base = f?.feeAsset === 'base'
    const fee = parseUnits(
      String(f?.fee ?? '0'),
      base ? dv.stepDec + 8 : dv.moneyScale,
      'up',
    )
    if (
      typeof f?.clientId !== 'number' ||
      lots === null ||
      ticks === null ||
      fee === null
    ) {
      warn(`skipped a malformed fill ${JSON.stringify(f)}`)
      continue
    }
    const s = sums.get(f.clientId) ?? {
      side,
      lots: 0,
      tickLots: 0,
      fee: 0,
      baseFee: 0,
      lastTicks: ticks,
    }
    s.lots += lots
    s.tickLots += lots * ticks
    if (base) s.baseFee += fee
    else s.fee += fee
    s.lastTicks = ticks
    sums.set(f.clientId, s)
  }
  const before = heldLots(dv, w.position)
  for (let i = 0; i < w.orders.length; i++) {
    const o = w.orders[i] as OrderRecord
    const ex = open.get(o.clientId)
    const sum = sums.get(o.clientId)
    const exLots = Math.max(sum?.lots ?? 0, ex?.filledLots ?? 0)
    if (exLots > o.filledLots) {
      const delta = exLots - o.filledLots
      const tickLots =
        sum && sum.lots === exLots
          ? sum.tickLots - o.filledTickLots
          : delta * o.priceTicks
      applyFill(
        dv,
        w,
        i,
        delta,
        tickLots,
        Math.max(0, (sum?.fee ?? 0) - o.feeUnits),
        Math.max(0, (sum?.baseFee ?? 0) - o.baseFeeUnits),
        sum?.lastTicks ?? o.priceTicks,
      )
      const booked = w.orders[i] as OrderRecord
      bookFill(
        dv,
        w,
        booked,
        delta,
        tickLots,
        booked.feeUnits - o.feeUnits,
        booked.baseFeeUnits - o.baseFeeUnits,
        booked.baseFeeUnits > o.baseFeeUnits,
        true,
        cmds,
      )
      warn(
        `adopted ${lotsToQuantity(dv, delta)} filled on order ${o.clientId} that the state did not know`,
      )
    }
    const now = w.orders[i] as OrderRecord
    if (isLive(now)) {
      if (ex) {
        if (now.status === 'pending' || now.orderId !== ex.orderId)
          w.orders[i] = {
            ...now,
            status: now.status === 'pending' ? 'open' : now.status,
            orderId: ex.orderId,
          }
      } else {
        const filled = now.filledLots >= now.qtyLots
        w.orders[i] = { ...now, status: filled ? 'filled' : 'canceled' }
        if (!filled && now.status !== 'canceling')
          warn(
            `forgot order ${now.clientId}: the exchange does not have it open (not placed again)`,
          )
      }
    }
    open.delete(o.clientId)
    sums.delete(o.clientId)
  }
  // Orders and fills of the machine's id space that the state does not know
  // (a state saved before it placed them): cancel the orders, adopt the fills.
  const stray: number[] = []
  for (const [clientId] of open) {
    const { cycle } = parseClientId(clientId)
    if (cycle >= 1 && cycle <= w.cycle + 1) stray.push(clientId)
    else
      warn(
        `left open order ${clientId} alone: not one of this strategy's client ids`,
      )
  }
  if (stray.length > 0) {
    warn(`canceling open orders the state does not know: ${stray.join(', ')}`)
    cmds.push({
      type: 'cancelOrders',
      symbol: w.setup.market.symbol,
      clientIds: stray,
    })
  }
  for (const [clientId, s] of sums) {
    if (parseClientId(clientId).cycle <= w.cycle) continue // history of finished cycles
    const p = w.position
    if (s.side === 'buy') {
      p.boughtLots += s.lots
      p.costTickLots += s.tickLots
      p.buyFeeUnits += s.fee
      p.baseFeeUnits += s.baseFee
      p.fills++
      w.totals.fills++
    } else {
      p.soldLots += s.lots
      p.proceedsTickLots += s.tickLots
      p.sellFeeUnits += s.fee
    }
    w.totals.feeUnits += s.fee
    const { cycle, slot, kind } = parseClientId(clientId)
    if (s.lots > 0)
      bookFill(
        dv,
        w,
        {
          cycle,
          clientId,
          side: s.side,
          rung: kind === 'rung' ? slot : -1,
          filledLots: 0,
          qtyLots: 1,
        },
        s.lots,
        s.tickLots,
        s.fee,
        s.baseFee,
        s.baseFee > 0,
        true,
        cmds,
      )
    warn(
      `adopted ${lotsToQuantity(dv, s.lots)} ${s.side === 'buy' ? 'bought' : 'sold'} on unknown order ${clientId}`,
    )
  }
  const held = heldLots(dv, w.position)
  switch (w.status) {
    case 'laddering':
    case 'starting':
    case 'coolingDown':
      // A position of this cycle's (or a newer) buys; the carried remainder
      // alone is no position (it has no take-profit average of its own).
      if (cycleLots(dv, w.position) > 0) {
        if (w.status === 'coolingDown') {
          w.timers.coolDown = false
          cmds.push({ type: 'cancelTimer', timer: 'coolDown' })
        }
        enterPosition(dv, w, cmds)
      }
      break
    case 'inPosition':
      if (held !== before || held === 0) {
        if (held < dv.minLots && w.position.soldLots > 0)
          beginExitWork(
            dv,
            w,
            event.at,
            'takeProfit',
            w.takeProfitPrice,
            false,
            cmds,
          )
        else {
          refreshTargets(dv, w)
          if (w.setup.config.takeProfitOrder === 'limit')
            syncTakeProfitOrder(dv, w, cmds)
        }
      } else if (w.setup.config.takeProfitOrder === 'limit')
        syncTakeProfitOrder(dv, w, cmds)
      break
    case 'exiting':
      settleExit(dv, w, event.at, cmds)
      break
    default:
      break
  }
  return [finish(w), cmds]
}
