import type { BacktestReport, Trade } from '@rung/ladder-strategy'
import { describe, expect, test } from 'vitest'
import {
  backtestStats,
  candleMinutes,
  durationWords,
  inlineJson,
  scaledToDecimal,
} from './backtestReport.js'

const t = (
  cycle: number,
  side: 'buy' | 'sell',
  time: string,
  price: string,
  quantity = '1',
  fee = '0',
): Trade => ({
  cycle,
  side,
  time: Date.parse(time),
  price,
  quantity,
  fee,
  clientId: 0,
})

const report = (trades: Trade[]) =>
  ({
    cycles: 2,
    realisedProfit: '7.125',
    unrealisedProfit: '-1.005',
    fees: '0.5',
    maxDrawdown: '3',
    peakCapital: '200',
    trades,
  }) as unknown as BacktestReport

describe('backtestStats', () => {
  test('behavior: win rate, P&L per month and the longest time in a position come from the fills', () => {
    const stats = backtestStats(
      report([
        // cycle 1: +10 - 0.5 fees, January, 2 h in position
        t(1, 'buy', '2024-01-31T22:00:00Z', '100', '1', '0.2'),
        t(1, 'sell', '2024-02-01T00:00:00Z', '110', '1', '0.3'),
        // cycle 2: -2, February, 30 min
        t(2, 'buy', '2024-02-02T00:00:00Z', '100'),
        t(2, 'sell', '2024-02-02T00:30:00Z', '98'),
        // cycle 3: still open at the end (3 d)
        t(3, 'buy', '2024-02-03T00:00:00Z', '90'),
      ]),
      Date.parse('2024-02-06T00:00:00Z'),
    )
    expect(stats).toMatchObject({
      fills: 5,
      buys: 3,
      sells: 2,
      winRate: '50.0 %',
      realisedProfit: '7.13',
      unrealisedProfit: '-1.01',
      monthly: [{ month: '2024-02', profit: '7.50', cycles: 2 }],
      longestInPosition: '3 d',
    })
  })

  test('behavior: no completed cycle, no win rate', () => {
    expect(backtestStats(report([]), 0)).toMatchObject({
      winRate: '-',
      monthly: [],
      longestInPosition: '-',
    })
  })
})

describe('scaledToDecimal', () => {
  test("behavior: the candle file's scaled integers become exact decimal strings", () => {
    expect(scaledToDecimal(39005, 2)).toBe('390.05')
    expect(scaledToDecimal(6000000, 2)).toBe('60000')
    expect(scaledToDecimal(5, 3)).toBe('0.005')
    expect(scaledToDecimal(-150, 2)).toBe('-1.5')
    expect(scaledToDecimal(42, 0)).toBe('42')
  })
})

describe('candleMinutes', () => {
  test('behavior: long series get wider candles, at most 3000 of them', () => {
    expect(candleMinutes(600)).toBe(1)
    expect(candleMinutes(3001)).toBe(5)
    expect(candleMinutes(6 * 30 * 1440)).toBe(240)
  })
})

describe('durationWords', () => {
  test('behavior: days, hours and minutes', () => {
    expect(durationWords(0)).toBe('0 min')
    expect(durationWords(90 * 60_000)).toBe('1 h 30 min')
    expect(durationWords(3 * 86_400_000 + 60_000)).toBe('3 d 1 min')
  })
})

describe('inlineJson', () => {
  test('behavior: no </script> can end the inline data', () => {
    expect(inlineJson({ a: '</script><b>' })).toBe(
      '{"a":"\\u003c/script>\\u003cb>"}',
    )
  })
})
