import { describe, expect, test } from 'vitest'
import { dec, formatDecimal } from '../decimal.js'
import { toMarket } from '../markets.js'
import { Engine } from './engine.js'
import { bal, limit, rejects, setup } from './engineTestKit.js'
import type { OrderRequest } from './types.js'

describe('Engine.placeOrder', () => {
  test('behavior: a resting limit bid locks price × quantity of quote', () => {
    const { engine, a } = setup()
    const o = engine.placeOrder(a, limit('Bid', '60000.0', '0.5'))
    expect(o.status).toBe('New')
    expect(bal(engine, a, 'USDC')).toEqual({
      available: '70000',
      locked: '30000',
    })
    engine.cancel(o)
    expect(o.status).toBe('Cancelled')
    expect(bal(engine, a, 'USDC')).toEqual({ available: '100000', locked: '0' })
  })

  test('behavior: price-time priority, taker fills at maker prices', () => {
    const { engine, a, b, c } = setup()
    const first = engine.placeOrder(a, limit('Ask', '60010.0', '0.1'))
    const second = engine.placeOrder(b, limit('Ask', '60010.0', '0.1'))
    const better = engine.placeOrder(b, limit('Ask', '60005.0', '0.1'))
    const taker = engine.placeOrder(c, limit('Bid', '60020.0', '0.15'))
    expect(taker.status).toBe('Filled')
    expect(better.status).toBe('Filled')
    expect(first.status).toBe('PartiallyFilled')
    expect(formatDecimal(first.executedQty)).toBe('0.05')
    expect(second.executedQty).toBe(0n)
    // Paid 0.1 × 60005 + 0.05 × 60010; the lock at 60020 was released.
    expect(bal(engine, c, 'USDC')).toEqual({ available: '90999', locked: '0' })
    expect(bal(engine, c, 'BTC').available).toBe('1.15')
  })

  test('behavior: maker and taker fees are taken from what each side receives', () => {
    const { engine, a, b } = setup({ maker: '8', taker: '10' })
    engine.placeOrder(a, limit('Ask', '50000.0', '0.1'))
    engine.placeOrder(b, limit('Bid', '50000.0', '0.1'))
    // Seller (maker) receives 5000 USDC minus 8 bps; buyer (taker) 0.1 BTC minus 10 bps.
    expect(bal(engine, a, 'USDC').available).toBe('104996')
    expect(bal(engine, b, 'BTC').available).toBe('1.0999')
    expect(a.fills[0]).toMatchObject({ feeSymbol: 'USDC', isMaker: true })
    expect(formatDecimal(a.fills[0]!.fee)).toBe('4')
    expect(b.fills[0]).toMatchObject({ feeSymbol: 'BTC', isMaker: false })
    expect(formatDecimal(engine.feesCollected.get('BTC')!)).toBe('0.0001')
  })

  test('args: timeInForce IOC fills what it can and expires the rest', () => {
    const { engine, a, b } = setup()
    engine.placeOrder(a, limit('Ask', '60000.0', '0.1'))
    const o = engine.placeOrder(
      b,
      limit('Bid', '60000.0', '0.3', { timeInForce: 'IOC' }),
    )
    expect(o.status).toBe('Expired')
    expect(o.expiryReason).toBe('ImmediateOrCancel')
    expect(formatDecimal(o.executedQty)).toBe('0.1')
    expect(bal(engine, b, 'USDC')).toEqual({ available: '94000', locked: '0' })
  })

  test('args: timeInForce FOK fills completely or not at all', () => {
    const { engine, a, b, events } = setup()
    engine.placeOrder(a, limit('Ask', '60000.0', '0.1'))
    const kill = engine.placeOrder(
      b,
      limit('Bid', '60000.0', '0.2', { timeInForce: 'FOK' }),
    )
    expect(kill.status).toBe('Expired')
    expect(kill.expiryReason).toBe('FillOrKill')
    expect(kill.executedQty).toBe(0n)
    expect(bal(engine, b, 'USDC')).toEqual({ available: '100000', locked: '0' })
    const fill = engine.placeOrder(
      b,
      limit('Bid', '60000.0', '0.1', { timeInForce: 'FOK' }),
    )
    expect(fill.status).toBe('Filled')
    expect(events.filter((e) => e.startsWith('bob'))).toEqual([
      'bob:orderAccepted:New',
      'bob:orderExpired:Expired',
      'bob:orderAccepted:New',
      'bob:orderFill:Filled:0.1@60000',
    ])
  })

  test('args: postOnly is rejected when it would take', () => {
    const { engine, a, b } = setup()
    engine.placeOrder(a, limit('Ask', '60000.0', '0.1'))
    expect(
      rejects(() =>
        engine.placeOrder(
          b,
          limit('Bid', '60000.0', '0.1', { postOnly: true }),
        ),
      ),
    ).toEqual({
      code: 'INVALID_ORDER',
      message: 'Order would immediately match and take',
    })
    const maker = engine.placeOrder(
      b,
      limit('Bid', '59999.9', '0.1', { postOnly: true }),
    )
    expect(maker.status).toBe('New')
  })

  test('args: clientId must be unique among open orders', () => {
    const { engine, a } = setup()
    engine.placeOrder(a, limit('Bid', '60000.0', '0.1', { clientId: 7 }))
    expect(
      rejects(() =>
        engine.placeOrder(a, limit('Bid', '60000.0', '0.1', { clientId: 7 })),
      ),
    ).toEqual({
      code: 'INVALID_ORDER',
      message: 'Order with client ID already exists: 7',
    })
    expect(
      rejects(() =>
        engine.placeOrder(
          a,
          limit('Bid', '60000.0', '0.1', { clientId: 2 ** 32 }),
        ),
      ).code,
    ).toBe('INVALID_CLIENT_REQUEST')
    expect(engine.findOpen(a, 'BTC_USDC', undefined, 7)?.clientId).toBe(7)
  })

  test('args: selfTradePrevention', () => {
    const { engine, a } = setup()
    const resting = engine.placeOrder(a, limit('Ask', '60000.0', '0.1'))
    const t1 = engine.placeOrder(a, limit('Bid', '60000.0', '0.1'))
    expect(t1.status).toBe('Expired')
    expect(t1.expiryReason).toBe('SelfTradePrevention')
    expect(resting.status).toBe('New')
    const t2 = engine.placeOrder(
      a,
      limit('Bid', '60000.0', '0.1', { selfTradePrevention: 'RejectMaker' }),
    )
    expect(resting.status).toBe('Expired')
    expect(t2.status).toBe('New')
    const r2 = engine.placeOrder(a, limit('Ask', '60001.0', '0.1'))
    engine.cancel(t2)
    engine.placeOrder(
      a,
      limit('Bid', '60001.0', '0.1', { selfTradePrevention: 'RejectBoth' }),
    )
    expect(r2.status).toBe('Expired')
    expect(bal(engine, a, 'USDC')).toEqual({ available: '100000', locked: '0' })
    expect(bal(engine, a, 'BTC')).toEqual({ available: '1', locked: '0' })
  })

  test('args: market Bid by base quantity and by quoteQuantity', () => {
    const { engine, a, b } = setup()
    engine.placeOrder(a, limit('Ask', '100.00', '10', { symbol: 'SOL_USDC' }))
    engine.placeOrder(a, limit('Ask', '101.00', '10', { symbol: 'SOL_USDC' }))
    const byBase = engine.placeOrder(b, {
      symbol: 'SOL_USDC',
      side: 'Bid',
      orderType: 'Market',
      quantity: '12',
    })
    expect(byBase.status).toBe('Filled')
    expect(formatDecimal(byBase.executedQuote)).toBe('1202')
    const byQuote = engine.placeOrder(b, {
      symbol: 'SOL_USDC',
      side: 'Bid',
      orderType: 'Market',
      quoteQuantity: '505.5',
    })
    expect(byQuote.status).toBe('Filled')
    expect(formatDecimal(byQuote.executedQty)).toBe('5')
    expect(formatDecimal(byQuote.executedQuote)).toBe('505')
    expect(bal(engine, b, 'SOL').available).toBe('1017')
  })

  test('args: market Ask by quoteQuantity; no liquidity expires', () => {
    const { engine, a, b } = setup()
    const none = engine.placeOrder(b, {
      symbol: 'SOL_USDC',
      side: 'Ask',
      orderType: 'Market',
      quantity: '1',
    })
    expect(none.status).toBe('Expired')
    expect(none.expiryReason).toBe('InsufficientLiquidity')
    engine.placeOrder(a, limit('Bid', '100.00', '10', { symbol: 'SOL_USDC' }))
    const o = engine.placeOrder(b, {
      symbol: 'SOL_USDC',
      side: 'Ask',
      orderType: 'Market',
      quoteQuantity: '250',
    })
    expect(o.status).toBe('Filled')
    expect(formatDecimal(o.executedQty)).toBe('2.5')
  })

  test('error: filters, funds and malformed fields', () => {
    const { engine, a } = setup()
    engine.book('BTC_USDC').referencePrice = dec('60000')
    const cases: [OrderRequest, string, string][] = [
      [
        limit('Bid', '60000.05', '0.1'),
        'INVALID_PRICE',
        'Price decimal too long: must be a multiple of the tick size 0.1',
      ],
      [
        limit('Bid', '60000.0', '0.000001'),
        'INVALID_QUANTITY',
        'Quantity decimal too long: must be a multiple of the step size 0.00001',
      ],
      [
        limit('Bid', '60000.0', '0'),
        'INVALID_QUANTITY',
        '`quantity` must be positive',
      ],
      [
        limit('Bid', '30000.0', '0.1'),
        'INVALID_PRICE',
        'Price out of bounds: must lie between 45000 and 75000',
      ],
      [
        limit('Bid', '60000.0', '2'),
        'INSUFFICIENT_FUNDS',
        'Insufficient funds',
      ],
      [
        limit('Ask', '60000.0', '1.5'),
        'INSUFFICIENT_FUNDS',
        'Insufficient funds',
      ],
      [
        limit('Bid', '1e4', '0.1'),
        'INVALID_PRICE',
        '`price` is not a valid decimal: not a plain decimal string',
      ],
      [
        { ...limit('Bid', '60000.0', '0.1'), symbol: 'DOGE_USDC' },
        'INVALID_MARKET',
        'Invalid market: DOGE_USDC',
      ],
      [
        { ...limit('Bid', '60000.0', '0.1'), side: 'Buy' },
        'INVALID_CLIENT_REQUEST',
        '`side` must be `Bid` or `Ask`',
      ],
      [
        { symbol: 'BTC_USDC', side: 'Bid', orderType: 'Market' },
        'INVALID_CLIENT_REQUEST',
        'Market orders must specify a `quantity` or `quoteQuantity`',
      ],
      [
        { ...limit('Bid', '60000.0', '0.1'), timeInForce: 'GTD' },
        'INVALID_CLIENT_REQUEST',
        '`timeInForce` must be `GTC`, `IOC` or `FOK`',
      ],
    ]
    cases.push(
      [
        {
          symbol: 'BTC_USDC',
          side: 'Bid',
          orderType: 'Market',
          quantity: '0.1',
          quoteQuantity: '10',
        },
        'INVALID_CLIENT_REQUEST',
        'Market orders must specify a `quantity` or `quoteQuantity`',
      ],
      [
        {
          symbol: 'BTC_USDC',
          side: 'Bid',
          orderType: 'Market',
          quantity: '0.1',
          postOnly: true,
        },
        'INVALID_ORDER',
        'Market orders cannot be post only',
      ],
      [
        {
          symbol: 'BTC_USDC',
          side: 'Bid',
          orderType: 'Market',
          quantity: '0.1',
          price: '60000.0',
        },
        'INVALID_CLIENT_REQUEST',
        '`price` is not allowed on market orders',
      ],
      [
        {
          symbol: 'BTC_USDC',
          side: 'Bid',
          orderType: 'Limit',
          quantity: '0.1',
        },
        'INVALID_CLIENT_REQUEST',
        'Limit orders must specify a `price`',
      ],
      [
        limit('Bid', '60000.0', '0.1', { postOnly: true, timeInForce: 'IOC' }),
        'INVALID_ORDER',
        'Post only orders must be GTC',
      ],
      [
        limit('Bid', '60000.0', '0.1', { clientId: '7' }),
        'INVALID_CLIENT_REQUEST',
        '`clientId` must be an integer from 0 to 4294967295',
      ],
    )
    for (const [req, code, message] of cases) {
      expect(rejects(() => engine.placeOrder(a, req))).toEqual({
        code,
        message,
      })
    }
    expect(a.history).toHaveLength(0)
  })

  test('behavior: splitFills divides a match into partial fills', () => {
    const { engine, a, b, events } = setup()
    engine.splitFills = 3
    const maker = engine.placeOrder(a, limit('Ask', '60000.0', '0.3'))
    engine.placeOrder(b, limit('Bid', '60000.0', '0.3'))
    expect(maker.status).toBe('Filled')
    expect(a.fills.map((f) => formatDecimal(f.quantity))).toEqual([
      '0.1',
      '0.1',
      '0.1',
    ])
    expect(events.filter((e) => e.startsWith('alice:orderFill'))).toEqual([
      'alice:orderFill:PartiallyFilled:0.1@60000',
      'alice:orderFill:PartiallyFilled:0.1@60000',
      'alice:orderFill:Filled:0.1@60000',
    ])
  })
})

describe('Engine.levels', () => {
  test('behavior: a level emptied by the last fill of a taker leaves the book', () => {
    const { engine, a, b } = setup()
    engine.placeOrder(a, limit('Bid', '60000.0', '0.1'))
    engine.placeOrder(b, limit('Ask', '60000.0', '0.1'))
    expect(engine.levels('BTC_USDC', 10)).toEqual({ bids: [], asks: [] })
  })
})

describe('Engine filters', () => {
  test('error: minimum quantity and minimum price of a market', () => {
    const engine = new Engine({
      markets: [
        toMarket({
          symbol: 'DOGE_USDC',
          baseSymbol: 'DOGE',
          quoteSymbol: 'USDC',
          tickSize: '0.00001',
          stepSize: '1',
          minQuantity: '10',
          minPrice: '0.001',
          initialPrice: '0.15',
        }),
      ],
      now: () => 0,
      makerFeeBps: '0',
      takerFeeBps: '0',
      initialBalances: { USDC: '1000' },
    })
    const a = engine.account('a')
    const req = (price: string, quantity: string): OrderRequest => ({
      symbol: 'DOGE_USDC',
      side: 'Bid',
      orderType: 'Limit',
      price,
      quantity,
    })
    expect(rejects(() => engine.placeOrder(a, req('0.15', '9')))).toEqual({
      code: 'INVALID_QUANTITY',
      message: 'Quantity is below the minimum 10',
    })
    expect(rejects(() => engine.placeOrder(a, req('0.0005', '10')))).toEqual({
      code: 'INVALID_PRICE',
      message: 'Price is below the minimum 0.001',
    })
    expect(engine.placeOrder(a, req('0.15', '10')).status).toBe('New')
  })
})

describe('Engine.cancelAll', () => {
  test('default', () => {
    const { engine, a } = setup()
    engine.placeOrder(a, limit('Bid', '59000.0', '0.1'))
    engine.placeOrder(a, limit('Ask', '61000.0', '0.1'))
    engine.placeOrder(a, limit('Bid', '100.00', '1', { symbol: 'SOL_USDC' }))
    const out = engine.cancelAll(a, 'BTC_USDC')
    expect(out.map((o) => o.status)).toEqual(['Cancelled', 'Cancelled'])
    expect(a.open.size).toBe(1)
    expect(bal(engine, a, 'BTC')).toEqual({ available: '1', locked: '0' })
    expect(bal(engine, a, 'USDC')).toEqual({
      available: '99900',
      locked: '100',
    })
  })
})
