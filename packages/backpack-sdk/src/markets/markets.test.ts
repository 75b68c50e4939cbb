import { fc, test as propTest } from '@fast-check/vitest'
import { describe, expect, test } from 'vitest'
import { BASE_URL, MARKETS } from '../../test/msw/fixtures.js'
import { createBackpackClient } from '../client.js'
import {
  compareDecimals,
  divideDecimals,
  multiplyDecimals,
  normalizeDecimal,
  subtractDecimals,
} from '../decimal/decimal.js'
import { PrecisionError, ValidationError } from '../errors/inputErrors.js'
import { formatPrice, formatQuantity } from './format.js'
import { isKlineInterval, KLINE_INTERVAL_SECONDS } from './klineIntervals.js'
import {
  loadMarketRules,
  type MarketRules,
  marketRulesFromMarkets,
  parseMarketRules,
} from './marketRules.js'

const rules: MarketRules = parseMarketRules({
  SOL_USDC: {
    symbol: 'SOL_USDC',
    baseSymbol: 'SOL',
    quoteSymbol: 'USDC',
    tickSize: '0.01',
    stepSize: '0.01',
    minQuantity: '0.05',
    minPrice: '0.01',
    maxPrice: '100000',
    maxQuantity: '10000',
    minNotional: '5',
  },
  ODD_USDC: {
    symbol: 'ODD_USDC',
    baseSymbol: 'ODD',
    quoteSymbol: 'USDC',
    tickSize: '0.25',
    stepSize: '5',
    minQuantity: '0',
    minPrice: '0',
  },
})

describe('marketRulesFromMarkets', () => {
  test('default', () => {
    expect(marketRulesFromMarkets(MARKETS)).toMatchInlineSnapshot(`
      {
        "BTC_USDC_PERP": {
          "baseSymbol": "BTC",
          "maxQuantity": "1000",
          "minPrice": "0.1",
          "minQuantity": "0.0001",
          "quoteSymbol": "USDC",
          "stepSize": "0.0001",
          "symbol": "BTC_USDC_PERP",
          "tickSize": "0.1",
        },
        "SOL_USDC": {
          "baseSymbol": "SOL",
          "maxPrice": "100000",
          "minPrice": "0.01",
          "minQuantity": "0.01",
          "quoteSymbol": "USDC",
          "stepSize": "0.01",
          "symbol": "SOL_USDC",
          "tickSize": "0.01",
        },
      }
    `)
  })

  test('behavior: JSON round trip through parseMarketRules', () => {
    const built = marketRulesFromMarkets(MARKETS)
    expect(parseMarketRules(JSON.parse(JSON.stringify(built)))).toEqual(built)
  })

  test('error: malformed market filters', () => {
    const broken = structuredClone(MARKETS)
    broken[0]!.filters.price.tickSize = '0'
    expect(() =>
      marketRulesFromMarkets(broken),
    ).toThrowErrorMatchingInlineSnapshot(
      `[ValidationError: \`markets[0].tickSize\` must be a positive decimal string; got "0".]`,
    )
    expect(() => marketRulesFromMarkets('x' as never)).toThrow(ValidationError)
    expect(() => marketRulesFromMarkets([null as never])).toThrow(
      ValidationError,
    )
  })
})

describe('loadMarketRules', () => {
  test('default', async () => {
    const loaded = await loadMarketRules(
      createBackpackClient({ baseUrl: BASE_URL }),
    )
    expect(Object.keys(loaded)).toEqual(['SOL_USDC', 'BTC_USDC_PERP'])
  })
})

describe('parseMarketRules', () => {
  test('error: bad snapshots name the symbol and field', () => {
    expect(() =>
      parseMarketRules({ X: { ...rules.SOL_USDC, symbol: 'Y' } }),
    ).toThrow(/must equal its key/)
    expect(() =>
      parseMarketRules({ SOL_USDC: { ...rules.SOL_USDC, stepSize: 0.01 } }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[ValidationError: \`SOL_USDC.stepSize\` must be a positive decimal string; got number 0.01.]`,
    )
    for (const bad of [null, [], 'x', { A: null }]) {
      expect(() => parseMarketRules(bad)).toThrow(ValidationError)
    }
  })
})

describe('formatPrice', () => {
  test.each([
    ['141.537', 'down', '141.53'],
    ['141.531', 'up', '141.54'],
    ['141.535', 'nearest', '141.54'],
    ['141.5', 'down', '141.5'],
    ['141.50', 'up', '141.5'],
    ['0.019', 'down', '0.01'],
    ['99999.999', 'down', '99999.99'],
    ['0.0000000000000000000000001', 'up', '0.01'],
  ] as const)('args: %s %s → %s', (price, rounding, out) => {
    expect(formatPrice(rules, 'SOL_USDC', price, rounding)).toBe(out)
  })

  test.each([
    ['0.3', 'nearest', '0.25'],
    ['0.375', 'nearest', '0.5'],
    ['0.26', 'down', '0.25'],
    ['0.26', 'up', '0.5'],
  ] as const)('args: tick 0.25: %s %s → %s', (price, rounding, out) => {
    expect(formatPrice(rules, 'ODD_USDC', price, rounding)).toBe(out)
  })

  test('error: rounding to zero, min and max price', () => {
    expect(() =>
      formatPrice(rules, 'SOL_USDC', '0.004', 'down'),
    ).toThrowErrorMatchingInlineSnapshot(
      `[PrecisionError: Price 0.004 rounds down to 0 at tick size 0.01 for SOL_USDC; use a larger price or round 'up'.]`,
    )
    let error: PrecisionError | undefined
    try {
      formatPrice(rules, 'SOL_USDC', '100000.01', 'down')
    } catch (e) {
      error = e as PrecisionError
    }
    expect(error).toBeInstanceOf(PrecisionError)
    expect(error?.rule).toBe('maxPrice')
    expect(error?.field).toBe('price')
    expect(error?.symbol).toBe('SOL_USDC')
  })

  test('error: bad inputs are ValidationErrors', () => {
    const bad: [unknown, unknown, unknown, unknown][] = [
      [rules, 'NOPE', '1', 'down'],
      [rules, 42, '1', 'down'],
      [null, 'SOL_USDC', '1', 'down'],
      [rules, 'SOL_USDC', 1, 'down'],
      [rules, 'SOL_USDC', '1e2', 'down'],
      [rules, 'SOL_USDC', '', 'down'],
      [rules, 'SOL_USDC', '-1', 'down'],
      [rules, 'SOL_USDC', '0', 'down'],
      [rules, 'SOL_USDC', '1', undefined],
      [rules, 'SOL_USDC', '1', 'floor'],
      [rules, 'toString', '1', 'down'],
    ]
    for (const args of bad) {
      expect(() =>
        formatPrice(...(args as Parameters<typeof formatPrice>)),
      ).toThrow(ValidationError)
    }
  })

  const priceArb = fc
    .tuple(
      fc.integer({ min: 1, max: 10_000_000 }),
      fc.integer({ min: 0, max: 9 }),
    )
    .map(([n, scale]) =>
      normalizeDecimal(
        `${String(n).slice(0, -scale || undefined) || '0'}${scale ? `.${String(n).padStart(scale, '0').slice(-scale)}` : ''}`,
      ),
    )
    .filter(
      (p) =>
        compareDecimals(p, '0.01') >= 0 && compareDecimals(p, '100000') <= 0,
    )

  propTest.prop([priceArb, fc.constantFrom('down', 'up', 'nearest' as const)])(
    'behavior: a multiple of the tick, no more decimals than the tick, moved < 1 tick in the stated direction',
    (price, rounding) => {
      let out: string
      try {
        out = formatPrice(rules, 'SOL_USDC', price, rounding)
      } catch (error) {
        // Only the max-price edge may refuse after rounding up.
        expect(error).toBeInstanceOf(PrecisionError)
        return
      }
      expect(out).toMatch(/^\d+(\.\d{1,2})?$/)
      const ticks = divideDecimals(out, '0.01', {
        decimals: 0,
        rounding: 'down',
      })
      expect(multiplyDecimals(ticks, '0.01')).toBe(out)
      const moved = subtractDecimals(out, price)
      if (rounding === 'down')
        expect(compareDecimals(moved, '0')).toBeLessThanOrEqual(0)
      if (rounding === 'up')
        expect(compareDecimals(moved, '0')).toBeGreaterThanOrEqual(0)
      const abs = moved.replace('-', '')
      expect(compareDecimals(abs, '0.01')).toBe(-1)
      // Formatting is idempotent: format(format(x)) = format(x).
      expect(formatPrice(rules, 'SOL_USDC', out, rounding)).toBe(out)
    },
  )
})

describe('formatQuantity', () => {
  test.each([
    ['1.239', 'down', '1.23'],
    ['1.231', 'up', '1.24'],
    ['0.05', 'down', '0.05'],
    ['10000', 'down', '10000'],
  ] as const)('args: %s %s → %s', (quantity, rounding, out) => {
    expect(formatQuantity(rules, 'SOL_USDC', quantity, rounding)).toBe(out)
  })

  test('args: step 5 rounds to whole multiples', () => {
    expect(formatQuantity(rules, 'ODD_USDC', '14.9', 'down')).toBe('10')
    expect(formatQuantity(rules, 'ODD_USDC', '10.1', 'up')).toBe('15')
  })

  test('error: zero, below minimum, above maximum, below notional', () => {
    const rule = (f: () => unknown) => {
      try {
        f()
      } catch (e) {
        expect(e).toBeInstanceOf(PrecisionError)
        return (e as PrecisionError).rule
      }
      return 'no error'
    }
    expect(rule(() => formatQuantity(rules, 'SOL_USDC', '0.009', 'down'))).toBe(
      'stepSize',
    )
    expect(rule(() => formatQuantity(rules, 'SOL_USDC', '0.04', 'down'))).toBe(
      'minQuantity',
    )
    expect(
      rule(() => formatQuantity(rules, 'SOL_USDC', '10000.01', 'up')),
    ).toBe('maxQuantity')
    expect(
      rule(() =>
        formatQuantity(rules, 'SOL_USDC', '0.05', 'down', { price: '99.99' }),
      ),
    ).toBe('minNotional')
    expect(
      formatQuantity(rules, 'SOL_USDC', '0.05', 'down', { price: '100' }),
    ).toBe('0.05')
    expect(() =>
      formatQuantity(rules, 'SOL_USDC', '0.04', 'down'),
    ).toThrowErrorMatchingInlineSnapshot(
      `[PrecisionError: Quantity 0.04 is below SOL_USDC's minimum quantity 0.05; raise the size.]`,
    )
  })

  test('error: bad inputs are ValidationErrors', () => {
    expect(() =>
      formatQuantity(rules, 'SOL_USDC', '1', 'down', { price: '0' }),
    ).toThrow(ValidationError)
    expect(() =>
      formatQuantity(rules, 'SOL_USDC', '1', 'down', null as never),
    ).toThrow(ValidationError)
    expect(() => formatQuantity(rules, 'SOL_USDC', '1.5e1', 'down')).toThrow(
      ValidationError,
    )
    expect(() =>
      formatQuantity(rules, 'SOL_USDC', '1', 'DOWN' as never),
    ).toThrow(ValidationError)
  })

  propTest.prop([
    fc
      .integer({ min: 5, max: 1_000_000 })
      .map((n) =>
        divideDecimals(String(n), '100', { decimals: 2, rounding: 'down' }),
      ),
  ])(
    'behavior: an exact multiple of the step round-trips unchanged in every direction',
    (q) => {
      for (const r of ['down', 'up', 'nearest'] as const) {
        expect(formatQuantity(rules, 'SOL_USDC', q, r)).toBe(
          normalizeDecimal(q),
        )
      }
    },
  )
})

describe('KLINE_INTERVAL_SECONDS', () => {
  test('default: every interval getKlines accepts, with its length', () => {
    expect(Object.keys(KLINE_INTERVAL_SECONDS)).toEqual([
      '1s',
      '1m',
      '3m',
      '5m',
      '15m',
      '30m',
      '1h',
      '2h',
      '4h',
      '6h',
      '8h',
      '12h',
      '1d',
      '3d',
      '1w',
      '1month',
    ])
    expect(KLINE_INTERVAL_SECONDS['4h']).toBe(4 * 3600)
    expect(Object.isFrozen(KLINE_INTERVAL_SECONDS)).toBe(true)
  })
})

describe('isKlineInterval', () => {
  test('behavior: names of the table only, not inherited keys', () => {
    expect(isKlineInterval('1month')).toBe(true)
    expect(isKlineInterval('2m')).toBe(false)
    expect(isKlineInterval('toString')).toBe(false)
    expect(isKlineInterval(60)).toBe(false)
  })
})
