import { fc, test } from '@fast-check/vitest'
import Big from 'big.js'
import { describe, expect } from 'vitest'
import { MARKET, SMALL } from '../test/fixtures.js'
import { DEFAULT_LADDER_CONFIG } from './config.js'
import { LadderConfigError } from './errors.js'
import { planLadder } from './plan.js'
import type { LadderConfig, LadderMarket } from './types.js'

describe('planLadder', () => {
  test('default: the classic ladder, checked by hand', () => {
    // T = 300, n = 3, r = 2: a = 300 x 1 / (2^3 - 1) = 42.857142...
    // amounts 42.857, 85.714, 171.428; prices 100, 95, 90 (s = 5).
    // quantities: 42.857/100 = 0.42857 -> 0.428; 85.714/95 = 0.90225 -> 0.902;
    // 171.428/90 = 1.90476 -> 1.904 (all rounded DOWN to the 0.001 step).
    expect(planLadder(SMALL, MARKET, '100')).toMatchInlineSnapshot(`
      {
        "dropped": [],
        "referencePrice": "100",
        "rungs": [
          {
            "index": 0,
            "notional": "42.8",
            "price": "100",
            "quantity": "0.428",
          },
          {
            "index": 1,
            "notional": "85.69",
            "price": "95",
            "quantity": "0.902",
          },
          {
            "index": 2,
            "notional": "171.36",
            "price": "90",
            "quantity": "1.904",
          },
        ],
        "totalNotional": "299.85",
      }
    `)
  })

  test('args: prices round DOWN to the tick, rung 0 at P', () => {
    const plan = planLadder(SMALL, MARKET, '100.07')
    // 100.07 -> 100.0; 100.07 x 0.95 = 95.0665 -> 95.0; x 0.9 = 90.063 -> 90.0
    expect(plan.rungs.map((r) => r.price)).toEqual(['100', '95', '90'])
    expect(plan.referencePrice).toBe('100.07')
  })

  test('args: n = 1 puts the whole budget at P', () => {
    const plan = planLadder({ ...SMALL, orderCount: 1 }, MARKET, '100')
    expect(plan.rungs).toEqual([
      { index: 0, price: '100', quantity: '3', notional: '300' },
    ])
  })

  test('args: g = 0 splits the budget evenly', () => {
    const plan = planLadder(
      { ...SMALL, incrementPercentage: '0' },
      MARKET,
      '100',
    )
    expect(plan.rungs.map((r) => r.quantity)).toEqual(['1', '1.052', '1.111'])
  })

  test('args: a < m raises every amount to m, then scales to T', () => {
    // T = 25, n = 3, g = 0: a = 8.33 < m = 10 -> 10, 10, 10 = 30 > 25 ->
    // scaled by 25/30: 8.33 each, now below m = 10: every rung dropped.
    expect(() =>
      planLadder(
        { ...SMALL, totalAmount: '25', incrementPercentage: '0' },
        MARKET,
        '100',
      ),
    ).toThrowErrorMatchingInlineSnapshot(`
      [LadderConfigError: No rung of the ladder at reference price 100 can be placed on BTC_USDC (totalAmount 25, orderCount 3).
      - rungs[0]: dropped (belowMinNotional): price x quantity is below minOrderAmount (or the market minimum); raise totalAmount or lower orderCount, got {"price":"100","quantity":"0.083"}
      - rungs[1]: dropped (belowMinNotional): price x quantity is below minOrderAmount (or the market minimum); raise totalAmount or lower orderCount, got {"price":"95","quantity":"0.087"}
      - rungs[2]: dropped (belowMinNotional): price x quantity is below minOrderAmount (or the market minimum); raise totalAmount or lower orderCount, got {"price":"90","quantity":"0.092"}]
    `)
    // With m = 5 they survive: 8.333 each at 100, 95, 90 -> quantities
    // 0.083, 0.087, 0.092 (rounded DOWN) -> notionals 8.3, 8.265, 8.28.
    const plan = planLadder(
      {
        ...SMALL,
        totalAmount: '25',
        incrementPercentage: '0',
        minOrderAmount: '5',
      },
      MARKET,
      '100',
    )
    expect(plan.rungs.map((r) => r.notional)).toEqual(['8.3', '8.265', '8.28'])
  })

  test('behavior: rungs below the minimums are dropped, not merged', () => {
    // a = 42.857 on rung 0; the market minimum notional 50 drops it.
    const plan = planLadder(SMALL, { ...MARKET, minNotional: '50' }, '100')
    expect(plan.dropped).toEqual([
      { index: 0, price: '100', quantity: '0.428', reason: 'belowMinNotional' },
    ])
    expect(plan.rungs.map((r) => r.index)).toEqual([1, 2])
    const byQty = planLadder(SMALL, { ...MARKET, minQuantity: '0.5' }, '100')
    expect(byQty.dropped.map((r) => r.reason)).toEqual(['belowMinQuantity'])
  })

  test('behavior: a price that rounds to zero is dropped with its reason', () => {
    const plan = planLadder(
      { ...SMALL, maxDropPercentage: '99.99', minOrderAmount: '0' },
      { ...MARKET, tickSize: '1', minQuantity: '0.001' },
      '5',
    )
    expect(plan.dropped.at(-1)).toMatchObject({
      index: 2,
      reason: 'priceRoundsToZero',
    })
  })

  test('behavior: rungs on the same tick are dropped (prices strictly decrease)', () => {
    const plan = planLadder(
      { ...SMALL, maxDropPercentage: '1', minOrderAmount: '0' },
      { ...MARKET, tickSize: '1' },
      '100',
    )
    // 100, 99.5 -> 99, 99: the third is on the same tick as the second.
    expect(plan.rungs.map((r) => r.price)).toEqual(['100', '99'])
    expect(plan.dropped).toEqual([
      {
        index: 2,
        price: '99',
        quantity: '1.731',
        reason: 'samePriceAsPrevious',
      },
    ])
  })

  test('args: geometric step scale and first-rung offset', () => {
    // q = 2, n = 3: gaps 1:2, so g = 0, 1/3, 1; offset 1 %: rung 0 at 99,
    // lowest at 90: 99 - 9/3 = 96.
    const plan = planLadder(
      { ...SMALL, stepScale: '2', firstRungOffsetPercentage: '1' },
      MARKET,
      '100',
    )
    expect(plan.rungs.map((r) => r.price)).toEqual(['99', '96', '90'])
  })

  test('error: a budget too small for one order', () => {
    expect(() =>
      planLadder({ ...SMALL, totalAmount: '5' }, MARKET, '100'),
    ).toThrowErrorMatchingInlineSnapshot(`
      [LadderConfigError: No rung of the ladder at reference price 100 can be placed on BTC_USDC (totalAmount 5, orderCount 3).
      - rungs[0]: dropped (belowMinNotional): price x quantity is below minOrderAmount (or the market minimum); raise totalAmount or lower orderCount, got {"price":"100","quantity":"0.007"}
      - rungs[1]: dropped (belowMinNotional): price x quantity is below minOrderAmount (or the market minimum); raise totalAmount or lower orderCount, got {"price":"95","quantity":"0.015"}
      - rungs[2]: dropped (belowMinNotional): price x quantity is below minOrderAmount (or the market minimum); raise totalAmount or lower orderCount, got {"price":"90","quantity":"0.031"}]
    `)
  })

  test('error: bad reference price and market rules', () => {
    expect(() =>
      planLadder(SMALL, MARKET, '0'),
    ).toThrowErrorMatchingInlineSnapshot(`
      [LadderConfigError: The reference price is not valid.
      - referencePrice: must be a decimal string > 0, e.g. "60000.5", got "0"]
    `)
    expect(() => planLadder(SMALL, MARKET, '1e5')).toThrow(LadderConfigError)
    expect(() =>
      planLadder(
        SMALL,
        { ...MARKET, tickSize: '0', symbol: 'ETH_USDC' },
        '100',
      ),
    ).toThrowErrorMatchingInlineSnapshot(`
      [LadderConfigError: The market rules are not valid.
      - market.tickSize: must be a decimal string > 0, e.g. "0.01", got "0"
      - market.symbol: must match the config's symbol "BTC_USDC" (rules of another market would size orders wrongly), got "ETH_USDC"]
    `)
  })
})

// ---------------------------------------------------------------------------
// Property tests over random configs, markets and prices
// ---------------------------------------------------------------------------

const pow10 = (k: number) => new Big(10).pow(k)
const decimalArb = (maxMantissa: number, maxScale: number, min = 0) =>
  fc
    .tuple(
      fc.integer({ min, max: maxMantissa }),
      fc.integer({ min: 0, max: maxScale }),
    )
    .map(([m, s]) => new Big(m).div(pow10(s)).toFixed())

const marketArb: fc.Arbitrary<LadderMarket> = fc
  .record({
    tick: fc.tuple(fc.constantFrom(1, 5, 25), fc.integer({ min: 0, max: 4 })),
    step: fc.tuple(fc.constantFrom(1, 2, 5), fc.integer({ min: 0, max: 6 })),
    minSteps: fc.integer({ min: 1, max: 20 }),
    minNotional: fc.option(decimalArb(500, 1), { nil: undefined }),
  })
  .map(({ tick, step, minSteps, minNotional }) => {
    const stepSize = new Big(step[0]).div(pow10(step[1]))
    return {
      symbol: 'BTC_USDC',
      tickSize: new Big(tick[0]).div(pow10(tick[1])).toFixed(),
      stepSize: stepSize.toFixed(),
      minQuantity: stepSize.times(minSteps).toFixed(),
      ...(minNotional === undefined ? {} : { minNotional }),
    }
  })

const configArb: fc.Arbitrary<LadderConfig> = fc
  .record({
    n: fc.integer({ min: 1, max: 30 }),
    d: decimalArb(900, 1, 1),
    T: decimalArb(100_000, 2, 1),
    g: decimalArb(2000, 1),
    tp: decimalArb(500, 2, 1),
    m: decimalArb(200, 1),
    q: fc.constantFrom('1', '1', '1.5', '0.8', '2'),
    o: fc.constantFrom('0', '0', '0.5'),
  })
  .filter(({ d, o }) => new Big(o).lt(new Big(d)))
  .map(({ n, d, T, g, tp, m, q, o }) => ({
    ...DEFAULT_LADDER_CONFIG,
    orderCount: n,
    maxDropPercentage: d,
    totalAmount: T,
    incrementPercentage: g,
    takeProfitPercentage: tp,
    minOrderAmount: m,
    stepScale: q,
    firstRungOffsetPercentage: o,
  }))

const priceArb = decimalArb(10_000_000, 4, 1)

const onGrid = (value: string, size: string) =>
  new Big(value).mod(new Big(size)).eq(0)

describe('planLadder (properties)', () => {
  test.prop([configArb, marketArb, priceArb], { numRuns: 300 })(
    'behavior: every invariant of the plan holds, or it throws LadderConfigError',
    (config, market, price) => {
      let plan: ReturnType<typeof planLadder>
      try {
        plan = planLadder(config, market, price)
      } catch (error) {
        expect(error).toBeInstanceOf(LadderConfigError)
        return
      }
      const minNotional = new Big(config.minOrderAmount)
      const floor =
        market.minNotional !== undefined &&
        new Big(market.minNotional).gt(minNotional)
          ? new Big(market.minNotional)
          : minNotional
      let total = new Big(0)
      let previous: Big | null = null
      for (const rung of plan.rungs) {
        const p = new Big(rung.price)
        const q = new Big(rung.quantity)
        expect(onGrid(rung.price, market.tickSize)).toBe(true)
        expect(onGrid(rung.quantity, market.stepSize)).toBe(true)
        expect(q.gte(new Big(market.minQuantity))).toBe(true)
        expect(p.times(q).gte(floor)).toBe(true)
        expect(p.times(q).eq(new Big(rung.notional))).toBe(true)
        expect(p.lte(new Big(price))).toBe(true)
        if (previous) expect(p.lt(previous)).toBe(true)
        previous = p
        total = total.plus(p.times(q))
        // no binary-float artefacts: at most the tick's / step's decimals
        expect(rung.price).not.toMatch(/e|0000000000/)
      }
      expect(total.lte(new Big(config.totalAmount))).toBe(true)
      expect(total.eq(new Big(plan.totalNotional))).toBe(true)
      // every rung is either placed or dropped with a reason
      expect(plan.rungs.length + plan.dropped.length).toBe(config.orderCount)
    },
  )
})
