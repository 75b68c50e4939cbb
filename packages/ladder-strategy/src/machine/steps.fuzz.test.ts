/**
 * Properties of the multi-step take profit and rolling rungs over random
 * configs and event sequences (prices, complete and partial fills,
 * cancel acknowledgements, timers): the sells never exceed the position,
 * position and cash are conserved across partial exits (each cycle's profit
 * is what its sells received minus what its buys cost, the carried
 * remainder at its cost), and no client id is ever placed twice.
 */
import { fc, test } from '@fast-check/vitest'
import Big from 'big.js'
import { describe, expect } from 'vitest'
import { MARKET } from '../../test/fixtures.js'
import { DEFAULT_LADDER_CONFIG } from '../config.js'
import type { LadderConfig, LadderState, OrderRecord } from '../types.js'
import type { LadderEvent } from './events.js'
import { initialState } from './state.js'
import { step } from './step.js'

const stepsArb = fc.constantFrom(
  false as const,
  [
    { share: '0.5', profitPercent: '1' },
    { share: '0.5', profitPercent: '2' },
  ],
  [
    { share: '0.3', profitPercent: '0.5' },
    { share: '0.3', profitPercent: '1' },
    { share: '0.2', profitPercent: '1.5' },
    { share: '0.2', profitPercent: '3' },
  ],
  [
    { share: '0.999', profitPercent: '1' },
    { share: '0.001', profitPercent: '2' },
  ],
)

const configArb: fc.Arbitrary<LadderConfig> = fc
  .record({
    orderCount: fc.integer({ min: 1, max: 4 }),
    activeOrderCount: fc.constantFrom(false as const, 1, 2),
    takeProfitOrder: fc.constantFrom('market' as const, 'limit' as const),
    takeProfitSteps: stepsArb,
    stopLossPercentage: fc.constantFrom(false as const, '8'),
    trailingTakeProfitPercentage: fc.constantFrom(false as const, '0.5'),
    totalAmount: fc.constantFrom('5', '300'),
  })
  .map((o) => ({
    ...DEFAULT_LADDER_CONFIG,
    maxDropPercentage: '6',
    minOrderAmount: '0',
    ...o,
    activeOrderCount:
      o.activeOrderCount === false
        ? (false as const)
        : Math.min(o.activeOrderCount, o.orderCount),
  }))

const actionArb = fc.oneof(
  fc.tuple(fc.constant('price' as const), fc.integer({ min: 900, max: 1060 })),
  fc.tuple(fc.constant('fill' as const), fc.nat(9), fc.boolean()),
  fc.tuple(fc.constant('ack' as const), fc.nat(9)),
  fc.tuple(fc.constant('timer' as const), fc.constant(0)),
)

const LOT = new Big(MARKET.stepSize)
const unfilled = (o: OrderRecord) => o.qtyLots - o.filledLots

describe('takeProfitSteps and activeOrderCount (properties)', () => {
  test.prop([configArb, fc.array(actionArb, { maxLength: 60 })], {
    numRuns: 400,
  })(
    'behavior: sells never exceed the position; cash and position are conserved; client ids unique',
    (config, actions) => {
      let state: LadderState = initialState(config, MARKET)
      const placed = new Set<number>()
      let proceeds = new Big(0)
      let cost = new Big(0)
      let carriedIn = new Big(0)
      let at = 0
      const feed = (event: LadderEvent) => {
        const [next, commands] = step(state, event)
        state = next
        for (const c of commands) {
          const ids =
            c.type === 'placeOrders'
              ? c.orders.map((o) => o.clientId)
              : c.type === 'sellPosition'
                ? [c.clientId]
                : []
          for (const id of ids) {
            expect(placed.has(id)).toBe(false)
            placed.add(id)
          }
          if (c.type === 'cycleCompleted') {
            // Fees are 0: profit = proceeds - cost of what was sold.
            expect(
              new Big(c.profit).eq(
                proceeds.minus(cost).minus(carriedIn).plus(c.carriedCost),
              ),
            ).toBe(true)
            proceeds = new Big(0)
            cost = new Big(0)
            carriedIn = new Big(c.carriedCost)
          }
        }
        const p = state.position
        const held = p.boughtLots - p.soldLots + (p.carriedLots ?? 0)
        expect(held).toBeGreaterThanOrEqual(0)
        // Sells on the book (not being canceled) never exceed what is held.
        let resting = 0
        for (const o of state.orders)
          if (
            o.side === 'sell' &&
            (o.status === 'pending' || o.status === 'open')
          )
            resting += unfilled(o)
        expect(resting).toBeLessThanOrEqual(held)
      }
      feed({ type: 'started', at: at++, price: '100' })
      for (const action of actions) {
        at += 1000
        if (action[0] === 'price')
          feed({
            type: 'priceUpdated',
            at,
            price: new Big(action[1]).div(10).toFixed(),
          })
        else if (action[0] === 'timer')
          feed({ type: 'timerFired', at: at + 3_600_000, timer: 'noFill' })
        else if (action[0] === 'ack') {
          const canceling = state.orders.filter((o) => o.status === 'canceling')
          const o = canceling[action[1] % Math.max(1, canceling.length)]
          if (o) feed({ type: 'orderCanceled', at, clientId: o.clientId })
        } else {
          const live = state.orders.filter(
            (o) =>
              o.status === 'pending' ||
              o.status === 'open' ||
              o.status === 'canceling',
          )
          const o = live[action[1] % Math.max(1, live.length)]
          if (!o) continue
          const lots = action[2] ? unfilled(o) : Math.ceil(unfilled(o) / 2)
          const quantity = LOT.times(lots)
          const value = quantity.times(o.price)
          if (o.side === 'buy') cost = cost.plus(value)
          else proceeds = proceeds.plus(value)
          feed({
            type: 'orderFilled',
            at,
            clientId: o.clientId,
            price: o.price,
            quantity: quantity.toFixed(),
            fee: '0',
          })
        }
      }
    },
  )
})
