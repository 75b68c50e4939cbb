/**
 * @rung/ladder-strategy benchmarks (`npm run bench strategy`):
 * - CSV parse time of the six-month file, beside a bare gunzip + line split;
 * - backtest candles/s through `step`, beside a bare loop over the same candles;
 * - the no-op `step` path alone (a price update that crosses nothing);
 * - sweep wall time for 100 parameter sets, 1 worker vs all cores (speedup).
 * The data file is read from ../shared/data (relative to the repo root);
 * the benchmark is skipped when it is absent.
 */
import { existsSync, readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'
import { gunzipSync } from 'node:zlib'
import {
  DEFAULT_LADDER_CONFIG,
  initialState,
  type LadderEvent,
  parseCandlesCsv,
  readCandlesCsv,
  runBacktest,
  step,
  sweep,
} from '@rung/ladder-strategy'
// The internal entry with the quiet-price shortcut as a switch: the bench
// shows what the shortcut buys next to feeding every candle's price to step.
import { backtest } from '../packages/ladder-strategy/src/backtest.js'
import { compare } from './harness.js'

const DATA = fileURLToPath(
  new URL('../../shared/data/btcusdt-1m-2024H1.csv.gz', import.meta.url),
)
const MARKET = {
  symbol: 'BTC_USDC',
  tickSize: '0.01',
  stepSize: '0.00001',
  minQuantity: '0.00001',
}

export default async function strategyBench(): Promise<void> {
  if (!existsSync(DATA)) {
    console.log(`skipped: ${DATA} is absent`)
    return
  }
  const gz = readFileSync(DATA)
  const text = gunzipSync(gz).toString('utf8')

  await compare({
    title: 'CSV parse (six months of 1m candles, in memory)',
    unit: 'candles/s',
    timeMs: 3000,
    baseline: {
      name: 'bare: split lines + split fields',
      units: 262_080,
      fn: () => {
        let n = 0
        for (const line of text.split('\n')) n += line.split(',').length
        return n
      },
    },
    cases: [
      {
        name: 'parseCandlesCsv (exact integer columns)',
        units: 262_080,
        fn: () => parseCandlesCsv(text),
      },
    ],
  })
  let t = performance.now()
  const candles = await readCandlesCsv(DATA)
  console.log(
    `readCandlesCsv (gunzip + stream + parse): ${(performance.now() - t).toFixed(0)} ms for ${candles.length} candles`,
  )

  const n = candles.length
  const { high, low, close } = candles
  // The floor: one pass touching the three columns the model reads.
  const bare = () => {
    let acc = 0
    for (let i = 1; i < n; i++)
      if ((low[i] as number) < (close[i - 1] as number))
        acc += (high[i] as number) - (low[i] as number)
    return acc
  }
  const config = DEFAULT_LADDER_CONFIG
  const fees = { makerPercentage: '0.08', takerPercentage: '0.1' }
  // Warm the formatted-price cache and the JIT once, as a sweep worker would.
  runBacktest({ candles, config, market: MARKET, trades: false })
  const [running] = step(initialState(config, MARKET), {
    type: 'started',
    at: 0,
    price: '42000',
  })
  const prices: LadderEvent[] = Array.from({ length: 1000 }, (_, i) => ({
    type: 'priceUpdated',
    at: i,
    price: `${42000 + (i % 97)}.${i % 10}`,
  }))
  await compare({
    title: 'Backtest throughput (model v1, one core)',
    unit: 'candles/s',
    timeMs: 3000,
    baseline: { name: 'bare loop over the same candles', units: n, fn: bare },
    cases: [
      {
        name: 'runBacktest (classic, no fees, no trade list)',
        units: n,
        fn: () =>
          runBacktest({ candles, config, market: MARKET, trades: false }),
      },
      {
        name: 'same, every in-position price fed to step',
        units: n,
        fn: () =>
          backtest({ candles, config, market: MARKET, trades: false }, false),
      },
      {
        name: 'runBacktest (fees + trade list)',
        units: n,
        fn: () => runBacktest({ candles, config, market: MARKET, fees }),
      },
      {
        name: 'step: no-op priceUpdated (1000 events)',
        units: 1000,
        fn: () => {
          let s = running
          for (const e of prices) s = step(s, e)[0]
          return s
        },
      },
    ],
  })

  // Sweep: 100 parameter sets, 1 worker vs all cores.
  const grid = {
    takeProfitPercentage: [
      '0.2',
      '0.25',
      '0.3',
      '0.4',
      '0.5',
      '0.75',
      '1',
      '1.5',
      '2',
      '3',
    ],
    maxDropPercentage: ['3', '4', '5', '6', '7', '8', '10', '12', '15', '20'],
  }
  const cores = availableParallelism()
  const timeSweep = async (workers: number) => {
    const start = performance.now()
    const ranked = await sweep({
      candles,
      config,
      market: MARKET,
      grid,
      workers,
    })
    return { ms: performance.now() - start, best: ranked[0] }
  }
  console.log(`\n## Sweep: 100 parameter sets x ${n} candles`)
  // The same sets, 1 worker and all cores alternately, twice each: the best
  // of each is compared (the first of a pair also pays the JIT warm-up of
  // its workers, as every sweep does).
  const times: Record<'one' | 'all', number[]> = { one: [], all: [] }
  let best: Awaited<ReturnType<typeof timeSweep>>['best']
  for (let round = 0; round < 2; round++) {
    const one = await timeSweep(1)
    times.one.push(one.ms)
    const all = await timeSweep(cores)
    times.all.push(all.ms)
    best = all.best
  }
  const line = (label: string, ms: number[]) => {
    const min = Math.min(...ms)
    console.log(
      `${label}: ${ms.map((x) => (x / 1000).toFixed(2)).join(' / ')} s, best ${(min / 1000).toFixed(2)} s (${((100 * n) / min / 1000).toFixed(2)}M candles/s)`,
    )
    return min
  }
  const oneMs = line('1 worker', times.one)
  const allMs = line(`${cores} workers`, times.all)
  console.log(
    `speedup: ${(oneMs / allMs).toFixed(2)}x on ${cores} cores (best of each)`,
  )
  console.log(
    `best set: ${JSON.stringify(best?.params)} total profit ${best?.metric}`,
  )
  t = performance.now()
}
