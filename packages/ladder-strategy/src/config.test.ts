import { describe, expect, test } from 'vitest'
import {
  DEFAULT_LADDER_CONFIG,
  MAX_ORDER_COUNT,
  suggestKey,
  validateConfig,
} from './config.js'
import { LadderConfigError } from './errors.js'

/** The classic bot's backpack_trading_config.json, as users have it. */
const CLASSIC = {
  api: { privateKey: 'secret-do-not-log', publicKey: 'pub' },
  trading: {
    tradingCoin: 'SOL',
    maxDropPercentage: 7,
    totalAmount: 2000,
    orderCount: 8,
    incrementPercentage: 50,
    takeProfitPercentage: 0.25,
  },
  actions: {
    sellNonUsdcAssets: true,
    cancelAllOrders: true,
    restartAfterTakeProfit: true,
    autoRestartNoFill: true,
    cancelOrdersOnExit: false,
  },
  advanced: {
    minOrderAmount: 10,
    priceTickSize: 0.01,
    checkOrdersIntervalMinutes: 10,
    monitorIntervalSeconds: 15,
    sellNonUsdcMinValue: 10,
    noFillRestartMinutes: 1,
  },
  websocket: {
    url: 'wss://ws.backpack.exchange',
    options: {
      reconnect: true,
      reconnectInterval: 5000,
      maxReconnectAttempts: 10,
    },
  },
  quantityPrecisions: { SOL: 2 },
  pricePrecisions: { SOL: 2 },
  minQuantities: { SOL: 0.01 },
}

describe('validateConfig', () => {
  test('default: an empty object gives the classic defaults', () => {
    expect(validateConfig({})).toEqual({
      config: DEFAULT_LADDER_CONFIG,
      warnings: [],
    })
  })

  test('behavior: reads the classic config file as is', () => {
    const { config, warnings } = validateConfig(CLASSIC)
    expect(config).toEqual({ ...DEFAULT_LADDER_CONFIG, symbol: 'SOL_USDC' })
    expect(warnings).toMatchInlineSnapshot(`
      [
        {
          "message": "ignored: the tick size comes from the exchange market rules",
          "path": "advanced.priceTickSize",
        },
        {
          "message": "ignored: quantity and price precision come from the exchange market rules",
          "path": "quantityPrecisions",
        },
        {
          "message": "ignored: quantity and price precision come from the exchange market rules",
          "path": "pricePrecisions",
        },
        {
          "message": "ignored: quantity and price precision come from the exchange market rules",
          "path": "minQuantities",
        },
      ]
    `)
  })

  test('args: baseCurrency and new options in a strategy section', () => {
    const { config } = validateConfig({
      ...CLASSIC,
      advanced: { ...CLASSIC.advanced, baseCurrency: 'usdt' },
      strategy: {
        stepScale: 1.5,
        firstRungOffsetPercentage: '0.5',
        feeAwareTakeProfit: true,
        takeProfitOrder: 'limit',
        stopLossPercentage: 20,
        coolDownMinutes: 5,
        maxCycles: 3,
        orderCount: 4,
      },
    })
    expect(config).toMatchObject({
      symbol: 'SOL_USDT',
      stepScale: '1.5',
      firstRungOffsetPercentage: '0.5',
      feeAwareTakeProfit: true,
      takeProfitOrder: 'limit',
      stopLossPercentage: '20',
      coolDownMinutes: 5,
      maxCycles: 3,
      orderCount: 4,
    })
  })

  test('behavior: a normalized config validates to itself', () => {
    const config = {
      ...DEFAULT_LADDER_CONFIG,
      symbol: 'ETH_USDC',
      trailingTakeProfitPercentage: '0.1',
    }
    expect(validateConfig(config).config).toEqual(config)
  })

  test('behavior: numbers become exact decimal strings', () => {
    const { config } = validateConfig({
      trading: { totalAmount: 0.1, takeProfitPercentage: 0.30000000000000004 },
    })
    expect(config.totalAmount).toBe('0.1')
    expect(config.takeProfitPercentage).toBe('0.30000000000000004')
  })

  test('error: lists every bad field with path, value and fix', () => {
    let error: unknown
    try {
      validateConfig({
        api: { privateKey: 'secret-do-not-log' },
        trading: {
          tradingCoin: 'BTC-',
          maxDropPercentage: 100,
          totalAmount: -5,
          orderCount: 0,
          incrementPercentage: 1e21,
          takeProfitPercentage: '0.25%',
        },
        actions: { restartAfterTakeProfit: 'yes' },
        advanced: { noFillRestartMinutes: 0 },
        strategy: { maxCycles: 1.5, takeProfitOrder: 'post-only' },
      })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(LadderConfigError)
    expect((error as Error).message).not.toContain('secret')
    expect((error as Error).message).toMatchInlineSnapshot(`
      "The ladder config has 10 invalid fields.
      - trading.maxDropPercentage: must be a percentage >= 0 and < 100, got 100
      - trading.totalAmount: must not be negative, got -5
      - trading.orderCount: must be an integer >= 1 and <= 500, got 0
      - trading.incrementPercentage: must be written without an exponent: give it as a decimal string, e.g. "0.0000001", got 1e+21
      - trading.takeProfitPercentage: must be a non-negative decimal number or string, e.g. 7 or "7.5", got "0.25%"
      - actions.restartAfterTakeProfit: must be true or false, got "yes"
      - advanced.noFillRestartMinutes: must be a number of minutes > 0, got 0
      - strategy.takeProfitOrder: must be 'market' or 'limit', got "post-only"
      - strategy.maxCycles: must be an integer >= 1 or false, got 1.5
      - trading.tradingCoin: must be a coin symbol such as "BTC", got "BTC-""
    `)
    expect((error as LadderConfigError).issues[0]).toMatchInlineSnapshot(`
      {
        "message": "must be a percentage >= 0 and < 100",
        "path": "trading.maxDropPercentage",
        "value": 100,
      }
    `)
  })

  test('error: orderCount bounds and cross-field rules', () => {
    expect(() =>
      validateConfig({ trading: { orderCount: MAX_ORDER_COUNT + 1 } }),
    ).toThrow(
      `trading.orderCount: must be an integer >= 1 and <= ${MAX_ORDER_COUNT}, got ${MAX_ORDER_COUNT + 1}`,
    )
    expect(() => validateConfig({ trading: { orderCount: 0 } })).toThrow(
      'trading.orderCount: must be an integer >= 1 and <= 500, got 0',
    )
    expect(() =>
      validateConfig({ strategy: { firstRungOffsetPercentage: 7 } }),
    ).toThrowErrorMatchingInlineSnapshot(`
      [LadderConfigError: The ladder config has 1 invalid field.
      - strategy.firstRungOffsetPercentage: must be smaller than maxDropPercentage (7) when orderCount > 1, got 7]
    `)
    expect(() => validateConfig({ trading: { maxDropPercentage: 0 } })).toThrow(
      /maxDropPercentage: must be > 0 when orderCount > 1/,
    )
    expect(
      validateConfig({ trading: { maxDropPercentage: 0, orderCount: 1 } })
        .config.maxDropPercentage,
    ).toBe('0')
  })

  test('args: minPrice and maxPrice (the price band), absent by default', () => {
    expect(validateConfig({}).config).not.toHaveProperty('minPrice')
    const { config, warnings } = validateConfig({
      strategy: { minPrice: 40000, maxPrice: '70000.50' },
    })
    expect(warnings).toEqual([])
    expect(config.minPrice).toBe('40000')
    expect(config.maxPrice).toBe('70000.5')
    expect(
      validateConfig({ strategy: { maxPrice: false } }).config.maxPrice,
    ).toBe(false)
  })

  test('error: a price band that is empty or not a price names the field and the fix', () => {
    expect(() =>
      validateConfig({ strategy: { minPrice: '70000', maxPrice: '40000' } }),
    ).toThrow(
      'strategy.maxPrice: must be above minPrice (70000): raise maxPrice or lower minPrice, got "40000"',
    )
    expect(() => validateConfig({ strategy: { minPrice: 0 } })).toThrow(
      'strategy.minPrice: must be a price > 0, or false for no lower end, got 0',
    )
  })

  test('error: not an object', () => {
    expect(() => validateConfig(null)).toThrowErrorMatchingInlineSnapshot(`
      [LadderConfigError: The ladder config is not valid.
      - (root): must be a JSON object (the contents of the config file), got null]
    `)
    expect(() => validateConfig([])).toThrow(LadderConfigError)
  })

  test('behavior: unknown keys warn, the bot sections pass silently', () => {
    const { warnings } = validateConfig({
      api: {},
      websocket: {},
      bot: {},
      paper: {},
      notify: {},
      colour: 'blue',
      trading: { tradingCoin: 'BTC', notes: 'x' },
    })
    expect(warnings).toEqual([
      { path: 'colour', message: 'unknown key, ignored' },
      { path: 'trading.notes', message: 'unknown key, ignored' },
    ])
  })

  test('behavior: an unknown key close to a known one carries the suggestion', () => {
    const { warnings } = validateConfig({
      Trading: {},
      trading: { tradingCoin: 'BTC', orderCont: 3 },
      actions: { cancelAllOrder: true },
      advanced: { pricetickSize: 0.01 },
      strategy: { takeProfitPercentag: 1, stoplossPercentage: 2 },
      maxcycle: 3,
      bots: {},
    })
    expect(warnings).toEqual([
      {
        path: 'Trading',
        message: 'unknown key, ignored; did you mean trading?',
        suggestion: 'trading',
      },
      {
        path: 'trading.orderCont',
        message: 'unknown key, ignored; did you mean orderCount?',
        suggestion: 'orderCount',
      },
      {
        path: 'actions.cancelAllOrder',
        message: 'unknown key, ignored; did you mean cancelAllOrders?',
        suggestion: 'cancelAllOrders',
      },
      {
        path: 'advanced.pricetickSize',
        message: 'unknown key, ignored; did you mean priceTickSize?',
        suggestion: 'priceTickSize',
      },
      {
        path: 'strategy.takeProfitPercentag',
        message: 'unknown key, ignored; did you mean takeProfitPercentage?',
        suggestion: 'takeProfitPercentage',
      },
      {
        path: 'strategy.stoplossPercentage',
        message: 'unknown key, ignored; did you mean stopLossPercentage?',
        suggestion: 'stopLossPercentage',
      },
      {
        path: 'maxcycle',
        message: 'unknown key, ignored; did you mean maxCycles?',
        suggestion: 'maxCycles',
      },
      {
        path: 'bots',
        message: 'unknown key, ignored; did you mean bot?',
        suggestion: 'bot',
      },
    ])
  })
})

describe('suggestKey', () => {
  const known = ['takeProfitPercentage', 'orderCount', 'onStop', 'seed', 'url']

  test('default: nothing close gives undefined', () => {
    expect(suggestKey('colour', known)).toBeUndefined()
    expect(suggestKey('takeProfit', known)).toBeUndefined()
  })

  test('behavior: case is ignored, and up to two edits count (a swap of two neighbours is one)', () => {
    expect(suggestKey('onstop', known)).toBe('onStop')
    expect(suggestKey('ORDERCOUNT', known)).toBe('orderCount')
    expect(suggestKey('takeProfitPercentag', known)).toBe(
      'takeProfitPercentage',
    )
    expect(suggestKey('takeProiftPercentage', known)).toBe(
      'takeProfitPercentage',
    )
    expect(suggestKey('ordreCuont', known)).toBe('orderCount')
    expect(suggestKey('ordCont', known)).toBeUndefined()
  })

  test('behavior: keys of four characters or fewer allow one edit only', () => {
    expect(suggestKey('sed', known)).toBe('seed')
    expect(suggestKey('uri', known)).toBe('url')
    expect(suggestKey('sd', known)).toBeUndefined()
    expect(suggestKey('feed', known)).toBe('seed')
    expect(suggestKey('fee', known)).toBeUndefined()
  })

  test('behavior: the closest key wins, the first listed on a tie', () => {
    expect(suggestKey('seeds', ['seed', 'speeds'])).toBe('seed')
    expect(suggestKey('ab', ['ac', 'ad'])).toBe('ac')
  })
})
