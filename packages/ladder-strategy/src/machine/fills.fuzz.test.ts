/**
 * `advanceUnreported` (the backtest's entry) against `advance` (what `step`
 * runs) over random configs and event sequences, in every status a fill can
 * reach (laddering, in position, exiting, stopped, idle): the same state
 * and the same commands, minus the `fillBooked` reports of fills.
 */
import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { MARKET } from '../../test/fixtures.js'
import { DEFAULT_LADDER_CONFIG } from '../config.js'
import type { LadderConfig, LadderState, OrderRecord } from '../types.js'
import type { LadderCommand } from './commands.js'
import type { LadderEvent } from './events.js'
import { initialState } from './state.js'
import { advance, advanceUnreported } from './step.js'

const configArb: fc.Arbitrary<LadderConfig> = fc
  .record({
    orderCount: fc.integer({ min: 1, max: 4 }),
    activeOrderCount: fc.constantFrom(false as const, 1),
    takeProfitOrder: fc.constantFrom('market' as const, 'limit' as const),
    takeProfitSteps: fc.constantFrom(false as const, [
      { share: '0.5', profitPercent: '1' },
      { share: '0.5', profitPercent: '2' },
    ]),
    stopLossPercentage: fc.constantFrom(false as const, '8'),
    feeAwareTakeProfit: fc.boolean(),
    coolDownMinutes: fc.constantFrom(0, 5),
  })
  .map((o) => ({
    ...DEFAULT_LADDER_CONFIG,
    maxDropPercentage: '6',
    minOrderAmount: '0',
    totalAmount: '300',
    ...o,
    activeOrderCount:
      o.activeOrderCount === false
        ? (false as const)
        : Math.min(o.activeOrderCount, o.orderCount),
  }))

const actionArb = fc.oneof(
  fc.tuple(fc.constant('price' as const), fc.integer({ min: 900, max: 1060 })),
  fc.tuple(fc.constant('fill' as const), fc.nat(9), fc.nat(3)),
  fc.tuple(fc.constant('ack' as const), fc.nat(9)),
  fc.tuple(fc.constant('timer' as const), fc.nat(1)),
  fc.tuple(fc.constant('stop' as const), fc.nat(1)),
)

const reported = (commands: readonly LadderCommand[]) =>
  commands.filter((c) => c.type !== 'fillBooked')

describe('advanceUnreported (the backtest) against advance (step)', () => {
  test.prop([configArb, fc.boolean(), fc.array(actionArb, { maxLength: 60 })], {
    numRuns: 300,
  })(
    'behavior: the same state and commands, minus fillBooked',
    (config, start, actions) => {
      let state: LadderState = initialState(config, MARKET)
      let at = 0
      const feed = (event: LadderEvent) => {
        const full = advance(state, event)
        const lean = advanceUnreported(state, event)
        if (full === null) {
          expect(lean).toBeNull()
          return
        }
        expect(lean).not.toBeNull()
        const [next, commands] = lean as NonNullable<typeof lean>
        expect(next).toEqual(full[0])
        expect(commands).toEqual(reported(full[1]))
        state = next
      }
      if (start) feed({ type: 'started', at: at++, price: '100' })
      for (const action of actions) {
        at += 1000
        if (action[0] === 'price')
          feed({ type: 'priceUpdated', at, price: String(action[1] / 10) })
        else if (action[0] === 'timer')
          feed({
            type: 'timerFired',
            at: at + 3_600_000,
            timer: action[1] === 0 ? 'noFill' : 'coolDown',
          })
        else if (action[0] === 'stop')
          feed({ type: 'stopRequested', at, sellPosition: action[1] === 1 })
        else if (action[0] === 'ack') {
          const canceling = state.orders.filter((o) => o.status === 'canceling')
          const o = canceling[action[1] % Math.max(1, canceling.length)]
          if (o) feed({ type: 'orderCanceled', at, clientId: o.clientId })
        } else {
          // A fill of any order, live or not (late fills, unknown ids too).
          const o = state.orders[
            action[1] % Math.max(1, state.orders.length)
          ] as OrderRecord | undefined
          feed({
            type: 'orderFilled',
            at,
            clientId: o?.clientId ?? 7,
            price: o?.price ?? '100',
            quantity: o === undefined ? '0.001' : o.quantity,
            fee: ['0', '0.01', '0.00000001', 'x'][action[2]] as string,
            ...(action[2] === 2 ? { feeAsset: 'base' as const } : {}),
          })
        }
      }
    },
  )

  test('behavior: a fill in laddering books the same position, without its fillBooked', () => {
    const config = { ...DEFAULT_LADDER_CONFIG, minOrderAmount: '0' }
    const first = advance(initialState(config, MARKET), {
      type: 'started',
      at: 0,
      price: '100',
    })
    const laddering = (first as NonNullable<typeof first>)[0]
    const rung = laddering.orders[0] as OrderRecord
    const fill: LadderEvent = {
      type: 'orderFilled',
      at: 1,
      clientId: rung.clientId,
      price: rung.price,
      quantity: rung.quantity,
      fee: '0.01',
    }
    const full = advance(laddering, fill) as NonNullable<
      ReturnType<typeof advance>
    >
    const lean = advanceUnreported(laddering, fill) as NonNullable<
      ReturnType<typeof advance>
    >
    expect(full[1].some((c) => c.type === 'fillBooked')).toBe(true)
    expect(lean[1].some((c) => c.type === 'fillBooked')).toBe(false)
    expect(lean[0].status).toBe('inPosition')
    expect(lean[0]).toEqual(full[0])
  })
})
