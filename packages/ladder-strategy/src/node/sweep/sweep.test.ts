import { describe, expect, test } from 'vitest'
import { zigzag } from '../../../test/fixtures.js'
import { candlesFromRows } from '../../candles/csv.js'
import { DEFAULT_LADDER_CONFIG } from '../../config.js'
import { LadderConfigError } from '../../errors.js'
import type { LadderMarket } from '../../types.js'
import { sweep } from './sweep.js'

const MARKET: LadderMarket = {
  symbol: 'BTC_USDC',
  tickSize: '0.01',
  stepSize: '0.00001',
  minQuantity: '0.00001',
}

const candles = candlesFromRows(zigzag(3000))
const base = { ...DEFAULT_LADDER_CONFIG, totalAmount: '1000' }
const grid = {
  takeProfitPercentage: ['0.1', '0.25', '0.5'],
  orderCount: [2, 4],
} as const

describe('sweep', () => {
  test('default: worker threads started from the sources give the in-process result', async () => {
    const progress: number[] = []
    const inline = await sweep({
      candles,
      config: base,
      market: MARKET,
      grid,
      workers: 0,
    })
    const threaded = await sweep({
      candles,
      config: base,
      market: MARKET,
      grid,
      workers: 2,
      onProgress: ({ done, total }) => {
        expect(total).toBe(6)
        progress.push(done)
      },
    })
    expect(threaded).toEqual(inline)
    expect(progress).toEqual([1, 2, 3, 4, 5, 6])
    expect(inline.map((r) => r.rank)).toEqual([1, 2, 3, 4, 5, 6])
    // ranked best first by total profit
    for (let i = 1; i < inline.length; i++) {
      const a = Number((inline[i - 1] as (typeof inline)[0]).metric)
      const b = Number((inline[i] as (typeof inline)[0]).metric)
      expect(a).toBeGreaterThanOrEqual(b)
    }
    expect(
      inline
        .map((r) => r.params)
        .sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y))),
    ).toHaveLength(6)
  })

  test('args: metric cycles', async () => {
    const ranked = await sweep({
      candles,
      config: base,
      market: MARKET,
      grid,
      workers: 0,
      metric: 'cycles',
    })
    expect(ranked[0]?.metric).toBe(
      String(Math.max(...ranked.map((r) => r.report.cycles))),
    )
  })

  test('error: every invalid set is listed before anything runs', async () => {
    await expect(
      sweep({
        candles,
        config: base,
        market: MARKET,
        grid: { orderCount: [0, 3, 501] },
        workers: 0,
      }),
    ).rejects.toThrowErrorMatchingInlineSnapshot(`
      [LadderConfigError: Some parameter sets of the sweep are not valid.
      - grid set 0 ({"orderCount":0}): orderCount: must be an integer >= 1 and <= 500, got 0
      - grid set 2 ({"orderCount":501}): orderCount: must be an integer >= 1 and <= 500, got 501]
    `)
    await expect(
      sweep({ candles, config: base, market: MARKET, grid: {} }),
    ).rejects.toThrow(LadderConfigError)
  })
})
