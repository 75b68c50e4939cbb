/**
 * The candle range index the event-driven backtest jumps with: its build
 * time and memory over six months of 1m candles, and how fast it finds the
 * next candle leaving a price band, beside a walk over every candle that
 * answers the same questions (the walking backtest's cost floor).
 *
 * Workload: from a start every 997 candles, the first candle whose low or
 * high leaves a band of +-B% around that start's close (B = 1, 3, 10: a
 * take-profit a rung away, a wide ladder, a rare stop), to the end of the
 * series. The rate is candles covered per second ("effective" candles/s:
 * what a backtest skipping those candles would walk).
 */
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { buildRangeIndex } from '../packages/ladder-strategy/src/candles/rangeIndex.js'
import { readCandlesCsv } from '../packages/ladder-strategy/src/node/readCandlesCsv.js'
import { compare } from './harness.js'

const DATA = fileURLToPath(
  new URL('../../shared/data/btcusdt-1m-2024H1.csv.gz', import.meta.url),
)

export default async function rangeIndexBench(): Promise<void> {
  if (!existsSync(DATA)) {
    console.log(`skipped: ${DATA} is absent`)
    return
  }
  const series = await readCandlesCsv(DATA)
  const { length: n, low, high, close } = series
  const t0 = performance.now()
  const index = buildRangeIndex(series)
  const buildMs = performance.now() - t0
  let builds = 0
  const t1 = performance.now()
  while (performance.now() - t1 < 1000) {
    buildRangeIndex(series)
    builds++
  }
  const perBuild = (performance.now() - t1) / builds
  console.log(
    `range index: build ${perBuild.toFixed(2)} ms (first ${buildMs.toFixed(1)} ms), ${(index.bytes / 1024).toFixed(0)} KiB for ${n} candles (${(index.bytes / n).toFixed(2)} bytes/candle; the candles take 48)`,
  )

  const queries: { from: number; lo: number; hi: number }[] = []
  for (const pct of [1, 3, 10])
    for (let from = 0; from < n; from += 997) {
      const c = close[from] as number
      queries.push({
        from,
        lo: Math.floor((c * (100 - pct)) / 100),
        hi: Math.ceil((c * (100 + pct)) / 100),
      })
    }
  const walk = () => {
    let covered = 0
    for (const q of queries) {
      let c = q.from
      while (c < n && (low[c] as number) > q.lo && (high[c] as number) < q.hi)
        c++
      covered += c - q.from + (c < n ? 1 : 0)
    }
    return covered
  }
  const covered = walk()
  const jump = () => {
    let sum = 0
    for (const q of queries) {
      const c = index.firstOutside(q.from, n, q.lo, q.hi)
      sum += c - q.from + (c < n ? 1 : 0)
    }
    if (sum !== covered) throw new Error('the index and the walk disagree')
    return sum
  }
  jump()
  await compare({
    title: `range index: next candle leaving a band (${queries.length} queries, ${covered.toLocaleString('en-US')} candles covered)`,
    unit: 'candles/s (effective)',
    timeMs: 2000,
    baseline: {
      name: 'walk every candle (low/high compare)',
      fn: walk,
      units: covered,
    },
    cases: [
      { name: 'CandleRangeIndex.firstOutside', fn: jump, units: covered },
    ],
  })
}
