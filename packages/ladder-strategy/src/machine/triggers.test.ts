import { fc, test as prop } from '@fast-check/vitest'
import { describe, expect, test } from 'vitest'
import { MARKET, SMALL } from '../../test/fixtures.js'
import { compareDecimal } from '../decimal.js'
import type { LadderConfig, LadderState } from '../types.js'
import type { LadderEvent } from './events.js'
import { initialState } from './state.js'
import { advance, step } from './step.js'
import { type TriggerBand, triggerBand } from './triggers.js'

function run(config: LadderConfig, events: LadderEvent[]): LadderState {
  let state: LadderState = initialState(config, MARKET)
  for (const e of events) state = step(state, e)[0]
  return state
}
const price = (p: string, at = 2): LadderEvent => ({
  type: 'priceUpdated',
  at,
  price: p,
})
const filled: LadderEvent = {
  type: 'orderFilled',
  at: 1,
  clientId: 1024,
  price: '100',
  quantity: '0.428',
  fee: '0',
}

/** Whether the band says the machine may react to `p`. */
function reacts(band: TriggerBand, p: string): boolean {
  if (band.reacts === 'all') return true
  if (band.low !== null && compareDecimal(p, band.low) <= 0) return true
  if (band.high === null) return false
  const c = compareDecimal(p, band.high)
  return c > 0 || (c === 0 && band.highInclusive)
}

describe('triggerBand', () => {
  test('default: a laddering machine reacts to no price, a starting one to every price', () => {
    const idle = initialState(SMALL, MARKET)
    expect(triggerBand(idle)).toEqual({
      reacts: 'outside',
      low: null,
      high: null,
      highInclusive: false,
    })
    const laddering = run(SMALL, [{ type: 'started', at: 0, price: '100' }])
    expect(laddering.status).toBe('laddering')
    expect(triggerBand(laddering).reacts).toBe('outside')
    expect(triggerBand(laddering).low).toBeNull()
    const starting = run(SMALL, [{ type: 'started', at: 0 }])
    expect(starting.status).toBe('starting')
    expect(triggerBand(starting).reacts).toBe('all')
  })

  test('behavior: in position, the market target triggers at and above it', () => {
    const s = run(SMALL, [{ type: 'started', at: 0, price: '100' }, filled])
    expect(triggerBand(s)).toEqual({
      reacts: 'outside',
      low: null,
      high: '101',
      highInclusive: true,
    })
  })

  test('args: takeProfitOrder limit leaves no upper trigger; the stop loss is the lower one', () => {
    const s = run(
      { ...SMALL, takeProfitOrder: 'limit', stopLossPercentage: '5' },
      [{ type: 'started', at: 0, price: '100' }, filled],
    )
    expect(triggerBand(s)).toEqual({
      reacts: 'outside',
      low: '95',
      high: null,
      highInclusive: false,
    })
  })

  test('args: an armed trailing stop sits between the stop loss and the peak (exclusive)', () => {
    const s = run(
      {
        ...SMALL,
        trailingTakeProfitPercentage: '0.5',
        stopLossPercentage: '5',
      },
      [{ type: 'started', at: 0, price: '100' }, filled, price('103')],
    )
    expect(triggerBand(s)).toEqual({
      reacts: 'outside',
      low: '102.4',
      high: '103',
      highInclusive: false,
    })
  })

  prop.prop(
    [
      fc.record({
        takeProfitOrder: fc.constantFrom('market' as const, 'limit' as const),
        stopLossPercentage: fc.constantFrom(false as const, '0.5', '3'),
        trailingTakeProfitPercentage: fc.constantFrom(
          false as const,
          '0.2',
          '1',
        ),
        feeAwareTakeProfit: fc.boolean(),
      }),
      // A walk of prices in cents around 100 (the ladder's 90..100).
      fc.array(fc.integer({ min: 8_800, max: 10_400 }), {
        minLength: 1,
        maxLength: 40,
      }),
    ],
    { numRuns: 200 },
  )(
    'behavior: a price inside the band is a no-op, whatever the state',
    (options, walk) => {
      let state = run({ ...SMALL, ...options }, [
        { type: 'started', at: 0, price: '100' },
        filled,
      ])
      for (const [i, cents] of walk.entries()) {
        const p = (cents / 100).toFixed(2)
        const e = price(p, 10 + i)
        const result = advance(state, e)
        if (!reacts(triggerBand(state), p)) expect(result).toBeNull()
        if (result !== null) state = result[0]
      }
    },
  )
})
