import { describe, expect, test } from 'vitest'
import { niceTicks, renderEquitySvg } from './chart.js'

const labels = (svg: string, cls: string) =>
  [
    ...svg.matchAll(
      new RegExp(`<text class="${cls}"[^>]*>([^<]*)</text>`, 'g'),
    ),
  ].map((m) => m[1] ?? '')

describe('renderEquitySvg', () => {
  const day = 86_400_000
  const points = [0, 1, 2, 3, 4, 5, 6].map((i) => ({
    time: Date.UTC(2024, 0, 1) + i * day,
    equity: ['388.1', '389.7', '390.05', '391.2', '389.95', '392.4', '390.5'][
      i
    ] as string,
  }))

  test('behavior: the y axis has round, correctly rounded labels with gridlines, the x axis dates, the title what is plotted', () => {
    const svg = renderEquitySvg(
      points,
      'rung backtest: BTC_USDC x.csv (equity, quote)',
    )
    const y = labels(svg, 'y-tick')
    expect(y).toEqual(['388', '389', '390', '391', '392', '393'])
    expect(svg.match(/class="grid"/g)?.length).toBeGreaterThanOrEqual(
      y.length + 3,
    )
    expect(labels(svg, 'x-tick').length).toBeGreaterThanOrEqual(3)
    expect(labels(svg, 'x-tick')[0]).toBe('2024-01-01')
    expect(svg).toContain('equity (quote)')
    // The widest label fits left of the axis (7 px a character at 12 px).
    const left = Number(/<line class="axis" x1="([\d.]+)"/.exec(svg)?.[1])
    expect(left).toBeGreaterThanOrEqual(
      Math.max(...y.map((l) => l.length)) * 7 + 8,
    )
  })
})

describe('niceTicks', () => {
  test('behavior: steps of 1, 2 or 5 times a power of ten that cover the range, labels exact', () => {
    expect(niceTicks(0.013, 0.0571)).toEqual([
      '0.01',
      '0.02',
      '0.03',
      '0.04',
      '0.05',
      '0.06',
    ])
    expect(niceTicks(-12.3, 40.1)).toEqual([
      '-20',
      '-10',
      '0',
      '10',
      '20',
      '30',
      '40',
      '50',
    ])
    expect(niceTicks(390.05, 390.05)).toEqual(['390.05'])
    expect(niceTicks(99990, 100020)).toEqual([
      '99990',
      '99995',
      '100000',
      '100005',
      '100010',
      '100015',
      '100020',
    ])
  })
})
