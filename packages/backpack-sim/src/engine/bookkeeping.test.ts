import { describe, expect, test } from 'vitest'
import { formatDecimal } from '../decimal.js'
import { DEFAULT_MARKETS, toMarket } from '../markets.js'
import { ledgerEntries } from './accounts.js'
import { Engine } from './engine.js'
import { limit, rejects, setup } from './engineTestKit.js'
import type { Account } from './types.js'

describe('Engine increments', () => {
  /** An engine with one market of the given tick and step. */
  function market(tickSize: string, stepSize: string) {
    const engine = new Engine({
      markets: [
        toMarket({
          symbol: 'X_USDC',
          baseSymbol: 'X',
          quoteSymbol: 'USDC',
          tickSize,
          stepSize,
          minQuantity: stepSize,
          minPrice: tickSize,
          initialPrice: '100',
        }),
      ],
      now: () => 0,
      makerFeeBps: '0',
      takerFeeBps: '0',
      initialBalances: { USDC: '100000' },
    })
    const a = engine.account('a')
    const bid = (price: string, quantity: string) =>
      engine.placeOrder(a, {
        symbol: 'X_USDC',
        side: 'Bid',
        orderType: 'Limit',
        price,
        quantity,
      })
    return { bid }
  }

  test('behavior: a tick and step that are not powers of ten take their multiples only', () => {
    const { bid } = market('0.5', '0.25')
    expect(bid('100.5', '0.75').status).toBe('New')
    expect(bid('101', '1.25').status).toBe('New')
    expect(rejects(() => bid('100.3', '0.75'))).toEqual({
      code: 'INVALID_PRICE',
      message:
        'Price decimal too long: must be a multiple of the tick size 0.5',
    })
    expect(rejects(() => bid('100.5', '0.3'))).toEqual({
      code: 'INVALID_QUANTITY',
      message:
        'Quantity decimal too long: must be a multiple of the step size 0.25',
    })
  })

  test('behavior: a power-of-ten tick counts significant decimals, not written ones', () => {
    const { bid } = market('0.1', '0.001')
    expect(bid('100.10000', '0.0010').status).toBe('New')
    expect(bid('100', '2').status).toBe('New')
    expect(rejects(() => bid('100.15', '1'))).toEqual({
      code: 'INVALID_PRICE',
      message:
        'Price decimal too long: must be a multiple of the tick size 0.1',
    })
    expect(rejects(() => bid('100.1', '1.0001'))).toEqual({
      code: 'INVALID_QUANTITY',
      message:
        'Quantity decimal too long: must be a multiple of the step size 0.001',
    })
  })

  test('behavior: a tick of 10 is not a power-of-ten fraction and still divides', () => {
    const { bid } = market('10', '1')
    expect(bid('120', '1').status).toBe('New')
    expect(rejects(() => bid('125', '1'))).toEqual({
      code: 'INVALID_PRICE',
      message: 'Price decimal too long: must be a multiple of the tick size 10',
    })
  })
})

describe('Engine update ids', () => {
  test('behavior: without listeners each engine call that changes a book moves its update id once', () => {
    const engine = new Engine({
      markets: DEFAULT_MARKETS.map(toMarket),
      now: () => 0,
      makerFeeBps: '0',
      takerFeeBps: '0',
      initialBalances: { USDC: '100000', BTC: '1' },
    })
    const a = engine.account('a')
    const book = engine.book('BTC_USDC')
    const o = engine.placeOrder(a, limit('Bid', '60000.0', '0.1'))
    expect(book.updateId).toBe(1)
    engine.cancel(o)
    expect(book.updateId).toBe(2)
    engine.batch(() => {
      engine.placeOrder(a, limit('Bid', '60000.0', '0.1'))
      engine.placeOrder(a, limit('Ask', '61000.0', '0.1'))
      engine.placeOrder(a, limit('Bid', '100.00', '1', { symbol: 'SOL_USDC' }))
    })
    expect(book.updateId).toBe(3)
    expect(engine.book('SOL_USDC').updateId).toBe(1)
    // An order that changes no book moves nothing.
    engine.placeOrder(a, limit('Bid', '60000.0', '0.1', { timeInForce: 'IOC' }))
    expect(book.updateId).toBe(3)
  })

  test('behavior: a listener added inside a batch still moves a book once', () => {
    const engine = new Engine({
      markets: DEFAULT_MARKETS.map(toMarket),
      now: () => 0,
      makerFeeBps: '0',
      takerFeeBps: '0',
      initialBalances: { USDC: '100000', BTC: '1' },
    })
    const a = engine.account('a')
    const depths: number[] = []
    engine.batch(() => {
      engine.placeOrder(a, limit('Bid', '60000.0', '0.1'))
      engine.addListener({
        orderEvent: () => {},
        trade: () => {},
        depth: (_m, _b, _a, id) => depths.push(id),
      })
      engine.placeOrder(a, limit('Bid', '59000.0', '0.1'))
    })
    expect(engine.book('BTC_USDC').updateId).toBe(1)
    expect(depths).toEqual([1])
  })
})

describe('ledgerEntries', () => {
  test('behavior: a fill reads as what each side gave, got and paid in fees, and the lines add up to the balances', () => {
    const { engine, a, b } = setup({ maker: '8', taker: '10' })
    engine.placeOrder(a, limit('Bid', '60000.0', '0.1'))
    engine.placeOrder(b, limit('Ask', '59000.0', '0.1'))
    const lines = (acc: Account) =>
      ledgerEntries(acc)
        .filter((e) => e.kind !== 'initial')
        .map((e) => [e.asset, formatDecimal(e.change), e.kind, e.ref])
    expect(lines(a)).toEqual([
      ['USDC', '-6000', 'trade', '1'],
      ['BTC', '0.1', 'trade', '1'],
      ['BTC', '-0.00008', 'fee', '1'],
    ])
    expect(lines(b)).toEqual([
      ['BTC', '-0.1', 'trade', '1'],
      ['USDC', '6000', 'trade', '1'],
      ['USDC', '-6', 'fee', '1'],
    ])
    for (const acc of [a, b]) {
      for (const asset of ['USDC', 'BTC']) {
        const sum = ledgerEntries(acc)
          .filter((e) => e.asset === asset)
          .reduce((t, e) => t + e.change, 0n)
        const bal = engine.balance(acc, asset)
        expect(sum).toBe(bal.available + bal.locked)
      }
    }
  })

  test('behavior: a fill without a fee has no fee line', () => {
    const { engine, a, b } = setup()
    engine.placeOrder(a, limit('Bid', '60000.0', '0.1'))
    engine.placeOrder(b, limit('Ask', '60000.0', '0.1'))
    expect(ledgerEntries(b).map((e) => e.kind)).toEqual([
      'initial',
      'initial',
      'initial',
      'trade',
      'trade',
    ])
  })
})

describe('Engine.feesCollected', () => {
  test('behavior: fees of every market add up per asset, and an asset no fee was paid in is absent', () => {
    const { engine, a, b } = setup({ maker: '8', taker: '10' })
    expect(engine.feesCollected.size).toBe(0)
    engine.placeOrder(a, limit('Bid', '60000.0', '0.1'))
    engine.placeOrder(b, limit('Ask', '60000.0', '0.1'))
    const sol = { symbol: 'SOL_USDC' }
    engine.placeOrder(a, limit('Bid', '100.00', '1', sol))
    engine.placeOrder(b, limit('Ask', '100.00', '1', sol))
    const fees = Object.fromEntries(
      [...engine.feesCollected].map(([k, v]) => [k, formatDecimal(v)]),
    )
    expect(fees).toEqual({ USDC: '6.1', BTC: '0.00008', SOL: '0.0008' })
  })
})
