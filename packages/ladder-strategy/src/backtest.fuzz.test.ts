/**
 * Property tests of the backtester over random candle walks and configs:
 * the simulator and the machine never disagree (no warnings), the report
 * adds up from the trade list (big.js, independently), and runs are
 * deterministic.
 */
import { fc, test } from '@fast-check/vitest'
import Big from 'big.js'
import { describe, expect } from 'vitest'
import { backtest, runBacktest } from './backtest.js'
import type { CandleRow } from './candles/series.js'
import { DEFAULT_LADDER_CONFIG } from './config.js'
import type { LadderConfig } from './types.js'

const MARKET = {
  symbol: 'BTC_USDC',
  tickSize: '0.01',
  stepSize: '0.001',
  minQuantity: '0.001',
}

const walkArb = fc
  .array(
    fc.tuple(fc.integer({ min: -300, max: 300 }), fc.nat(200), fc.nat(200)),
    {
      minLength: 2,
      maxLength: 400,
    },
  )
  .map((steps) => {
    const rows: CandleRow[] = []
    let cents = 10_000
    const fmt = (c: number) => new Big(c).div(100).toFixed()
    steps.forEach(([move, up, down], i) => {
      const open = cents
      cents = Math.max(1_000, cents + move)
      rows.push({
        openTime: i * 60_000,
        open: fmt(open),
        high: fmt(Math.max(open, cents) + up),
        low: fmt(Math.max(1, Math.min(open, cents) - down)),
        close: fmt(cents),
        volume: '1',
      })
    })
    return rows
  })

/**
 * A walk in steps of a few cents: its highs and lows land on every cent, so
 * they hit the take-profit, stop and trailing prices exactly (the
 * boundaries of the backtest's quiet-price shortcut).
 */
const fineWalkArb = fc
  .array(fc.tuple(fc.integer({ min: -4, max: 4 }), fc.nat(3), fc.nat(3)), {
    // Long enough to fill rungs and reach the targets (fast-check's default
    // size would keep arrays short).
    minLength: 300,
    maxLength: 600,
  })
  .map((steps) => {
    const rows: CandleRow[] = []
    let cents = 10_000
    const fmt = (c: number) => new Big(c).div(100).toFixed()
    steps.forEach(([move, up, down], i) => {
      const open = cents
      cents = Math.max(1_000, cents + move)
      rows.push({
        openTime: i * 60_000,
        open: fmt(open),
        high: fmt(Math.max(open, cents) + up),
        low: fmt(Math.min(open, cents) - down),
        close: fmt(cents),
        volume: '1',
      })
    })
    return rows
  })

/** Multi-step take profits within a walk's reach. */
const TWO_STEPS = [
  { share: '0.5', profitPercent: '0.25' },
  { share: '0.5', profitPercent: '0.5' },
]
const FOUR_STEPS = [
  { share: '0.4', profitPercent: '0.1' },
  { share: '0.3', profitPercent: '0.2' },
  { share: '0.2', profitPercent: '0.3' },
  { share: '0.1', profitPercent: '0.6' },
]

const configArb: fc.Arbitrary<LadderConfig> = fc
  .record({
    orderCount: fc.integer({ min: 1, max: 6 }),
    takeProfitPercentage: fc.constantFrom('0.25', '0.5', '1'),
    maxDropPercentage: fc.constantFrom('2', '5', '10'),
    takeProfitOrder: fc.constantFrom('market' as const, 'limit' as const),
    stopLossPercentage: fc.constantFrom(false as const, '4'),
    trailingTakeProfitPercentage: fc.constantFrom(false as const, '0.2'),
    coolDownMinutes: fc.constantFrom(0, 3),
    noFillRestartMinutes: fc.constantFrom(1, 5),
    takeProfitSteps: fc.constantFrom(false as const, TWO_STEPS, FOUR_STEPS),
  })
  .map((o) => ({ ...DEFAULT_LADDER_CONFIG, totalAmount: '500', ...o }))

/** Configs whose targets and stops sit within a fine walk's reach. */
const fineConfigArb: fc.Arbitrary<LadderConfig> = fc
  .record({
    orderCount: fc.integer({ min: 1, max: 4 }),
    takeProfitPercentage: fc.constantFrom('0.1', '0.25'),
    maxDropPercentage: fc.constantFrom('0.5', '1', '2'),
    takeProfitOrder: fc.constantFrom('market' as const, 'limit' as const),
    stopLossPercentage: fc.constantFrom(false as const, '0.3', '1'),
    trailingTakeProfitPercentage: fc.constantFrom(
      false as const,
      '0.01',
      '0.05',
      '0.1',
    ),
    coolDownMinutes: fc.constantFrom(0, 3),
    noFillRestartMinutes: fc.constantFrom(1, 5),
    takeProfitSteps: fc.constantFrom(false as const, TWO_STEPS, FOUR_STEPS),
  })
  .map((o) => ({ ...DEFAULT_LADDER_CONFIG, totalAmount: '500', ...o }))

/**
 * Every option of LadderConfig, each over its off value and values a walk
 * reaches (the trigger band's property must hold for every combination;
 * an option added to the config belongs here).
 */
const everyOptionArb: fc.Arbitrary<LadderConfig> = fc
  .record({
    orderCount: fc.integer({ min: 1, max: 5 }),
    incrementPercentage: fc.constantFrom('0', '50'),
    takeProfitPercentage: fc.constantFrom('0.1', '0.25', '1'),
    maxDropPercentage: fc.constantFrom('0.5', '2', '5'),
    restartAfterTakeProfit: fc.boolean(),
    autoRestartNoFill: fc.boolean(),
    noFillRestartMinutes: fc.constantFrom(1, 5),
    stepScale: fc.constantFrom('1', '1.5'),
    firstRungOffsetPercentage: fc.constantFrom('0', '0.2'),
    feeAwareTakeProfit: fc.boolean(),
    takeProfitOrder: fc.constantFrom('market' as const, 'limit' as const),
    postOnly: fc.boolean(),
    trailingTakeProfitPercentage: fc.constantFrom(
      false as const,
      '0.01',
      '0.1',
    ),
    stopLossPercentage: fc.constantFrom(false as const, '0.3', '2'),
    coolDownMinutes: fc.constantFrom(0, 3),
    maxCycles: fc.constantFrom(false as const, 2),
    // The price band around the walks' start at 100.
    minPrice: fc.constantFrom(false as const, '97', '99.5'),
    maxPrice: fc.constantFrom(false as const, '100.5', '103'),
    // Rolling rungs (capped at orderCount below).
    activeOrderCount: fc.constantFrom(false as const, 1, 2),
    takeProfitSteps: fc.constantFrom(false as const, TWO_STEPS, FOUR_STEPS),
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

describe('runBacktest (properties)', () => {
  test.prop([walkArb, configArb, fc.constantFrom('0', '0.1')], { numRuns: 80 })(
    'behavior: consistent with its trade list, no warnings, deterministic',
    (candles, config, fee) => {
      const fees = { makerPercentage: fee, takerPercentage: fee }
      const report = runBacktest({ candles, config, market: MARKET, fees })
      expect(report.warnings).toEqual([])
      expect(runBacktest({ candles, config, market: MARKET, fees })).toEqual(
        report,
      )
      const sold = new Map<number, Big>()
      let fees_ = new Big(0)
      let held = new Big(0)
      for (const t of report.trades) {
        fees_ = fees_.plus(t.fee)
        held = t.side === 'buy' ? held.plus(t.quantity) : held.minus(t.quantity)
        // No sell larger than the position (partial exits included).
        expect(held.gte(0)).toBe(true)
        if (t.side === 'sell') sold.set(t.cycle, new Big(0))
      }
      // A cycle still running at the end may have sold some steps already:
      // its trades are not realised.
      const lastCycle = report.trades.at(-1)?.cycle
      if (
        lastCycle !== undefined &&
        (report.finalStatus === 'inPosition' ||
          report.finalStatus === 'exiting')
      )
        sold.delete(lastCycle)
      let realised = new Big(0)
      for (const t of report.trades) {
        if (!sold.has(t.cycle)) continue
        const value = new Big(t.price).times(t.quantity)
        realised = realised
          .plus(t.side === 'sell' ? value : value.neg())
          .minus(t.fee)
      }
      expect(realised.toFixed()).toBe(report.realisedProfit)
      expect(fees_.toFixed()).toBe(report.fees)
      expect(held.toFixed()).toBe(report.openPositionQty)
      expect(report.fills).toBe(
        report.trades.filter((t) => t.side === 'buy').length,
      )
      expect(new Big(report.maxDrawdown).gte(0)).toBe(true)
      expect(new Big(report.peakCapital).lte(config.totalAmount)).toBe(true)
    },
  )

  test.prop(
    [
      fc.oneof(
        fc.tuple(walkArb, configArb),
        fc.tuple(fineWalkArb, fineConfigArb),
      ),
      fc.constantFrom('0', '0.1'),
      // Ticks coarser than, equal to and finer than the candles' cents.
      fc.constantFrom('0.1', '0.01', '0.001'),
    ],
    { numRuns: 150 },
  )(
    'behavior: skipping the prices the machine ignores gives the same report as feeding every price',
    ([candles, config], fee, tickSize) => {
      const options = {
        candles,
        config,
        market: { ...MARKET, tickSize },
        fees: { makerPercentage: fee, takerPercentage: fee },
      }
      expect(backtest(options, 'candles')).toEqual(
        backtest(options, 'everyPrice'),
      )
    },
  )

  test.prop(
    [
      fc.oneof(walkArb, fineWalkArb),
      everyOptionArb,
      fc.constantFrom('0', '0.1'),
      fc.constantFrom('0.1', '0.01', '0.001'),
    ],
    { numRuns: 150 },
  )(
    'behavior: for every option combination, skipping by triggerBand gives the report of feeding every price',
    (candles, config, fee, tickSize) => {
      const options = {
        candles,
        config,
        market: { ...MARKET, tickSize },
        fees: { makerPercentage: fee, takerPercentage: fee },
      }
      // A combination where no rung fits at the first close (a price band
      // just under it) throws the same either way.
      const outcome = (path: 'candles' | 'everyPrice') => {
        try {
          return backtest(options, path)
        } catch (error) {
          return { error: (error as Error).message }
        }
      }
      expect(outcome('candles')).toEqual(outcome('everyPrice'))
    },
  )

  test.prop(
    [
      fc.oneof(
        fc.tuple(walkArb, configArb),
        fc.tuple(fineWalkArb, fineConfigArb),
      ),
      fc.integer({ min: 1, max: 6 }),
      fc.constantFrom('0', '0.1'),
    ],
    { numRuns: 120 },
  )(
    'behavior: rolling rungs follow the full ladder (same report, less capital locked)',
    ([candles, config], k, fee) => {
      const options = (activeOrderCount: number | false) => ({
        candles,
        config: { ...config, activeOrderCount },
        market: MARKET,
        fees: { makerPercentage: fee, takerPercentage: fee },
      })
      const full = runBacktest(options(false))
      const rolling = runBacktest(options(Math.min(k, config.orderCount)))
      expect(rolling.warnings).toEqual([])
      const { peakCapital: p1, trades: t1, ...rest1 } = full
      const { peakCapital: p2, trades: t2, ...rest2 } = rolling
      // The same fills at the same prices in the same order (a limit take
      // profit may be split into sells differently: the buys and each
      // cycle's sold total are compared).
      const buys = (t: typeof t1) => t.filter((x) => x.side === 'buy')
      expect(buys(t2)).toEqual(buys(t1))
      if (config.takeProfitOrder === 'market') {
        expect(t2).toEqual(t1)
        expect(rest2).toEqual(rest1)
      } else {
        expect(rest2.cycles).toBe(rest1.cycles)
        expect(rest2.openPositionQty).toBe(rest1.openPositionQty)
        if (fee === '0') expect(rest2).toEqual(rest1)
      }
      expect(new Big(p2).lte(p1)).toBe(true)
    },
  )
})
