/**
 * Worker thread entry of `sweep` (built as its own file, dist/sweepWorker.*).
 * It maps the candles once from the shared buffer (no copy), then runs one
 * backtest per message until the parent terminates it.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { type BacktestFees, runBacktest } from './backtest.js'
import { seriesFromBuffer } from './candles.js'
import type { LadderConfig, MarketRules } from './types.js'

/** What the parent passes at start. @internal */
export interface SweepWorkerData {
  buffer: SharedArrayBuffer
  length: number
  priceScale: number
  volumeScale: number
  market: MarketRules
  fees: BacktestFees | undefined
  equityPoints: number
}

const data = workerData as SweepWorkerData
const candles = seriesFromBuffer(
  data.buffer,
  data.length,
  data.priceScale,
  data.volumeScale,
)

parentPort?.on('message', (task: { id: number; config: LadderConfig }) => {
  try {
    const report = runBacktest({
      candles,
      config: task.config,
      market: data.market,
      fees: data.fees,
      trades: false,
      equityPoints: data.equityPoints,
    })
    parentPort?.postMessage({ id: task.id, report })
  } catch (error) {
    parentPort?.postMessage({
      id: task.id,
      error: error instanceof Error ? error.message : String(error),
    })
  }
})
parentPort?.postMessage({ ready: true })
