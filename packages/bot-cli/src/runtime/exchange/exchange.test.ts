// Type assertions: `npm run typecheck` (tsc over the tests) fails when they do not hold.
import type { BackpackClient, Fill, Order } from '@rung/backpack-sdk'
import { describe, expectTypeOf, test } from 'vitest'
import type {
  ExchangeClient,
  ExchangeFillLike,
  ExchangeOrderLike,
} from './exchange.js'

describe('ExchangeClient', () => {
  test("behavior: every method is the SDK client's own, so the two cannot drift", () => {
    expectTypeOf<ExchangeClient['executeOrder']>().toEqualTypeOf<
      BackpackClient['executeOrder']
    >()
    expectTypeOf<ExchangeClient['getOpenOrders']>().toEqualTypeOf<
      BackpackClient['getOpenOrders']
    >()
    expectTypeOf<ExchangeClient['cancelOrder']>().toEqualTypeOf<
      BackpackClient['cancelOrder']
    >()
    expectTypeOf<ExchangeClient['cancelOpenOrders']>().toEqualTypeOf<
      BackpackClient['cancelOpenOrders']
    >()
    expectTypeOf<ExchangeClient['getFillHistory']>().toEqualTypeOf<
      BackpackClient['getFillHistory']
    >()
    expectTypeOf<ExchangeClient['getBalances']>().toEqualTypeOf<
      BackpackClient['getBalances']
    >()
    expectTypeOf<ExchangeClient['getDepth']>().toEqualTypeOf<
      BackpackClient['getDepth']
    >()
    expectTypeOf<ExchangeClient['getTicker']>().toEqualTypeOf<
      BackpackClient['getTicker']
    >()
  })

  test('behavior: the SDK client is one', () => {
    expectTypeOf<BackpackClient>().toExtend<ExchangeClient>()
  })
})

describe('ExchangeOrderLike', () => {
  test("behavior: is the SDK's Order", () => {
    expectTypeOf<ExchangeOrderLike>().toEqualTypeOf<Order>()
  })
})

describe('ExchangeFillLike', () => {
  test("behavior: is the SDK's Fill", () => {
    expectTypeOf<ExchangeFillLike>().toEqualTypeOf<Fill>()
  })
})
