import { describe, expect, test } from 'vitest'
import { orderUpdateToEvent } from './orderEvents.js'

const base = {
  eventTimeUs: 1,
  symbol: 'BTC_USDC',
  orderId: '11',
  clientId: 1024,
}

describe('orderUpdateToEvent', () => {
  test('default: a fill carries price, quantity, fee asset and the cumulative quantity', () => {
    expect(
      orderUpdateToEvent(
        {
          ...base,
          eventType: 'orderFill',
          fillPrice: '60000',
          fillQuantity: '0.001',
          fee: '0.000001',
          feeAsset: 'BTC',
          executedQuantity: '0.002',
        },
        'BTC_USDC',
        5,
      ),
    ).toEqual({
      type: 'orderFilled',
      at: 5,
      clientId: 1024,
      price: '60000',
      quantity: '0.001',
      fee: '0.000001',
      feeAsset: 'base',
      cumulativeQuantity: '0.002',
    })
  })

  test('behavior: accepted, cancelled and expired', () => {
    expect(
      orderUpdateToEvent(
        { ...base, eventType: 'orderAccepted' },
        'BTC_USDC',
        1,
      ),
    ).toEqual({ type: 'orderAccepted', at: 1, clientId: 1024, orderId: '11' })
    expect(
      orderUpdateToEvent(
        { ...base, eventType: 'orderCancelled' },
        'BTC_USDC',
        1,
      ),
    ).toMatchObject({ type: 'orderCanceled' })
    expect(
      orderUpdateToEvent({ ...base, eventType: 'orderExpired' }, 'BTC_USDC', 1),
    ).toMatchObject({ type: 'orderCanceled' })
  })

  test('behavior: other markets, orders without a client id and other event types are ignored', () => {
    expect(
      orderUpdateToEvent(
        { ...base, eventType: 'orderAccepted' },
        'SOL_USDC',
        1,
      ),
    ).toBeUndefined()
    expect(
      orderUpdateToEvent(
        { ...base, clientId: undefined, eventType: 'orderAccepted' },
        'BTC_USDC',
        1,
      ),
    ).toBeUndefined()
    expect(
      orderUpdateToEvent(
        { ...base, eventType: 'orderModified' },
        'BTC_USDC',
        1,
      ),
    ).toBeUndefined()
  })
})
