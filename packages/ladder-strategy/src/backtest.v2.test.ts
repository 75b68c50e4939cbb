/**
 * Hand-computed runs of backtest model v2 (docs/strategy.md, "model v2"):
 * rolling rungs and multi-step take profit. Each case is worked out in its
 * comment and in the doc; the test checks the backtest agrees to the cent.
 */
import { describe, expect, test } from 'vitest'
import { backtest, runBacktest } from './backtest.js'
import type { CandleRow } from './candles/series.js'
import { DEFAULT_LADDER_CONFIG } from './config.js'
import type { LadderConfig, LadderMarket } from './types.js'

const MARKET: LadderMarket = {
  symbol: 'BTC_USDC',
  tickSize: '1',
  stepSize: '0.001',
  minQuantity: '0.001',
}
const row = (
  i: number,
  o: string,
  h: string,
  l: string,
  c: string,
): CandleRow => ({
  openTime: i * 60_000,
  open: o,
  high: h,
  low: l,
  close: c,
  volume: '1',
})

describe('runBacktest (model v2: rolling rungs)', () => {
  /**
   * Three rungs 100 / 95 / 90 of 100 USDC each (orderCount 3, drop 10 %,
   * increment 0), take profit +1 %, activeOrderCount 1:
   * c0 close 100: the ladder at 100; only rung 0 (100 x 1.000) rests:
   *    capital 100 (the full ladder: 100 + 95 x 1.052 + 90 x 1.111 = 299.93).
   * c1 (l 94): rung 0 fills; rung 1 (95 x 1.052 = 99.94) is placed and, the
   *    low being at or below it, fills in the same candle; rung 2
   *    (90 x 1.111 = 99.99) is placed. Cost 199.94 for 2.052, target
   *    199.94 / 2.052 x 1.01 = 98.41 -> 99 (UP to the tick). Capital
   *    199.94 + 99.99 = 299.93.
   * c2 (h 99): take profit 2.052 @ 99 = 203.148, profit 3.208; rung 2 is
   *    canceled; the next ladder at the close 98: rung 0 98 x 1.020 = 99.96.
   */
  const candles = [
    row(0, '100', '100', '100', '100'),
    row(1, '100', '100', '94', '96'),
    row(2, '96', '99', '96', '98'),
  ]
  const config: LadderConfig = {
    ...DEFAULT_LADDER_CONFIG,
    orderCount: 3,
    maxDropPercentage: '10',
    totalAmount: '300',
    incrementPercentage: '0',
    takeProfitPercentage: '1',
    activeOrderCount: 1,
  }

  test('behavior: a hand-checked run places the next rung as one fills, in the same candle', () => {
    const options = { candles, config, market: MARKET }
    const report = runBacktest(options)
    expect(report).toMatchObject({
      cycles: 1,
      fills: 2,
      realisedProfit: '3.208',
      openPositionQty: '0',
      peakCapital: '299.93',
      finalStatus: 'laddering',
      warnings: [],
    })
    expect(report.trades.map((t) => [t.side, t.price, t.quantity])).toEqual([
      ['buy', '100', '1'],
      ['buy', '95', '1.052'],
      ['sell', '99', '2.052'],
    ])
    // The full ladder's report (its capital peaks at 299.93 already at c0).
    const full = runBacktest({
      ...options,
      config: { ...config, activeOrderCount: false },
    })
    expect(report).toEqual(full)
    expect(report).toEqual(backtest(options, 'everyPrice'))
  })
})

describe('runBacktest (model v2: multi-step take profit)', () => {
  /**
   * One rung 100 x 1.000 (orderCount 1, 100 USDC), steps 60 % at +1 % and
   * 40 % at +3 %, fees maker 0.1 %, taker 0.2 %:
   * c0 close 100: the ladder at 100.
   * c1 (l 99): the rung fills: 100, fee 0.1. Targets 101 and 103.
   * c2 (h 102): step 1: 0.6 sold at 101 = 60.6 (a take profit: maker, fee
   *    0.0606); 102 < 103: the rest waits, at its average cost 100.
   * c3 (h 104): step 2, the last: 0.4 at 103 = 41.2 (fee 0.0412). Profit
   *    60.6 + 41.2 - 100 - (0.1 + 0.0606 + 0.0412) = 1.5982; the next
   *    ladder at the close 103.
   * Market mode (sells triggered at the high) and limit mode (resting sells
   * filled when the high reaches them) give the same report.
   */
  const candles = [
    row(0, '100', '100', '100', '100'),
    row(1, '100', '100', '99', '100'),
    row(2, '100', '102', '100', '101'),
    row(3, '101', '104', '101', '103'),
  ]
  const config: LadderConfig = {
    ...DEFAULT_LADDER_CONFIG,
    orderCount: 1,
    maxDropPercentage: '0',
    totalAmount: '100',
    takeProfitSteps: [
      { share: '0.6', profitPercent: '1' },
      { share: '0.4', profitPercent: '3' },
    ],
  }
  const fees = { makerPercentage: '0.1', takerPercentage: '0.2' }

  test.each(['market', 'limit'] as const)(
    'behavior: a hand-checked run sells each step at its target (%s)',
    (takeProfitOrder) => {
      const options = {
        candles,
        config: { ...config, takeProfitOrder },
        market: MARKET,
        fees,
      }
      const report = runBacktest(options)
      expect(report).toMatchObject({
        cycles: 1,
        fills: 1,
        realisedProfit: '1.5982',
        fees: '0.2018',
        openPositionQty: '0',
        peakCapital: '100',
        finalStatus: 'laddering',
        warnings: [],
        takeProfitSteps: [
          { step: 0, sells: 1, quantity: '0.6', proceeds: '60.6' },
          { step: 1, sells: 1, quantity: '0.4', proceeds: '41.2' },
        ],
      })
      expect(
        report.trades.map((t) => [t.time, t.side, t.price, t.quantity, t.step]),
      ).toEqual([
        [120_000, 'buy', '100', '1', undefined],
        [180_000, 'sell', '101', '0.6', 0],
        [240_000, 'sell', '103', '0.4', 1],
      ])
      expect(report).toEqual(backtest(options, 'everyPrice'))
    },
  )

  test('default: without takeProfitSteps the report has no step rows', () => {
    const report = runBacktest({
      candles,
      config: { ...config, takeProfitSteps: false },
      market: MARKET,
    })
    expect(report).not.toHaveProperty('takeProfitSteps')
    expect(report.trades.every((t) => !('step' in t))).toBe(true)
  })
})
