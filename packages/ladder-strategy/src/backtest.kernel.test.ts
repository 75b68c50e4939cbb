/**
 * The backtest kernel (./backtest/kernel/) against the machine: for every
 * config it runs, its report equals the one of walking every candle
 * through the `step` machine (`backtest(options, 'candles')`), to the unit,
 * on synthetic series (gaps, flat stretches, spikes through the stop loss,
 * jumps where no rung fits) and on slices of the real six-month file; for
 * every config it does not run, the event-driven backtest is the machine's
 * (`'machine'`), and the eligibility names the option.
 */
import { fc, test } from '@fast-check/vitest'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  build,
  optionsArb,
  outcome,
  series,
} from '../test/backtestArbitraries.js'
import { HAS_REAL_DATA, REAL_DATA } from '../test/fixtures.js'
import { kernelIneligibility } from './backtest/kernel/eligible.js'
import { runKernel } from './backtest/kernel/run.js'
import { backtest, backtestRun } from './backtest.js'
import type { BacktestOptions } from './backtestOptions.js'
import { rangeIndexOf } from './candles/rangeIndexCache.js'
import { type CandleSeries, sliceCandles } from './candles/series.js'
import { DEFAULT_LADDER_CONFIG } from './config.js'
import { readCandlesCsv } from './node/readCandlesCsv.js'
import type { LadderConfig } from './types.js'

const seriesArb = fc
  .tuple(
    fc.array(
      fc.record({
        length: fc.integer({ min: 1, max: 700 }),
        step: fc.constantFrom(0, 1, 3, 20, 150),
        wick: fc.constantFrom(0, 1, 4, 40),
        spike: fc.constantFrom(0, 0, 7, 50),
        gap: fc.constantFrom(0, 0, 0, 1, 3, 90),
      }),
      { minLength: 1, maxLength: 8 },
    ),
    fc.integer(),
  )
  .map(([stretches, seed]) => series(stretches, seed))

/** The options the kernel runs (./backtest/kernel/eligible.ts), around 100.00. */
const eligibleArb: fc.Arbitrary<LadderConfig> = fc
  .record({
    orderCount: fc.integer({ min: 1, max: 12 }),
    totalAmount: fc.constantFrom('300', '500', '2000'),
    incrementPercentage: fc.constantFrom('0', '50'),
    minOrderAmount: fc.constantFrom('5', '10'),
    takeProfitPercentage: fc.constantFrom('0.05', '0.25', '1', '3'),
    maxDropPercentage: fc.constantFrom('0.5', '2', '7', '20'),
    restartAfterTakeProfit: fc.boolean(),
    autoRestartNoFill: fc.boolean(),
    noFillRestartMinutes: fc.constantFrom(1, 5, 60),
    stepScale: fc.constantFrom('1', '1.5'),
    firstRungOffsetPercentage: fc.constantFrom('0', '0.2'),
    feeAwareTakeProfit: fc.boolean(),
    postOnly: fc.boolean(),
    stopLossPercentage: fc.constantFrom(false as const, '0.3', '2', '8'),
    coolDownMinutes: fc.constantFrom(0, 3, 45),
    maxCycles: fc.constantFrom(false as const, 1, 2, 20),
  })
  .map((o) => ({ ...DEFAULT_LADDER_CONFIG, ...o }))

/**
 * The kernel's own report (not the fallback): null when the kernel gives
 * the run up (no rung at the first candle: the walking path throws then).
 */
function kernel(options: BacktestOptions) {
  const run = backtestRun(options)
  expect(kernelIneligibility(run, rangeIndexOf(run.candles))).toBeNull()
  return runKernel(run)
}

describe('the backtest kernel against the machine', () => {
  test.prop([seriesArb, eligibleArb, optionsArb], { numRuns: 250 })(
    'behavior: for every option it runs, its report equals the walking one',
    (candles, config, o) => {
      const options = build(o, candles, config)
      const expected = outcome(options, 'candles')
      const report = kernel(options)
      if (report !== null) expect(report).toEqual(expected)
      else {
        // Given up only where the machine throws (no rung at the start).
        expect(expected).toHaveProperty('error')
        expect(() => backtest(options, 'events')).toThrow()
      }
    },
  )

  it('behavior: a jump to a price where no rung fits stops with the machine warning, as walking does', () => {
    // 100.00, then a jump to 1,000,000.00 after the first take profit: the
    // 500 USDC ladder rounds to 0 lots there.
    const candles = series(
      [
        { length: 50, step: 20, wick: 40, spike: 0, gap: 0 },
        { length: 1, step: 0, wick: 0, spike: 0, gap: 0 },
      ],
      3,
    )
    const last = candles.length - 1
    for (const col of [candles.open, candles.high, candles.low, candles.close])
      col[last] = 100_000_000
    const options = build(
      {
        tickSize: '0.01',
        stepSize: '0.001',
        maker: '0.08',
        taker: '0.1',
        equityPoints: 7,
        trades: true,
      },
      candles,
      {
        ...DEFAULT_LADDER_CONFIG,
        totalAmount: '500',
        takeProfitPercentage: '1',
      },
    )
    const report = kernel(options)
    expect(report?.stopReason).toBe('noRungFits')
    expect(report?.warnings[0]).toMatch(/^no rung can be placed at price /)
    expect(report).toEqual(outcome(options, 'candles'))
  })

  it('behavior: no rung at the first candle throws the machine error', () => {
    const candles = series(
      [{ length: 5, step: 0, wick: 0, spike: 0, gap: 0 }],
      1,
    )
    const options = build(
      {
        tickSize: '0.01',
        stepSize: '0.01',
        maker: undefined,
        taker: undefined,
        equityPoints: undefined,
        trades: false,
      },
      candles,
      { ...DEFAULT_LADDER_CONFIG, totalAmount: '5', minOrderAmount: '5' },
    )
    expect(kernel(options)).toBeNull()
    expect(() => backtest(options, 'events')).toThrow(
      'No rung fits at the first candle.',
    )
  })
})

describe('kernel eligibility', () => {
  const candles = series(
    [{ length: 300, step: 20, wick: 10, spike: 0, gap: 0 }],
    5,
  )
  const market = {
    symbol: 'BTC_USDC',
    tickSize: '0.01',
    stepSize: '0.001',
    minQuantity: '0.001',
  }
  const base = { ...DEFAULT_LADDER_CONFIG, totalAmount: '500' }
  const why = (options: BacktestOptions) => {
    const run = backtestRun(options)
    return kernelIneligibility(run, rangeIndexOf(run.candles))
  }
  const cases: [string, Partial<LadderConfig>][] = [
    ['takeProfitOrder', { takeProfitOrder: 'limit' }],
    ['trailingTakeProfitPercentage', { trailingTakeProfitPercentage: '0.1' }],
    [
      'takeProfitSteps',
      {
        takeProfitSteps: [
          { share: '0.5', profitPercent: '0.25' },
          { share: '0.5', profitPercent: '1' },
        ],
      },
    ],
    ['activeOrderCount', { activeOrderCount: 2 }],
    ['minPrice', { minPrice: '90' }],
    ['maxPrice', { maxPrice: '110' }],
  ]

  it('behavior: the classic config and each option it runs are eligible', () => {
    expect(why({ candles, config: base, market })).toBeNull()
    for (const config of [
      { ...base, stopLossPercentage: '2' },
      { ...base, coolDownMinutes: 30 },
      { ...base, maxCycles: 3, restartAfterTakeProfit: false },
      { ...base, autoRestartNoFill: false, feeAwareTakeProfit: true },
      { ...base, stepScale: '1.5', firstRungOffsetPercentage: '0.2' },
      { ...base, activeOrderCount: false as const, minPrice: false as const },
    ])
      expect(why({ candles, config, market })).toBeNull()
  })

  for (const [reason, option] of cases)
    it(`behavior: ${reason} is left to the machine, whose report the event-driven path gives`, () => {
      const options = { candles, config: { ...base, ...option }, market }
      expect(why(options)).toBe(reason)
      expect(backtest(options, 'events')).toEqual(backtest(options, 'machine'))
    })

  it('behavior: a series the index cannot serve, with a close of 0, or a price past the safe integers, is left to the machine', () => {
    const broken = { ...candles, low: candles.low.slice() }
    broken.low[10] = (candles.high[10] as number) + 1
    expect(why({ candles: broken, config: base, market })).toBe(
      'candles: not ordered',
    )
    const zero = {
      ...candles,
      close: candles.close.slice(),
      low: candles.low.slice(),
    }
    zero.close[20] = 0
    zero.low[20] = 0
    expect(why({ candles: zero, config: base, market })).toBe(
      'candles: a close <= 0',
    )
    // A high whose integer in the common scale (cents x 10 for a tick of
    // 0.001) passes 2^53 - 1.
    const huge = { ...candles, high: candles.high.slice() }
    huge.high[30] = Math.ceil(Number.MAX_SAFE_INTEGER / 10) + 1
    expect(
      why({
        candles: huge,
        config: base,
        market: { ...market, tickSize: '0.001' },
      }),
    ).toBe('candles: a price above 2^53 - 1 in the common scale')
    expect(why({ candles: huge, config: base, market })).toBeNull()
    for (const c of [broken, zero]) {
      const options = { candles: c, config: base, market }
      expect(backtest(options, 'events')).toEqual(backtest(options, 'candles'))
    }
  })
})

describe.skipIf(!HAS_REAL_DATA)('the backtest kernel, real data', () => {
  let real: CandleSeries
  beforeAll(async () => {
    real = await readCandlesCsv(REAL_DATA)
  })
  /** The sweep grid's options and those around them, scaled to BTC. */
  const realArb = fc
    .record({
      orderCount: fc.integer({ min: 1, max: 12 }),
      takeProfitPercentage: fc.constantFrom('0.1', '0.25', '1', '3'),
      maxDropPercentage: fc.constantFrom('1', '3', '7', '15'),
      restartAfterTakeProfit: fc.boolean(),
      noFillRestartMinutes: fc.constantFrom(1, 30),
      feeAwareTakeProfit: fc.boolean(),
      stopLossPercentage: fc.constantFrom(false as const, '1', '5'),
      coolDownMinutes: fc.constantFrom(0, 5, 120),
      maxCycles: fc.constantFrom(false as const, 50),
    })
    .map((o) => ({ ...DEFAULT_LADDER_CONFIG, ...o }))

  test.prop(
    [
      realArb,
      fc.integer({ min: 0, max: 250_000 }),
      fc.integer({ min: 2, max: 30_000 }),
      fc.constantFrom('0', '0.08'),
      fc.boolean(),
    ],
    { numRuns: 20 },
  )(
    'behavior: on slices of the six-month BTC file, the kernel report equals the walking one',
    (config, start, length, fee, trades) => {
      const options: BacktestOptions = {
        candles: sliceCandles(real, start, start + length),
        config,
        market: {
          symbol: 'BTC_USDC',
          tickSize: '0.01',
          stepSize: '0.00001',
          minQuantity: '0.00001',
        },
        fees: { makerPercentage: fee, takerPercentage: '0.1' },
        trades,
      }
      const report = kernel(options)
      expect(report).not.toBeNull()
      expect(report).toEqual(outcome(options, 'candles'))
    },
  )
})
