import Big from 'big.js'
import { describe, expect, test } from 'vitest'
import { BTC_MARKET, HAS_REAL_DATA, REAL_DATA } from '../test/fixtures.js'
import { backtest, runBacktest } from './backtest.js'
import { type CandleRow, sliceCandles } from './candles/series.js'
import { DEFAULT_LADDER_CONFIG } from './config.js'
import { readCandlesCsv } from './node/readCandlesCsv.js'
import type { LadderConfig, LadderMarket } from './types.js'

const MARKET: LadderMarket = {
  symbol: 'BTC_USDC',
  tickSize: '1',
  stepSize: '0.001',
  minQuantity: '0.001',
}
/** Two rungs 10 % apart, amounts 100 and 200 (r = 2), take profit at +1 %. */
const CONFIG: LadderConfig = {
  ...DEFAULT_LADDER_CONFIG,
  orderCount: 2,
  maxDropPercentage: '10',
  totalAmount: '300',
  incrementPercentage: '100',
  takeProfitPercentage: '1',
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
/**
 * Worked by hand (model v1):
 * c0 close 100: ladder 1.000 @ 100 and 2.222 @ 90 (200/90 = 2.2222 -> 2.222).
 * c1 (h 101, l 99): no position yet at the start of c1, so no take profit;
 *    rung 0 fills at 100 (100 >= 99). Position 1 @ 100, target 101.
 * c2 (h 100.5, l 95): 100.5 < 101; rung 1 at 90 < 95: nothing. Close 99:
 *    equity 1 x 99 - 100 = -1.
 * c3 (h 101): take profit, 1 @ 101: profit 1. New ladder at close 100.5:
 *    floor(100.5) = 100 (1.000), floor(90.45) = 90 (2.222).
 * c4 (l 89): both fill, highest first: cost 100 + 199.98 = 299.98 for
 *    3.222, average 93.1036..., target x 1.01 = 94.0347... -> 95 (UP to the tick).
 *    Close 92: equity 1 + 3.222 x 92 - 299.98 = -2.556; peak so far 1,
 *    so the drawdown is 3.556.
 * c5 (h 94): below 95, nothing.
 * c6 (h 96): take profit, 3.222 @ 95 = 306.09: profit 6.11. New ladder at 96.
 * c7 (l 96.5 > 96): nothing fills; 1 minute after placement: no-fill
 *    restart at its close 97.
 * Totals: 2 cycles, 3 fills, realised 7.11, 1 no-fill restart, flat,
 * max drawdown 3.556, peak capital 299.98 (resting bids, then the position).
 */
const CANDLES = [
  row(0, '100', '100', '100', '100'),
  row(1, '100', '101', '99', '100'),
  row(2, '100', '100.5', '95', '99'),
  row(3, '99', '101', '99', '100.5'),
  row(4, '100.5', '101', '89', '92'),
  row(5, '92', '94', '92', '93.5'),
  row(6, '93.5', '96', '93', '96'),
  row(7, '96.5', '97', '96.5', '97'),
]

describe('runBacktest', () => {
  test('default: a hand-checked run over synthetic candles', () => {
    const report = runBacktest({
      candles: CANDLES,
      config: CONFIG,
      market: MARKET,
    })
    expect({
      ...report,
      equity: undefined,
      trades: undefined,
    }).toMatchInlineSnapshot(`
      {
        "candles": 8,
        "cycles": 2,
        "equity": undefined,
        "fees": "0",
        "fills": 3,
        "finalStatus": "laddering",
        "maxDrawdown": "3.556",
        "noFillRestarts": 1,
        "openPositionQty": "0",
        "openPositionValue": "0",
        "peakCapital": "299.98",
        "realisedProfit": "7.11",
        "stopLosses": 0,
        "stopReason": null,
        "trades": undefined,
        "unrealisedProfit": "0",
        "warnings": [],
      }
    `)
    expect(
      report.trades.map((t) => `${t.side} ${t.quantity} @ ${t.price}`),
    ).toEqual([
      'buy 1 @ 100',
      'sell 1 @ 101',
      'buy 1 @ 100',
      'buy 2.222 @ 90',
      'sell 3.222 @ 95',
    ])
  })

  test('args: fees (maker 0.1 %) are charged on every fill, rounded UP', () => {
    const report = runBacktest({
      candles: CANDLES,
      config: CONFIG,
      market: MARKET,
      fees: { makerPercentage: '0.1' },
    })
    // cycle 1: 0.1 + 0.101 = 0.201 -> profit 0.799
    // cycle 2: 0.1 + 0.19998 + 0.30609 = 0.60607 -> profit 5.50393
    expect(report.fees).toBe('0.80707')
    expect(report.realisedProfit).toBe('6.30293')
  })

  test('args: restartAfterTakeProfit off stops after the first cycle', () => {
    const report = runBacktest({
      candles: CANDLES,
      config: { ...CONFIG, restartAfterTakeProfit: false },
      market: MARKET,
    })
    expect(report).toMatchObject({
      cycles: 1,
      fills: 1,
      finalStatus: 'stopped',
      stopReason: 'takeProfitNoRestart',
    })
  })

  test('args: a resting limit take-profit fills at its price', () => {
    const report = runBacktest({
      candles: CANDLES,
      config: { ...CONFIG, takeProfitOrder: 'limit' },
      market: MARKET,
    })
    expect(report.realisedProfit).toBe('7.11')
    expect(report.cycles).toBe(2)
  })

  test('behavior: equity curve downsampling keeps the lows', () => {
    const report = runBacktest({
      candles: CANDLES,
      config: CONFIG,
      market: MARKET,
      equityPoints: 3,
    })
    expect(report.equity).toMatchInlineSnapshot(`
      [
        {
          "equity": "-1",
          "low": "-1",
          "time": 180000,
        },
        {
          "equity": "2.277",
          "low": "-2.556",
          "time": 360000,
        },
        {
          "equity": "7.11",
          "low": "7.11",
          "time": 480000,
        },
      ]
    `)
  })

  test('error: no rung fits at the first close', () => {
    expect(() =>
      runBacktest({
        candles: CANDLES,
        config: { ...CONFIG, totalAmount: '5' },
        market: MARKET,
      }),
    ).toThrowErrorMatchingInlineSnapshot(`
      [LadderConfigError: No rung fits at the first candle.
      - candles[0].close: no rung of the ladder can be placed at this price; see planLadder for the reasons, got "100"]
    `)
  })

  test('error: equityPoints must be an integer >= 1', () => {
    for (const equityPoints of [0, 2.5, Number.NaN])
      expect(() =>
        runBacktest({
          candles: CANDLES,
          config: CONFIG,
          market: MARKET,
          equityPoints,
        }),
      ).toThrow(`- equityPoints: must be an integer >= 1, got ${equityPoints}`)
  })

  test.skipIf(!HAS_REAL_DATA)(
    'behavior: a day of the real file (BTCUSDT, 2024-01-01)',
    async () => {
      const day = sliceCandles(await readCandlesCsv(REAL_DATA), 0, 1440)
      const report = runBacktest({
        candles: day,
        config: DEFAULT_LADDER_CONFIG,
        market: BTC_MARKET,
        fees: { makerPercentage: '0.08', takerPercentage: '0.1' },
      })
      expect({
        ...report,
        equity: report.equity.length,
        trades: report.trades.length,
      }).toMatchInlineSnapshot(`
      {
        "candles": 1440,
        "cycles": 18,
        "equity": 480,
        "fees": "1.294758501",
        "fills": 20,
        "finalStatus": "inPosition",
        "maxDrawdown": "0.691826034",
        "noFillRestarts": 0,
        "openPositionQty": "0.00091",
        "openPositionValue": "40.2033905",
        "peakCapital": "1998.6788063",
        "realisedProfit": "0.707866792",
        "stopLosses": 0,
        "stopReason": null,
        "trades": 38,
        "unrealisedProfit": "-0.005241593",
        "warnings": [],
      }
    `)
      // Cross-check from the trade list, independently, with big.js:
      // realised = sum over completed cycles of sells - buys - fees.
      expect(report.trades.filter((t) => t.side === 'sell').length).toBe(
        report.cycles,
      )
      const sold = new Set(
        report.trades.filter((t) => t.side === 'sell').map((t) => t.cycle),
      )
      let realised = new Big(0)
      let fees = new Big(0)
      for (const t of report.trades) {
        const value = new Big(t.price).times(t.quantity)
        fees = fees.plus(t.fee)
        if (!sold.has(t.cycle)) continue
        realised = realised
          .plus(t.side === 'sell' ? value : value.neg())
          .minus(t.fee)
      }
      expect(realised.toFixed()).toBe(report.realisedProfit)
      expect(fees.toFixed()).toBe(report.fees)
    },
  )
})

describe('runBacktest (quiet prices)', () => {
  test('behavior: a high one tick above the trailing peak still raises the trailing stop', () => {
    // One rung at 100 fills in candle 1; target 100.1. Candle 2 arms the
    // trailing stop at peak 100.2 (stop 100.2 x 0.9995 = 100.1499 -> 100.14);
    // candle 3's high 100.21 is one tick above the peak: the stop moves to
    // 100.21 x 0.9995 = 100.159895 -> 100.15; candle 4 falls through it.
    const row = (
      i: number,
      open: string,
      high: string,
      low: string,
      close: string,
    ): CandleRow => ({
      openTime: i * 60_000,
      open,
      high,
      low,
      close,
      volume: '1',
    })
    const options = {
      candles: [
        row(0, '100', '100', '100', '100'),
        row(1, '100', '100', '99.99', '100'),
        row(2, '100.17', '100.2', '100.16', '100.18'),
        row(3, '100.18', '100.21', '100.17', '100.19'),
        row(4, '100.17', '100.18', '100.1', '100.12'),
      ],
      config: {
        ...DEFAULT_LADDER_CONFIG,
        totalAmount: '500',
        orderCount: 1,
        takeProfitPercentage: '0.1',
        maxDropPercentage: '1',
        takeProfitOrder: 'market' as const,
        trailingTakeProfitPercentage: '0.05',
      },
      market: {
        symbol: 'BTC_USDC',
        tickSize: '0.01',
        stepSize: '0.001',
        minQuantity: '0.001',
      },
    }
    const report = runBacktest(options)
    expect(report.trades.map((t) => [t.side, t.price])).toEqual([
      ['buy', '100'],
      ['sell', '100.15'],
    ])
    expect(report).toEqual(backtest(options, 'everyPrice'))
    expect(report).toEqual(backtest(options, 'candles'))
  })
})

describe('runBacktest (model v2: price band)', () => {
  /**
   * Worked by hand (MARKET: tick 1, step 0.001; CONFIG: 2 rungs 10 % apart,
   * 100 and 200 USDC, take profit +1 %), with minPrice 90 and maxPrice 99:
   * c0 close 100 > 99: no ladder, the machine waits (logs it once).
   * c1 close 98: inside, the ladder at 98: rung 0 98 x 1.020 (100/98 =
   *    1.0204 -> 1.020); rung 1 at floor(88.2) = 88 < 90 is not placed.
   *    Peak capital 98 x 1.020 = 99.96.
   * c2 (l 97.5): rung 0 fills, cost 99.96; target 98 x 1.01 = 98.98 -> 99.
   * c3 (h 100): take profit 1.020 @ 99 = 100.98, profit 1.02; close 100 is
   *    above the band again: the machine waits.
   * c4 close 99 (= maxPrice, inside): the ladder at 99: 99 x 1.010
   *    (100/99 = 1.0101 -> 1.010) = 99.99, the new peak capital; rung 1 at
   *    floor(89.1) = 89 is below 90.
   */
  test('behavior: a hand-checked run waits outside the band and drops rungs below minPrice', () => {
    const report = runBacktest({
      candles: [
        row(0, '100', '100', '100', '100'),
        row(1, '100', '101', '97', '98'),
        row(2, '98', '99', '97.5', '98.5'),
        row(3, '98.5', '100', '98', '100'),
        row(4, '100', '100', '99', '99'),
      ],
      config: { ...CONFIG, minPrice: '90', maxPrice: '99' },
      market: MARKET,
    })
    expect(report).toMatchObject({
      cycles: 1,
      fills: 1,
      noFillRestarts: 0,
      realisedProfit: '1.02',
      openPositionQty: '0',
      peakCapital: '99.99',
      maxDrawdown: '0',
      finalStatus: 'laddering',
      warnings: [],
    })
    expect(report.trades.map((t) => [t.side, t.price, t.quantity])).toEqual([
      ['buy', '98', '1.02'],
      ['sell', '99', '1.02'],
    ])
  })
})
