import { describe, expectTypeOf, test } from 'vitest'
import type {
  LadderCommand,
  LadderEvent,
  LadderMarket,
  LadderState,
  MarketRules,
  StepResult,
} from './index.js'
import { step } from './index.js'

describe('step', () => {
  test('returns [state, commands]', () => {
    expectTypeOf(step).returns.toEqualTypeOf<StepResult>()
    expectTypeOf<StepResult[1]>().toEqualTypeOf<readonly LadderCommand[]>()
  })

  test('narrowing on status exposes the status fields', () => {
    const state = {} as LadderState
    if (state.status === 'inPosition')
      expectTypeOf(state.takeProfitPrice).toEqualTypeOf<string>()
    if (state.status === 'stopped')
      expectTypeOf(state.reason).toExtend<string>()
    // @ts-expect-error takeProfitPrice exists only in inPosition
    state.takeProfitPrice
  })

  test('events and commands are discriminated by type', () => {
    const event = {} as LadderEvent
    if (event.type === 'orderFilled')
      expectTypeOf(event.fee).toEqualTypeOf<string>()
    const command = {} as LadderCommand
    if (command.type === 'placeOrders')
      expectTypeOf(command.orders[0]).toEqualTypeOf<
        | { clientId: number; rung: number; price: string; quantity: string }
        | undefined
      >()
    // @ts-expect-error an event needs its time
    const bad: LadderEvent = { type: 'priceUpdated', price: '1' }
    void bad
  })
})

describe('LadderMarket', () => {
  test('default: the deprecated MarketRules is the same type', () => {
    expectTypeOf<MarketRules>().toEqualTypeOf<LadderMarket>()
    expectTypeOf<LadderMarket['tickSize']>().toEqualTypeOf<string>()
  })
})
