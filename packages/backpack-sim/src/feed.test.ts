import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { describe, expect, test } from 'vitest'
import { GeneratedPath, ReplayPath, readCandles } from './feed.js'
import { startSim } from './sim.js'

const SHARED = fileURLToPath(
  new URL('../../../../shared/data/btcusdt-1m-2024H1.csv.gz', import.meta.url),
)

function walk(seed: number, steps: number, dt = 0.2): number[] {
  const p = new GeneratedPath(65000, seed, 'BTC_USDC')
  return Array.from({ length: steps }, () => p.step(dt))
}

describe('GeneratedPath', () => {
  test('behavior: same seed, same path; another seed, another path', () => {
    expect(walk(7, 500)).toEqual(walk(7, 500))
    expect(walk(7, 500)).not.toEqual(walk(8, 500))
  })

  test('behavior: an 8-rung ladder over a 7% drop with 0.25% take profit completes a round trip within minutes', () => {
    // Classic ladder: rung 0 at the start price, rung 7 at -7%; success =
    // some rungs filled and the price then reached their average + 0.25%,
    // within 3 simulated minutes.
    let done = 0
    const seeds = 60
    for (let seed = 1; seed <= seeds; seed++) {
      const prices = walk(seed, 3 * 60 * 5)
      const rungs = Array.from(
        { length: 8 },
        (_, i) => 65000 * (1 - (0.07 * i) / 7),
      )
      const filled = new Set<number>()
      for (const x of prices) {
        rungs.forEach((r, i) => {
          if (x < r) filled.add(i)
        })
        const avg =
          [...filled].reduce((sum, i) => sum + rungs[i]!, 0) / filled.size
        if (filled.size > 0 && x >= avg * 1.0025) {
          done += 1
          break
        }
      }
    }
    expect(done / seeds).toBeGreaterThan(0.7)
  })

  test('behavior: a long run stays in a plausible range', () => {
    const prices = walk(3, 6 * 3600, 1)
    expect(Math.min(...prices)).toBeGreaterThan(65000 * 0.5)
    expect(Math.max(...prices)).toBeLessThan(65000 * 2)
  })
})

describe('readCandles', () => {
  test('args: plain and gzipped CSV', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rung-sim-'))
    const csv =
      'open_time,open,high,low,close,volume\n0,100,110,95,105,1\n60000,105,106,90,92,2\n'
    writeFileSync(join(dir, 'a.csv'), csv)
    writeFileSync(join(dir, 'a.csv.gz'), gzipSync(csv))
    const plain = readCandles(join(dir, 'a.csv'))
    expect(readCandles(join(dir, 'a.csv.gz'))).toEqual(plain)
    expect(plain).toEqual([
      { time: 0, open: 100, high: 110, low: 95, close: 105 },
      { time: 60000, open: 105, high: 106, low: 90, close: 92 },
    ])
    // Bullish candle: open, low, high, close; bearish: open, high, low, close.
    const path = new ReplayPath(plain, false)
    const seen = [path.price]
    for (let i = 0; i < 7; i++) seen.push(path.step(15))
    expect(seen).toEqual([100, 95, 110, 105, 105, 106, 90, 92])
    expect(path.ended).toBe(true)
    writeFileSync(join(dir, 'empty.csv'), 'open_time,open\n')
    expect(() => readCandles(join(dir, 'empty.csv'))).toThrow(
      'holds no candles',
    )
  })

  test('args: replay rescaled onto another market', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rung-sim-'))
    writeFileSync(
      join(dir, 'b.csv'),
      'open_time,open,high,low,close,volume\n0,60000,61000,59000,60500,1\n',
    )
    const sim = await startSim({
      feed: {
        mode: 'replay',
        file: join(dir, 'b.csv'),
        symbol: 'SOL_USDC',
        rescale: true,
      },
      depthHeartbeatMs: false,
    })
    try {
      expect(sim.fairPrice('SOL_USDC')).toBe('150.00')
    } finally {
      await sim.close()
    }
  })

  test.skipIf(!existsSync(SHARED))(
    'behavior: replays the shared BTCUSDT 2024H1 file onto BTC_USDC (skipped when ../shared/data is missing)',
    async () => {
      const candles = readCandles(SHARED)
      expect(candles.length).toBeGreaterThan(1000)
      const sim = await startSim({
        feed: {
          mode: 'replay',
          file: SHARED,
          symbol: 'BTC_USDC',
          speed: 600,
          tickMs: 20,
        },
        depthHeartbeatMs: false,
      })
      try {
        const first = Number(sim.fairPrice('BTC_USDC'))
        expect(Math.abs(first - candles[0]!.open)).toBeLessThan(1)
        await new Promise((r) => setTimeout(r, 300))
        const later = Number(sim.fairPrice('BTC_USDC'))
        expect(later).not.toBe(first)
        const lows = candles.slice(0, 10).map((c) => c.low)
        const highs = candles.slice(0, 10).map((c) => c.high)
        expect(later).toBeGreaterThanOrEqual(Math.min(...lows) - 0.1)
        expect(later).toBeLessThanOrEqual(Math.max(...highs) + 0.1)
      } finally {
        await sim.close()
      }
    },
  )
})
