/**
 * Worker thread entry of the sweep pool (built as its own file,
 * dist/sweepWorker.*). It maps the candles once from the shared buffer (no
 * copy) and adopts the candles' range index from the pool's shared buffer
 * (no rebuild: every set jumps with it), says it is ready, then runs one backtest per message until the
 * pool terminates it. A worker lives as long as its pool, so the code it
 * JIT-compiles on the first sets serves every later sweep.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { runBacktest } from '../../backtest.js'
import type { BacktestFees } from '../../backtestOptions.js'
import { adoptRangeIndex } from '../../candles/rangeIndexCache.js'
import { seriesFromBuffer } from '../../candles/series.js'
import type { LadderConfig, LadderMarket } from '../../types.js'

/** What the pool passes at start. @internal */
export interface SweepWorkerData {
  buffer: SharedArrayBuffer
  /** The candles' range index (`sharedRangeIndex`), shared the same way. */
  indexBuffer: ArrayBufferLike
  length: number
  priceScale: number
  volumeScale: number
}

/** One backtest to run. @internal */
export interface SweepTask {
  /** Pool-wide task number, echoed in the reply. */
  task: number
  config: LadderConfig
  market: LadderMarket
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
adoptRangeIndex(candles, data.indexBuffer)

parentPort?.on('message', (task: SweepTask) => {
  try {
    const report = runBacktest({
      candles,
      config: task.config,
      market: task.market,
      fees: task.fees,
      trades: false,
      equityPoints: task.equityPoints,
    })
    parentPort?.postMessage({ task: task.task, report })
  } catch (error) {
    parentPort?.postMessage({
      task: task.task,
      error: error instanceof Error ? error.message : String(error),
    })
  }
})
parentPort?.postMessage({ ready: true })
