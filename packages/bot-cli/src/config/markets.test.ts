import { describe, expect, test } from 'vitest'
import { ConfigError } from '../errors.js'
import { checkMarketsListed, validateMarkets } from './markets.js'
import { validateStrategy } from './strategy.js'

const classic = {
  trading: {
    tradingCoin: 'BTC',
    maxDropPercentage: 7,
    totalAmount: 2000,
    orderCount: 8,
    incrementPercentage: 50,
    takeProfitPercentage: 0.25,
  },
  actions: { restartAfterTakeProfit: true, autoRestartNoFill: true },
  advanced: { minOrderAmount: 10, noFillRestartMinutes: 1 },
}

const three = {
  maxTotalAmount: '3000',
  trading: { orderCount: 6, takeProfitPercentage: 0.5 },
  strategy: { postOnly: true },
  markets: [
    { tradingCoin: 'BTC', totalAmount: '1500' },
    { symbol: 'eth_usdc', totalAmount: '1000.5', orderCount: 4 },
    {
      tradingCoin: 'SOL',
      totalAmount: '499.5',
      strategy: { postOnly: false, takeProfitPercentage: '1' },
    },
  ],
}

const errorOf = (fn: () => unknown): ConfigError => {
  try {
    fn()
  } catch (error) {
    if (error instanceof ConfigError) return error
    throw error
  }
  throw new Error('expected a ConfigError')
}

describe('validateMarkets', () => {
  test('default: the classic layout is a one-entry list, the same config validateStrategy gave before', () => {
    const result = validateMarkets(classic)
    expect(result.layout).toBe('classic')
    expect(result.markets).toHaveLength(1)
    expect(result.markets[0]?.symbol).toBe('BTC_USDC')
    expect(result.markets[0]?.field).toBe('trading')
    expect(result.markets[0]?.raw).toEqual(classic)
    expect(result.totalAmount).toBe('2000')
    expect(result.maxTotalAmount).toBeUndefined()
    expect(result.warnings).toEqual([])
    expect(validateStrategy(classic).config).toEqual(result.markets[0]?.config)
  })

  test('behavior: each entry merges the top-level sections, its trading keys and its own strategy (later wins)', () => {
    const { layout, markets, totalAmount, maxTotalAmount, warnings } =
      validateMarkets(three)
    expect(layout).toBe('markets')
    expect(warnings).toEqual([])
    expect(maxTotalAmount).toBe('3000')
    expect(totalAmount).toBe('3000')
    expect(
      markets.map((m) => [
        m.field,
        m.symbol,
        m.config.totalAmount,
        m.config.orderCount,
        m.config.takeProfitPercentage,
        m.config.postOnly,
      ]),
    ).toEqual([
      ['markets[0]', 'BTC_USDC', '1500', 6, '0.5', true],
      ['markets[1]', 'ETH_USDC', '1000.5', 4, '0.5', true],
      ['markets[2]', 'SOL_USDC', '499.5', 6, '1', false],
    ])
    // Each entry's raw reads as a classic one-market config.
    const solRaw = markets[2]?.raw ?? {}
    expect(solRaw.markets).toBeUndefined()
    expect(solRaw.maxTotalAmount).toBeUndefined()
    expect(validateStrategy(solRaw).config).toEqual(markets[2]?.config)
  })

  test('behavior: the cap is compared exactly (no float rounding): 0.1 + 0.2 fits a cap of 0.3', () => {
    const tiny = {
      maxTotalAmount: '0.3',
      strategy: { minOrderAmount: '0.01' },
      markets: [
        { tradingCoin: 'BTC', totalAmount: '0.1', orderCount: 1 },
        { tradingCoin: 'ETH', totalAmount: '0.2', orderCount: 1 },
      ],
    }
    expect(validateMarkets(tiny).totalAmount).toBe('0.3')
    const over = { ...tiny, maxTotalAmount: '0.29999999999999999' }
    expect(errorOf(() => validateMarkets(over)).field).toBe('maxTotalAmount')
  })

  test('error: budgets adding up to more than maxTotalAmount name every entry and the fix', () => {
    const error = errorOf(() =>
      validateMarkets({ ...three, maxTotalAmount: 2999.99 }),
    )
    expect(error.field).toBe('maxTotalAmount')
    expect(error.message).toMatchInlineSnapshot(`
      "Invalid config: the ladders' budgets add up to 3000, more than maxTotalAmount = 2999.99:
      - markets[0] (BTC_USDC): totalAmount 1500
      - markets[1] (ETH_USDC): totalAmount 1000.5
      - markets[2] (SOL_USDC): totalAmount 499.5
      Fix: lower the entries' totalAmount so they add up to at most 2999.99, or raise maxTotalAmount to 3000 if the account holds that much; nothing was sent to the exchange."
    `)
  })

  test('behavior: maxTotalAmount caps the classic layout too', () => {
    expect(
      errorOf(() => validateMarkets({ ...classic, maxTotalAmount: '1000' }))
        .message,
    ).toContain('- trading (BTC_USDC): totalAmount 2000')
    expect(
      validateMarkets({ ...classic, maxTotalAmount: '2000' }).maxTotalAmount,
    ).toBe('2000')
  })

  test('error: maxTotalAmount must be a positive decimal', () => {
    for (const bad of ['0', -5, '1e3', 'lots', '']) {
      const error = errorOf(() =>
        validateMarkets({ ...three, maxTotalAmount: bad }),
      )
      expect(error.field).toBe('maxTotalAmount')
      expect(error.message).toContain('is not a positive decimal')
    }
  })

  test('error: the same market twice names both entries', () => {
    const error = errorOf(() =>
      validateMarkets({
        markets: [
          { tradingCoin: 'SOL', totalAmount: '100' },
          { tradingCoin: 'BTC', totalAmount: '100' },
          { symbol: 'SOL_USDC', totalAmount: '100' },
        ],
      }),
    )
    expect(error.field).toBe('markets[2]')
    expect(error.message).toMatchInlineSnapshot(`
      "Invalid config: markets[0] and markets[2] both trade SOL_USDC.
      Fix: keep one entry per market (merge their totalAmount into one ladder)."
    `)
  })

  test('error: every bad entry is listed, with paths where the value was written', () => {
    const error = errorOf(() =>
      validateMarkets({
        markets: [
          { tradingCoin: 'BTC', totalAmount: 'much' },
          { tradingCoin: 'ETH', strategy: { orderCount: 0 } },
          'SOL',
          { totalAmount: '10' },
        ],
      }),
    )
    expect(error.field).toBe('markets')
    expect(error.message).toContain('- markets[0].totalAmount:')
    expect(error.message).toContain('- markets[1].strategy.orderCount:')
    expect(error.message).toContain('- markets[2]: is "SOL", not an object')
    expect(error.message).toContain(
      '- markets[3]: names no market (add "tradingCoin": "SOL" or "symbol": "SOL_USDC")',
    )
    expect(error.message).toContain('Fix: correct the fields above')
  })

  test('error: a misspelt entry key names the key meant; a far one is a warning', () => {
    const typo = errorOf(() =>
      validateMarkets({
        markets: [{ tradingCoin: 'BTC', totalAmout: '10' }],
      }),
    )
    expect(typo.field).toBe('markets[0].totalAmout')
    expect(typo.message).toContain('did you mean totalAmount?')
    const { warnings } = validateMarkets({
      markets: [{ tradingCoin: 'BTC', colour: 'red' }],
    })
    expect(warnings).toEqual([
      expect.stringContaining('markets[0].colour is ignored'),
    ])
  })

  test('error: an empty or non-list markets, and a market named above the list', () => {
    expect(errorOf(() => validateMarkets({ markets: [] })).field).toBe(
      'markets',
    )
    expect(errorOf(() => validateMarkets({ markets: {} })).message).toContain(
      'is not a non-empty list',
    )
    const shared = errorOf(() =>
      validateMarkets({
        trading: { tradingCoin: 'BTC' },
        markets: [{ tradingCoin: 'ETH' }],
      }),
    )
    expect(shared.field).toBe('trading.tradingCoin')
    expect(shared.message).toContain('name each ladder')
  })
})

describe('validateStrategy', () => {
  test('args: market picks one entry of a markets list; several without it is an error', () => {
    expect(validateStrategy(three, 'sol_usdc').config.totalAmount).toBe('499.5')
    const error = errorOf(() => validateStrategy(three))
    expect(error.message).toContain('BTC_USDC, ETH_USDC, SOL_USDC')
    expect(
      errorOf(() => validateStrategy(three, 'XRP_USDC')).message,
    ).toContain('not XRP_USDC')
  })
})

describe('checkMarketsListed', () => {
  test('error: names each unlisted entry, with a close listed symbol', () => {
    const { markets } = validateMarkets({
      markets: [
        { tradingCoin: 'BTC', totalAmount: '100' },
        { symbol: 'SOLL_USDC', totalAmount: '100' },
        { tradingCoin: 'DOGE', totalAmount: '100' },
      ],
    })
    const listed = ['BTC_USDC', 'ETH_USDC', 'SOL_USDC']
    const error = errorOf(() => checkMarketsListed(markets, listed))
    expect(error.field).toBe('markets[1]')
    expect(error.message).toMatchInlineSnapshot(`
      "Unknown markets: the exchange lists no SOLL_USDC (markets[1]; did you mean SOL_USDC?), DOGE_USDC (markets[2]).
      Fix: correct the symbol (\`rung markets\` lists them) or remove the entry; nothing was sent to the exchange."
    `)
    expect(() => checkMarketsListed(markets.slice(0, 1), listed)).not.toThrow()
  })
})
