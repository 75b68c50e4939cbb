import { describe, expect, test } from 'vitest'
import { zigzag } from '../../../test/fixtures.js'
import { runBacktest } from '../../backtest.js'
import { candlesFromRows } from '../../candles/csv.js'
import { DEFAULT_LADDER_CONFIG } from '../../config.js'
import { LadderConfigError } from '../../errors.js'
import type { LadderMarket } from '../../types.js'
import { planSweep, rankSweep } from './plan.js'
import { sweep } from './sweep.js'

const MARKET: LadderMarket = {
  symbol: 'BTC_USDC',
  tickSize: '0.01',
  stepSize: '0.00001',
  minQuantity: '0.00001',
}
const candles = candlesFromRows(zigzag(2000))
const options = {
  config: { ...DEFAULT_LADDER_CONFIG, totalAmount: '1000' },
  market: MARKET,
  grid: { takeProfitPercentage: ['0.1', '0.25', '0.5'], orderCount: [2, 4] },
}

describe('planSweep', () => {
  test('behavior: planned sets run elsewhere and ranked by rankSweep give the ranking of sweep', async () => {
    const plan = planSweep(options)
    expect(plan.sets).toHaveLength(6)
    expect(plan.sets[1]).toEqual({ takeProfitPercentage: '0.1', orderCount: 4 })
    expect(plan.configs[1]).toMatchObject({
      takeProfitPercentage: '0.1',
      orderCount: 4,
    })
    const reports = plan.configs.map((config) =>
      runBacktest({
        candles,
        config,
        market: MARKET,
        trades: false,
        equityPoints: plan.equityPoints,
      }),
    )
    for (const metric of [
      'totalProfit',
      'cycles',
      'profitOverDrawdown',
    ] as const)
      expect(rankSweep(plan.sets, reports, metric)).toEqual(
        await sweep({ ...options, candles, metric, workers: 0 }),
      )
  })

  test('error: a bad set is refused before anything runs', () => {
    expect(() =>
      planSweep({ ...options, grid: { orderCount: [0, 4] } }),
    ).toThrow(LadderConfigError)
  })
})

describe('rankSweep', () => {
  test('behavior: ranks summaries best first, ties in grid order; a profit without drawdown ranks first', () => {
    const summary = (realisedProfit: string, maxDrawdown: string) => ({
      realisedProfit,
      unrealisedProfit: '0',
      maxDrawdown,
      cycles: 1,
    })
    const sets = [{ orderCount: 2 }, { orderCount: 4 }, { orderCount: 8 }]
    const reports = [summary('1', '2'), summary('3', '1'), summary('1', '0')]
    expect(rankSweep(sets, reports).map((r) => r.index)).toEqual([1, 0, 2])
    expect(
      rankSweep(sets, reports, 'profitOverDrawdown').map((r) => [
        r.index,
        r.metric,
      ]),
    ).toEqual([
      [2, 'Infinity'],
      [1, '3'],
      [0, '0.5'],
    ])
  })
})
