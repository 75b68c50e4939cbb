/**
 * The event-driven backtest (`runBacktest`, `backtest(..., 'events')`)
 * against the walking one (`'candles'`, every candle in turn): deep-equal
 * reports over random configs with every option, random fees, tick and
 * step sizes, equity point counts and trade lists, on synthetic series
 * (long calm stretches and jumps, so the jumps and the equity summaries
 * between curve points are both exercised), on hand-made series the index
 * cannot serve, and on slices of the real six-month file when it is there.
 */
import { fc, test } from '@fast-check/vitest'
import { beforeAll, describe, expect } from 'vitest'
import {
  build,
  optionsArb,
  outcome,
  series,
} from '../test/backtestArbitraries.js'
import { HAS_REAL_DATA, REAL_DATA } from '../test/fixtures.js'
import { backtest, runBacktest } from './backtest.js'
import type { BacktestOptions } from './backtestOptions.js'
import { type CandleSeries, sliceCandles } from './candles/series.js'
import { DEFAULT_LADDER_CONFIG } from './config.js'
import { readCandlesCsv } from './node/readCandlesCsv.js'
import type { LadderConfig } from './types.js'

const seriesArb = fc
  .tuple(
    fc.array(
      fc.record({
        length: fc.integer({ min: 1, max: 900 }),
        step: fc.constantFrom(0, 1, 3, 20, 150),
        wick: fc.constantFrom(0, 1, 4, 40),
      }),
      { minLength: 1, maxLength: 8 },
    ),
    fc.integer(),
  )
  .map(([stretches, seed]) => series(stretches, seed))

/** Every option of LadderConfig around the walks' start at 100 (an option added to the config belongs here). */
/** Multi-step take profits (model v2) the configs may carry. */
const TWO_STEPS = [
  { share: '0.5', profitPercent: '0.25' },
  { share: '0.5', profitPercent: '1' },
]
const THREE_STEPS = [
  { share: '0.4', profitPercent: '0.1' },
  { share: '0.3', profitPercent: '0.5' },
  { share: '0.3', profitPercent: '2' },
]

const configArb: fc.Arbitrary<LadderConfig> = fc
  .record({
    orderCount: fc.integer({ min: 1, max: 6 }),
    incrementPercentage: fc.constantFrom('0', '50'),
    takeProfitPercentage: fc.constantFrom('0.05', '0.25', '1', '3'),
    maxDropPercentage: fc.constantFrom('0.5', '2', '7'),
    restartAfterTakeProfit: fc.boolean(),
    autoRestartNoFill: fc.boolean(),
    noFillRestartMinutes: fc.constantFrom(1, 5, 60),
    stepScale: fc.constantFrom('1', '1.5'),
    firstRungOffsetPercentage: fc.constantFrom('0', '0.2'),
    feeAwareTakeProfit: fc.boolean(),
    takeProfitOrder: fc.constantFrom('market' as const, 'limit' as const),
    postOnly: fc.boolean(),
    trailingTakeProfitPercentage: fc.constantFrom(
      false as const,
      '0.01',
      '0.1',
      '1',
    ),
    stopLossPercentage: fc.constantFrom(false as const, '0.3', '2'),
    coolDownMinutes: fc.constantFrom(0, 3, 45),
    maxCycles: fc.constantFrom(false as const, 2, 20),
    minPrice: fc.constantFrom(false as const, '97', '99.5'),
    maxPrice: fc.constantFrom(false as const, '100.5', '103'),
    activeOrderCount: fc.constantFrom(false as const, 1, 2),
    takeProfitSteps: fc.constantFrom(false as const, TWO_STEPS, THREE_STEPS),
  })
  .map((o) => ({
    ...DEFAULT_LADDER_CONFIG,
    totalAmount: '500',
    ...o,
    activeOrderCount:
      o.activeOrderCount === false
        ? (false as const)
        : Math.min(o.activeOrderCount, o.orderCount),
  }))

describe('runBacktest (event-driven against walking)', () => {
  test.prop([seriesArb, configArb, optionsArb], { numRuns: 200 })(
    'behavior: the report equals the walking one, for every option',
    (candles, config, o) => {
      const options = build(o, candles, config)
      expect(outcome(options, 'events')).toEqual(outcome(options, 'candles'))
    },
  )

  test.prop([seriesArb, configArb, fc.nat(), fc.nat()], { numRuns: 40 })(
    'behavior: a series the index cannot serve (low above high, time going back) is walked, same report',
    (candles, config, a, b) => {
      const n = candles.length
      const broken = { ...candles, low: candles.low.slice() }
      const c = a % n
      broken.low[c] = (candles.high[c] as number) + 1 + (b % 50)
      const backwards = { ...candles, openTime: candles.openTime.slice() }
      if (n > 1) backwards.openTime[n - 1] = backwards.openTime[0] as number
      for (const series of [broken, backwards]) {
        const options = build(
          {
            tickSize: '0.01',
            stepSize: '0.001',
            maker: '0.08',
            taker: '0.1',
            equityPoints: 7,
            trades: true,
          },
          series,
          config,
        )
        expect(outcome(options, 'events')).toEqual(outcome(options, 'candles'))
      }
    },
  )
})

/**
 * The no-fill-heavy shape: 8 to 12 rungs on a budget that drops the first
 * ones, so the ladder rests below the price and the machine re-ladders
 * after nearly every no-fill wait (the event-driven path runs such runs of
 * restarts from ladder to ladder and steps only the last one).
 */
const noFillHeavyArb: fc.Arbitrary<LadderConfig> = fc
  .record({
    orderCount: fc.integer({ min: 8, max: 12 }),
    totalAmount: fc.constantFrom('300', '500', '2000'),
    maxDropPercentage: fc.constantFrom('2', '7'),
    firstRungOffsetPercentage: fc.constantFrom('0', '0.2'),
    noFillRestartMinutes: fc.constantFrom(1, 2, 5),
    takeProfitPercentage: fc.constantFrom('0.25', '1'),
    activeOrderCount: fc.constantFrom(false as const, 2),
    coolDownMinutes: fc.constantFrom(0, 3),
    stopLossPercentage: fc.constantFrom(false as const, '2'),
    minPrice: fc.constantFrom(false as const, '99.5'),
  })
  .map((o) => ({ ...DEFAULT_LADDER_CONFIG, ...o }))

/** A series with some minutes missing (gaps in the open times). */
const gappedSeriesArb = fc
  .tuple(seriesArb, fc.array(fc.nat(), { maxLength: 6 }))
  .map(([candles, gaps]) => {
    const openTime = candles.openTime.slice()
    for (const g of gaps) {
      const from = g % openTime.length
      for (let c = from; c < openTime.length; c++)
        openTime[c] = (openTime[c] as number) + 60_000 * (1 + (g % 4))
    }
    return { ...candles, openTime }
  })

describe('runBacktest (event-driven against walking, no-fill restarts)', () => {
  test.prop([gappedSeriesArb, noFillHeavyArb, optionsArb], { numRuns: 150 })(
    'behavior: runs of no-fill restarts give the walking report (counters, capital, equity, trades)',
    (candles, config, o) => {
      const options = build(o, candles, config)
      expect(outcome(options, 'events')).toEqual(outcome(options, 'candles'))
    },
  )

  test('behavior: a quiet series with a ladder far below restarts every minute, the same on both paths', () => {
    // Flat at 100.00 with 0.05 wicks: the first rung of a 12-rung ladder on
    // 500 is dropped, the next rests below every low.
    const candles = series([{ length: 3000, step: 0, wick: 5 }], 7)
    const options = build(
      {
        tickSize: '0.01',
        stepSize: '0.001',
        maker: '0.08',
        taker: '0.1',
        equityPoints: 50,
        trades: true,
      },
      candles,
      {
        ...DEFAULT_LADDER_CONFIG,
        orderCount: 12,
        totalAmount: '500',
        firstRungOffsetPercentage: '0.2',
      },
    )
    const events = backtest(options, 'events')
    expect(events.noFillRestarts).toBe(2999)
    expect(events.fills).toBe(0)
    expect(events).toEqual(backtest(options, 'candles'))
  })
})

describe.skipIf(!HAS_REAL_DATA)(
  'runBacktest (event-driven against walking, real data)',
  () => {
    let real: CandleSeries
    beforeAll(async () => {
      real = await readCandlesCsv(REAL_DATA)
    })
    /** Every option, scaled to BTC at 38k-73k USDT. */
    const realConfigArb = fc
      .record({
        orderCount: fc.integer({ min: 1, max: 12 }),
        takeProfitPercentage: fc.constantFrom('0.1', '0.25', '1', '3'),
        maxDropPercentage: fc.constantFrom('1', '3', '7', '15'),
        restartAfterTakeProfit: fc.boolean(),
        noFillRestartMinutes: fc.constantFrom(1, 30),
        firstRungOffsetPercentage: fc.constantFrom('0', '0.2'),
        feeAwareTakeProfit: fc.boolean(),
        takeProfitOrder: fc.constantFrom('market' as const, 'limit' as const),
        trailingTakeProfitPercentage: fc.constantFrom(
          false as const,
          '0.05',
          '0.5',
        ),
        stopLossPercentage: fc.constantFrom(false as const, '1', '5'),
        coolDownMinutes: fc.constantFrom(0, 5, 120),
        maxCycles: fc.constantFrom(false as const, 50),
        minPrice: fc.constantFrom(false as const, '45000'),
        maxPrice: fc.constantFrom(false as const, '65000'),
      })
      .map((o) => ({ ...DEFAULT_LADDER_CONFIG, ...o }))

    test.prop(
      [
        realConfigArb,
        fc.integer({ min: 0, max: 250_000 }),
        fc.integer({ min: 2, max: 40_000 }),
        fc.constantFrom('0', '0.08'),
      ],
      { numRuns: 25 },
    )(
      'behavior: on slices of the six-month BTC file, the report equals the walking one',
      (config, start, length, fee) => {
        const candles = sliceCandles(real, start, start + length)
        const options: BacktestOptions = {
          candles,
          config,
          market: {
            symbol: 'BTC_USDC',
            tickSize: '0.01',
            stepSize: '0.00001',
            minQuantity: '0.00001',
          },
          fees: { makerPercentage: fee, takerPercentage: '0.1' },
          equityPoints: 500,
        }
        expect(outcome(options, 'events')).toEqual(outcome(options, 'candles'))
      },
    )

    test.prop([realConfigArb], { numRuns: 4 })(
      'behavior: over the whole file, runBacktest equals the walking report',
      (config) => {
        const options: BacktestOptions = {
          candles: real,
          config,
          market: {
            symbol: 'BTC_USDC',
            tickSize: '0.01',
            stepSize: '0.00001',
            minQuantity: '0.00001',
          },
          fees: { makerPercentage: '0.08', takerPercentage: '0.1' },
          trades: false,
        }
        expect(runBacktest(options)).toEqual(backtest(options, 'candles'))
      },
    )
  },
)
