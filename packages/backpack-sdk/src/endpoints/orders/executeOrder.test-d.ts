import { describe, expectTypeOf, test } from 'vitest'
import type { BackpackClient } from '../../clientMethods.js'
import type { ApiError } from '../../errors/httpErrors.js'
import type { OrderStateUnknownError } from '../../errors/orderStateUnknownError.js'
import type {
  BatchOrderResult,
  ExecuteOrderParameters,
  ExecuteOrderReturnType,
  Order,
} from '../../types/private.js'
import { type ExecuteOrderErrorType, executeOrder } from './executeOrder.js'

declare const client: BackpackClient

type Common = { symbol: string; side: 'Bid' }

describe('executeOrder', () => {
  test('behavior: ExecuteOrderErrorType has OrderStateUnknownError, never a bare TimeoutError', () => {
    expectTypeOf<OrderStateUnknownError>().toExtend<ExecuteOrderErrorType>()
    expectTypeOf<ApiError>().toExtend<ExecuteOrderErrorType>()
    expectTypeOf<
      Extract<ExecuteOrderErrorType, { name: 'TimeoutError' }>
    >().toBeNever()
    expectTypeOf<
      Extract<ExecuteOrderErrorType, { name: 'OrderStateUnknownError' }>
    >().toHaveProperty('orderLookups')
  })

  test('args: Limit needs price and quantity, no quoteQuantity', () => {
    expectTypeOf<
      Common & {
        orderType: 'Limit'
        price: string
        quantity: string
        postOnly: true
      }
    >().toExtend<ExecuteOrderParameters>()
    expectTypeOf<
      Common & { orderType: 'Limit'; quantity: string }
    >().not.toExtend<ExecuteOrderParameters>()
    expectTypeOf<
      Common & {
        orderType: 'Limit'
        price: string
        quantity: string
        quoteQuantity: string
      }
    >().not.toExtend<ExecuteOrderParameters>()
  })

  test('args: Market takes one size, never price or postOnly', () => {
    expectTypeOf<
      Common & { orderType: 'Market'; quantity: string }
    >().toExtend<ExecuteOrderParameters>()
    expectTypeOf<
      Common & { orderType: 'Market'; quoteQuantity: string }
    >().toExtend<ExecuteOrderParameters>()
    expectTypeOf<
      Common & {
        orderType: 'Market'
        triggerPrice: string
        triggerQuantity: string
      }
    >().toExtend<ExecuteOrderParameters>()
    expectTypeOf<
      Common & { orderType: 'Market'; quantity: string; price: string }
    >().not.toExtend<ExecuteOrderParameters>()
    expectTypeOf<
      Common & { orderType: 'Market'; quantity: string; quoteQuantity: string }
    >().not.toExtend<ExecuteOrderParameters>()
    expectTypeOf<
      Common & { orderType: 'Market'; quantity: string; postOnly: true }
    >().not.toExtend<ExecuteOrderParameters>()
  })

  test('args: decimals are strings and enums are exact', () => {
    expectTypeOf<
      Common & { orderType: 'Market'; quantity: number }
    >().not.toExtend<ExecuteOrderParameters>()
    expectTypeOf<{
      symbol: string
      side: 'bid'
      orderType: 'Market'
      quantity: string
    }>().not.toExtend<ExecuteOrderParameters>()
  })

  test('behavior: narrowing by orderType', () => {
    const p = {} as ExecuteOrderParameters
    if (p.orderType === 'Limit') expectTypeOf(p.price).toEqualTypeOf<string>()
    else expectTypeOf(p.price).toEqualTypeOf<undefined>()
  })

  test('behavior: returns the order with a clientId; client method matches', () => {
    expectTypeOf(
      executeOrder,
    ).returns.resolves.toEqualTypeOf<ExecuteOrderReturnType>()
    expectTypeOf<ExecuteOrderReturnType['clientId']>().toEqualTypeOf<number>()
    expectTypeOf(client.executeOrder).parameters.toEqualTypeOf<
      [
        params: ExecuteOrderParameters,
        options?: Parameters<typeof executeOrder>[2],
      ]
    >()
    const r = {} as BatchOrderResult
    if ('code' in r) expectTypeOf(r.operation).toEqualTypeOf<'Err'>()
    else expectTypeOf(r).toExtend<Order>()
  })
})
