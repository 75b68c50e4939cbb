/**
 * Property tests of the machine over random configs and random event
 * sequences played by a toy exchange: the invariants of STYLE 2.8 and the
 * brief (budget, grid, decreasing prices, take-profit floor, unique client
 * ids, determinism, replay, JSON round trip).
 */
import { fc, test } from '@fast-check/vitest'
import Big from 'big.js'
import { describe, expect } from 'vitest'
import { BTC_MARKET, MARKET, SMALL } from '../test/fixtures.js'
import { DEFAULT_LADDER_CONFIG } from './config.js'
import type { LadderCommand } from './machine/commands.js'
import type { LadderEvent } from './machine/events.js'
import { initialState } from './machine/state.js'
import { advance, step } from './machine/step.js'
import type { LadderConfig, LadderState, OrderRecord } from './types.js'

const configArb: fc.Arbitrary<LadderConfig> = fc
  .record({
    orderCount: fc.integer({ min: 1, max: 8 }),
    takeProfitOrder: fc.constantFrom('market' as const, 'limit' as const),
    feeAwareTakeProfit: fc.boolean(),
    stopLossPercentage: fc.constantFrom(false as const, '3'),
    trailingTakeProfitPercentage: fc.constantFrom(false as const, '0.3'),
    coolDownMinutes: fc.constantFrom(0, 2),
    stepScale: fc.constantFrom('1', '1.5'),
    restartAfterTakeProfit: fc.boolean(),
    incrementPercentage: fc.constantFrom('0', '50', '100'),
  })
  .map((o) => ({ ...SMALL, ...o }))

type Action = { kind: number; pick: number; p: number }
const actionsArb = fc.array(
  fc.record({
    kind: fc.integer({ min: 0, max: 9 }),
    pick: fc.nat(),
    p: fc.integer({ min: 850, max: 1150 }),
  }),
  { minLength: 10, maxLength: 80 },
)

const step001 = new Big('0.001')
const live = (o: OrderRecord) =>
  o.status === 'pending' || o.status === 'open' || o.status === 'canceling'

/** Turns an abstract action into a concrete event for the current state. */
function toEvent(state: LadderState, a: Action, at: number): LadderEvent {
  const orders = state.orders.filter(live)
  // The toy exchange answers what the machine waits for more often than not:
  // cancels of orders being canceled, fills of sells.
  const canceling = orders.filter((x) => x.status === 'canceling')
  const sells = orders.filter((x) => x.side === 'sell')
  const pool =
    a.kind === 5 && canceling.length > 0 && a.pick % 4 !== 0
      ? canceling
      : (a.kind === 3 || a.kind === 4) && sells.length > 0 && a.pick % 4 !== 0
        ? sells
        : orders
  const o = pool.length > 0 ? pool[a.pick % pool.length] : undefined
  const price = new Big(a.p).div(10).toFixed()
  switch (a.kind) {
    case 1:
      if (canceling.length > 0)
        return {
          type: 'orderCanceled',
          at,
          clientId: (canceling[a.pick % canceling.length] as OrderRecord)
            .clientId,
        }
      return { type: 'priceUpdated', at, price }
    case 2:
      if (sells.length > 0) {
        const sell = sells[a.pick % sells.length] as OrderRecord
        const qty = new Big(sell.qtyLots - sell.filledLots)
          .times(step001)
          .toFixed()
        return {
          type: 'orderFilled',
          at,
          clientId: sell.clientId,
          price: sell.price,
          quantity: qty,
          fee: '0',
        }
      }
      return { type: 'priceUpdated', at, price }
    case 0:
      return { type: 'priceUpdated', at, price }
    case 3:
    case 4:
      if (o) {
        const left = new Big(o.qtyLots - o.filledLots).times(step001)
        const partial = a.kind === 4 && o.qtyLots - o.filledLots > 1
        const qty = partial
          ? new Big(Math.floor((o.qtyLots - o.filledLots) / 2)).times(step001)
          : left
        return {
          type: 'orderFilled',
          at,
          clientId: o.clientId,
          price: o.price === '0' ? price : o.price,
          quantity: qty.toFixed(),
          fee: new Big(o.price)
            .times(qty)
            .times('0.001')
            .round(6, Big.roundUp)
            .toFixed(),
          ...(a.pick % 3 === 0
            ? {
                feeAsset: 'base' as const,
                fee: qty.times('0.001').round(8, Big.roundUp).toFixed(),
              }
            : {}),
        }
      }
      return { type: 'priceUpdated', at, price }
    case 5:
      if (o) return { type: 'orderCanceled', at, clientId: o.clientId }
      return { type: 'priceUpdated', at, price }
    case 6:
      if (o && o.status === 'pending')
        return {
          type: 'orderAccepted',
          at,
          clientId: o.clientId,
          orderId: `X${o.clientId}`,
        }
      return {
        type: 'timerFired',
        at,
        timer: a.pick % 2 === 0 ? 'noFill' : 'coolDown',
      }
    case 7:
      return {
        type: 'timerFired',
        at,
        timer: state.timers.coolDown !== false ? 'coolDown' : 'noFill',
      }
    case 8:
      return {
        type: 'reconciled',
        at,
        openOrders: orders
          .filter((x) => x.status !== 'canceling' || a.pick % 2 === 0)
          .map((x) => ({
            clientId: x.clientId,
            orderId: `X${x.clientId}`,
            side: x.side,
            price: x.price,
            quantity: x.quantity,
            filledQuantity: new Big(x.filledLots).times(step001).toFixed(),
          })),
        fills: [],
      }
    default:
      return a.pick % 7 === 0
        ? { type: 'stopRequested', at, sellPosition: a.pick % 2 === 0 }
        : {
            type: 'orderRejected',
            at,
            clientId: o?.clientId ?? 1,
            reason: 'test',
          }
  }
}

interface Run {
  events: LadderEvent[]
  states: LadderState[]
  outputs: (readonly LadderCommand[])[]
}

function play(config: LadderConfig, actions: Action[]): Run {
  let state = initialState(config, MARKET)
  const events: LadderEvent[] = [{ type: 'started', at: 0, price: '100' }]
  const states: LadderState[] = []
  const outputs: (readonly LadderCommand[])[] = []
  for (let i = 0; i <= actions.length; i++) {
    const event =
      i === 0
        ? (events[0] as LadderEvent)
        : toEvent(state, actions[i - 1] as Action, i * 30_000)
    if (i > 0) events.push(event)
    const [next, commands] = step(state, event)
    state = next
    states.push(state)
    outputs.push(commands)
  }
  return { events, states, outputs }
}

describe('step (properties)', () => {
  test.prop([configArb, actionsArb], { numRuns: 150 })(
    'behavior: budget, grid, decreasing prices, take-profit floor, unique client ids',
    (config, actions) => {
      const { states, outputs } = play(config, actions)
      const seen = new Set<number>()
      for (let i = 0; i < outputs.length; i++) {
        for (const c of outputs[i] as LadderCommand[]) {
          if (c.type === 'placeOrders') {
            let total = new Big(0)
            let prev: Big | null = null
            for (const o of c.orders) {
              expect(seen.has(o.clientId)).toBe(false)
              seen.add(o.clientId)
              expect(o.clientId).toBeLessThanOrEqual(0xffff_ffff)
              const p = new Big(o.price)
              const q = new Big(o.quantity)
              expect(p.mod(MARKET.tickSize).eq(0)).toBe(true)
              expect(q.mod(MARKET.stepSize).eq(0)).toBe(true)
              expect(q.gte(MARKET.minQuantity)).toBe(true)
              expect(p.times(q).gte(config.minOrderAmount)).toBe(true)
              if (prev) expect(p.lt(prev)).toBe(true)
              prev = p
              total = total.plus(p.times(q))
            }
            expect(total.lte(config.totalAmount)).toBe(true)
          }
          if (c.type === 'sellPosition') {
            expect(seen.has(c.clientId)).toBe(false)
            seen.add(c.clientId)
            expect(new Big(c.quantity).mod(MARKET.stepSize).eq(0)).toBe(true)
            expect(new Big(c.price).mod(MARKET.tickSize).eq(0)).toBe(true)
          }
        }
        const s = states[i] as LadderState
        if (s.status === 'inPosition' && s.position.boughtLots > 0) {
          // average x (1 + tp/100), before rounding, never above the target
          const avg = new Big(s.position.costTickLots)
            .div(s.position.boughtLots)
            .times(MARKET.tickSize)
          const floor = avg.times(
            new Big(1).plus(new Big(config.takeProfitPercentage).div(100)),
          )
          expect(new Big(s.takeProfitPrice).gte(floor)).toBe(true)
          // Fee-aware targets include the fees, so they may sit higher.
          if (!config.feeAwareTakeProfit)
            expect(
              new Big(s.takeProfitPrice).minus(MARKET.tickSize).lt(floor),
            ).toBe(true)
        }
      }
    },
  )

  test.prop([configArb, actionsArb], { numRuns: 60 })(
    'behavior: deterministic, replayable from a JSON snapshot, JSON round trip',
    (config, actions) => {
      const first = play(config, actions)
      // determinism: the same events give the same states and commands
      let state = initialState(config, MARKET)
      for (let i = 0; i < first.events.length; i++) {
        const [next, commands] = step(state, first.events[i] as LadderEvent)
        expect(commands).toEqual(first.outputs[i])
        state = next
        // JSON round trip of every state
        expect(JSON.parse(JSON.stringify(next))).toEqual(next)
      }
      expect(state).toEqual(first.states.at(-1))
      // replay from a snapshot taken halfway (as after a bot restart)
      const half = Math.floor(first.events.length / 2)
      let restored = JSON.parse(
        JSON.stringify(first.states[half]),
      ) as LadderState
      for (let i = half + 1; i < first.events.length; i++) {
        const [next, commands] = step(restored, first.events[i] as LadderEvent)
        expect(commands).toEqual(first.outputs[i])
        restored = next
      }
      expect(JSON.stringify(restored)).toBe(JSON.stringify(first.states.at(-1)))
    },
  )

  test.prop([configArb, actionsArb], { numRuns: 80 })(
    'behavior: every fill applied is booked once (fillBooked), for the quantity the order gained',
    (config, actions) => {
      const { states, outputs } = play(config, actions)
      for (let i = 1; i < states.length; i++) {
        const before = new Map(
          (states[i - 1] as LadderState).orders.map((o) => [
            o.clientId,
            o.filledLots,
          ]),
        )
        const booked = new Map<number, Big>()
        for (const c of outputs[i] ?? [])
          if (c.type === 'fillBooked')
            booked.set(
              c.clientId,
              (booked.get(c.clientId) ?? new Big(0)).plus(c.quantity),
            )
        for (const o of (states[i] as LadderState).orders) {
          const gained = o.filledLots - (before.get(o.clientId) ?? 0)
          expect(
            (booked.get(o.clientId) ?? new Big(0)).div(step001).toNumber(),
          ).toBe(gained)
          booked.delete(o.clientId)
        }
        expect([...booked.keys()]).toEqual([])
      }
    },
  )

  test.prop([configArb, actionsArb], { numRuns: 60 })(
    'behavior: step never throws and never mutates its input',
    (config, actions) => {
      const { events, states } = play(config, actions)
      for (let i = 1; i < events.length; i++) {
        const before = JSON.stringify(states[i - 1])
        step(states[i - 1] as LadderState, events[i] as LadderEvent)
        expect(JSON.stringify(states[i - 1])).toBe(before)
      }
    },
  )
})

/** Overwrites every field of an event (and of the objects it holds) in place. */
function scramble(value: unknown): void {
  if (typeof value !== 'object' || value === null) return
  const record = value as Record<string, unknown>
  for (const key of Object.keys(record)) {
    scramble(record[key])
    record[key] = Array.isArray(record[key]) ? [] : 'scrambled'
  }
}

describe('advance (properties)', () => {
  test.prop([configArb, actionsArb], { numRuns: 80 })(
    'behavior: null exactly when step returns the same state and no commands, else what step returns',
    (config, actions) => {
      const { events, states } = play(config, actions)
      for (let i = 1; i < events.length; i++) {
        const before = states[i - 1] as LadderState
        const event = events[i] as LadderEvent
        const [next, commands] = step(before, event)
        const outcome = advance(before, event)
        if (outcome === null) {
          expect(next).toBe(before)
          expect(commands).toEqual([])
          expect(Object.isFrozen(commands)).toBe(true)
        } else {
          expect(outcome[0]).toEqual(next)
          expect(outcome[1]).toEqual(commands)
        }
      }
    },
  )

  test.prop([configArb, actionsArb], { numRuns: 60 })(
    'behavior: the result keeps no reference to the event, so the backtest may reuse event objects',
    (config, actions) => {
      const { events, states } = play(config, actions)
      for (let i = 1; i < events.length; i++) {
        const event = structuredClone(events[i]) as LadderEvent
        const [next, commands] = step(states[i - 1] as LadderState, event)
        const snapshot = JSON.stringify([next, commands])
        scramble(event)
        expect(JSON.stringify([next, commands])).toBe(snapshot)
      }
    },
  )
})

// ---------------------------------------------------------------------------
// Carried remainder: nothing created or destroyed across cycles
// ---------------------------------------------------------------------------

const cycleArb = fc.record({
  /** Reference price in cents. */
  cents: fc.integer({ min: 5_000_000, max: 9_000_000 }),
  /** Rungs to fill (capped by what was placed). */
  fills: fc.integer({ min: 1, max: 4 }),
  /** Buy fee in the base asset (as Backpack charges it) or in quote. */
  baseFee: fc.boolean(),
  /** Fee rates in 1/100 of a percent. */
  buyRate: fc.integer({ min: 0, max: 25 }),
  sellRate: fc.integer({ min: 0, max: 25 }),
})

describe('step (carried remainder)', () => {
  test.prop(
    [
      fc.record({
        orderCount: fc.integer({ min: 1, max: 4 }),
        takeProfitOrder: fc.constantFrom('market' as const, 'limit' as const),
        feeAwareTakeProfit: fc.boolean(),
      }),
      fc.array(cycleArb, { minLength: 1, maxLength: 8 }),
    ],
    { numRuns: 80 },
  )(
    'behavior: realised profit = proceeds - cost - fees + carried cost; carried = what the exchange holds',
    (options, cycles) => {
      const config: LadderConfig = {
        ...DEFAULT_LADDER_CONFIG,
        ...options,
        totalAmount: '200',
        maxDropPercentage: '2',
      }
      let state = initialState(config, BTC_MARKET)
      // The exchange's books, kept independently with big.js.
      let base = new Big(0)
      let cost = new Big(0)
      let proceeds = new Big(0)
      let fees = new Big(0)
      let realised = new Big(0)
      let carriedCost = new Big(0)
      let completed = 0
      let at = 0
      const feed = (event: LadderEvent): readonly LadderCommand[] => {
        const [next, commands] = step(state, event)
        // JSON round trip: a restored state behaves the same.
        expect(
          step(JSON.parse(JSON.stringify(state)) as LadderState, event),
        ).toEqual([next, commands])
        state = next
        for (const c of commands)
          if (c.type === 'cycleCompleted') {
            completed++
            realised = realised.plus(c.profit)
            carriedCost = new Big(c.carriedCost)
            // Nothing created or destroyed: the cash result (proceeds -
            // cost - fees) plus the carried inventory at cost is exactly the
            // realised profit.
            expect(realised.toFixed()).toBe(
              proceeds.minus(cost).minus(fees).plus(carriedCost).toFixed(),
            )
            // Exactly what the exchange holds, and never a whole step
            // (everything sellable was sold).
            expect(c.carriedQuantity).toBe(base.toFixed())
            expect(new Big(c.carriedQuantity).lt(BTC_MARKET.stepSize)).toBe(
              true,
            )
            // The carried part keeps its share of the cost (at most all of it).
            if (base.gt(0)) expect(carriedCost.gt(0)).toBe(true)
            expect(carriedCost.lte(cost)).toBe(true)
          }
        return commands
      }
      const fillOrder = (o: OrderRecord, rate: number, inBase: boolean) => {
        const qty = new Big(o.qtyLots - o.filledLots).times(BTC_MARKET.stepSize)
        const notional = qty.times(o.price)
        const r = new Big(rate).div(10_000)
        const fee = inBase
          ? qty.times(r).round(13, Big.roundUp)
          : notional.times(r).round(8, Big.roundUp)
        if (o.side === 'buy') {
          base = base.plus(qty)
          cost = cost.plus(notional)
        } else {
          base = base.minus(qty)
          proceeds = proceeds.plus(notional)
        }
        if (inBase) base = base.minus(fee)
        else fees = fees.plus(fee)
        feed({
          type: 'orderFilled',
          at,
          clientId: o.clientId,
          price: o.price,
          quantity: qty.toFixed(),
          fee: fee.toFixed(),
          ...(inBase ? { feeAsset: 'base' as const } : {}),
        })
      }
      feed({ type: 'started', at })
      for (const cycle of cycles) {
        at += 60_000
        if (state.status !== 'starting') break
        feed({
          type: 'priceUpdated',
          at,
          price: new Big(cycle.cents).div(100).toFixed(),
        })
        for (let k = 0; k < cycle.fills; k++) {
          const buy = state.orders.find((o) => o.side === 'buy' && live(o))
          if (!buy) break
          fillOrder(buy, cycle.buyRate, cycle.baseFee)
        }
        // (feed reassigns state: read it afresh, not as narrowed above)
        const now = state as LadderState
        if (now.status === 'inPosition' && config.takeProfitOrder === 'market')
          feed({ type: 'priceUpdated', at, price: now.takeProfitPrice })
        // The exchange answers: cancels acknowledged, sells filled.
        for (let guard = 0; guard < 50; guard++) {
          const o = state.orders.find(
            (x) => x.status === 'canceling' || (x.side === 'sell' && live(x)),
          )
          if (!o) break
          if (o.status === 'canceling')
            feed({ type: 'orderCanceled', at, clientId: o.clientId })
          else fillOrder(o, cycle.sellRate, false)
        }
        expect((state as LadderState).status).toBe('starting')
      }
      const stop = feed({ type: 'stopRequested', at: at + 1 })
      expect(stop.at(-1)).toEqual({
        type: 'stopped',
        reason: 'stopRequested',
        heldQuantity: base.toFixed(),
        heldCost: carriedCost.toFixed(),
      })
      expect(completed).toBe(cycles.length)
      expect(state.totals.cycles).toBe(cycles.length)
    },
  )
})
