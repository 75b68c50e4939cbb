import {
  DEFAULT_LADDER_CONFIG,
  type LadderConfig,
  runBacktest,
} from '@rung/ladder-strategy'
import { describe, expect, test } from 'vitest'
import { reportRows } from './backtest.js'

const market = {
  symbol: 'BTC_USDC',
  tickSize: '1',
  stepSize: '0.001',
  minQuantity: '0.001',
}
const row = (i: number, o: string, h: string, l: string, c: string) => ({
  openTime: i * 60_000,
  open: o,
  high: h,
  low: l,
  close: c,
  volume: '1',
})
const candles = [
  row(0, '100', '100', '100', '100'),
  row(1, '100', '100', '99', '100'),
  row(2, '100', '102', '100', '101'),
  row(3, '101', '104', '101', '103'),
]
const fees = { makerPercentage: '0.1', takerPercentage: '0.2' }
const series = { first: 0, last: 180_000 }

describe('reportRows', () => {
  test('behavior: a multi-step take profit adds a row per step', () => {
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
    const rows = reportRows(
      runBacktest({ candles, config, market, fees }),
      series,
      fees,
    )
    expect(rows.filter(([label]) => label.startsWith('take-profit'))).toEqual([
      ['take-profit step 1', '1 sell, 0.6 for 60.60'],
      ['take-profit step 2', '1 sell, 0.4 for 41.20'],
    ])
    expect(rows.find(([label]) => label === 'realised profit')?.[1]).toBe(
      '1.60',
    )
  })
  test('default: no step rows without takeProfitSteps', () => {
    const rows = reportRows(
      runBacktest({
        candles,
        config: {
          ...DEFAULT_LADDER_CONFIG,
          orderCount: 1,
          maxDropPercentage: '0',
          totalAmount: '100',
        },
        market,
        fees,
      }),
      series,
      fees,
    )
    expect(rows.some(([label]) => label.startsWith('take-profit'))).toBe(false)
  })
})
