/**
 * `createSweepPool`: backtest worker threads that stay up between sweeps.
 *
 * ```
 * createSweepPool: load candles once -> copy into one SharedArrayBuffer, build
 *   their range index into another (once: every set and worker jumps with it)
 *   -> start W workers (each maps both buffers: no copy, no re-parse, no
 *   rebuild) -> wait until all are ready
 * pool.sweep: validate every set -> queue the sets -> each worker takes the next set
 *   (and one ahead while sets remain for every worker)
 *   -> collect reports, report progress, rank
 * pool.close: terminate the workers; queued sweeps reject
 * ```
 *
 * Why a pool: a fresh worker spends its first sets in V8's slower tiers
 * while TurboFan compiles the backtest in the background (about half a
 * second of compiler CPU per worker on the six-month file). With one worker
 * that compiler work runs on an idle core; with a worker on every core it
 * competes with the backtests. A pool pays it once, so every sweep after the
 * first runs at the warm rate (docs/strategy.md, "Sweep scaling").
 *
 * Worker entry resolution: in the build, the worker file sits next to the
 * file this code is bundled into (the `node` entry or a shared chunk, all
 * in `dist/`): `dist/sweepWorker.js` (ESM build) or `dist/sweepWorker.cjs`
 * (CJS build). When running from the TypeScript sources (tests, tsx), the
 * worker is started through tsx's loader, registered inside the worker
 * before it imports `worker.ts` (next to this file). Node's modules are imported dynamically, so the
 * pure core never loads them.
 */
import type { Worker } from 'node:worker_threads'
import type { BacktestReport } from '../../backtestOptions.js'
import { sharedRangeIndex } from '../../candles/rangeIndexCache.js'
import { type CandleSeries, copyToSharedBuffer } from '../../candles/series.js'
import { LadderConfigError } from '../../errors.js'
import { readCandlesCsv } from '../readCandlesCsv.js'
import { type PreparedSweep, prepareSweep, rank } from './grid.js'
import { createJobQueue, type Job, type Slot } from './poolDispatch.js'
import { collectReply, type Reply } from './poolResults.js'
import type { SweepOptions, SweepResult } from './types.js'
import type { SweepWorkerData } from './worker.js'

/** Options of {@link createSweepPool}. */
export interface SweepPoolOptions {
  /** Candles in memory (give this or `dataPath`). */
  candles?: CandleSeries | undefined
  /** Path of a candle CSV (gzipped or not), read once (give this or `candles`). */
  dataPath?: string | undefined
  /**
   * Worker threads (at least 1).
   * @default os.availableParallelism()
   */
  workers?: number | undefined
}

/** Options of {@link SweepPool.sweep}: those of `sweep` without the candles and workers, which belong to the pool. */
export type SweepPoolSweepOptions = Omit<
  SweepOptions,
  'candles' | 'dataPath' | 'workers'
>

/**
 * Worker threads holding one candle series, ready to backtest parameter
 * sets. Made by {@link createSweepPool}; close it when done.
 */
export interface SweepPool {
  /** Worker threads in the pool. */
  readonly size: number
  /** Candles every sweep of this pool runs over. */
  readonly candles: number
  /**
   * Backtests every combination of the grid on the pool's workers and ranks
   * them, like {@link sweep}. Sweeps may overlap: their sets queue in call
   * order and share the workers.
   *
   * @param options - Base config, market, grid, metric, fees, progress, signal.
   * @returns The sets ranked best first (ties keep grid order).
   * @throws {LadderConfigError} when a set is invalid (every bad set listed
   *   before anything runs), a backtest fails, or the pool is closed.
   * @throws the signal's reason when `signal` aborts; the sets already
   *   running finish in the background and are dropped.
   */
  sweep(options: SweepPoolSweepOptions): Promise<SweepResult[]>
  /**
   * Terminates the workers. Sweeps still running reject. Calling it again
   * does nothing.
   */
  close(): Promise<void>
}

/**
 * Starts backtest workers over one candle series, to run many sweeps
 * without paying the workers' start and JIT warm-up each time (a coarse grid
 * then a fine one, walk-forward windows, an optimizer's rounds). Idle
 * workers do not keep the process alive, but close the pool when done.
 * Node.js only.
 *
 * @param options - Candles or data path, worker count.
 * @returns The pool, once every worker is ready.
 * @throws {LadderConfigError} when `workers` is not an integer >= 1, there
 *   are no candles, or a worker cannot start.
 * @example
 * ```ts
 * import { DEFAULT_LADDER_CONFIG } from '@rung/ladder-strategy'
 * import { createSweepPool } from '@rung/ladder-strategy/node'
 * const market = { symbol: 'BTC_USDC', tickSize: '0.01', stepSize: '0.00001', minQuantity: '0.00001' }
 * const pool = await createSweepPool({ dataPath: 'btcusdt-1m-2024H1.csv.gz' })
 * try {
 *   const coarse = await pool.sweep({
 *     config: DEFAULT_LADDER_CONFIG,
 *     market,
 *     grid: { takeProfitPercentage: ['0.25', '0.5', '1', '2'] },
 *   })
 *   const best = coarse[0]?.params.takeProfitPercentage
 *   const fine = await pool.sweep({
 *     config: { ...DEFAULT_LADDER_CONFIG, takeProfitPercentage: String(best) },
 *     market,
 *     grid: { maxDropPercentage: ['3', '4', '5', '6', '8', '10'], orderCount: [4, 8, 12] },
 *   })
 *   console.log(fine[0]?.params, fine[0]?.metric)
 * } finally {
 *   await pool.close()
 * }
 * ```
 */
export async function createSweepPool(
  options: SweepPoolOptions,
): Promise<SweepPool> {
  const count = await workerCount(options.workers, 1)
  const candles = await loadCandles(options)
  const data: SweepWorkerData = {
    buffer: copyToSharedBuffer(candles),
    indexBuffer: sharedRangeIndex(candles),
    length: candles.length,
    priceScale: candles.priceScale,
    volumeScale: candles.volumeScale,
  }
  const started = await Promise.allSettled(
    Array.from({ length: count }, () => startWorker(data)),
  )
  const failed = started.find((s) => s.status === 'rejected')
  if (failed) {
    await Promise.all(
      started.map((s) => s.status === 'fulfilled' && s.value.terminate()),
    )
    const cause = failed.reason as unknown
    throw new LadderConfigError(
      'The sweep pool could not start.',
      [
        {
          path: 'workers',
          value: cause instanceof Error ? cause.message : String(cause),
          message: 'a backtest worker failed to start',
        },
      ],
      { cause },
    )
  }
  return poolOf(
    started.map((s) => (s as PromiseFulfilledResult<Worker>).value),
    candles.length,
  )
}

/**
 * The pool over started workers: their lifecycle (a worker that dies
 * closes the pool), the job queue (./poolDispatch.ts) and the replies
 * (./poolResults.ts).
 */
function poolOf(workers: Worker[], candles: number): SweepPool {
  const slots: Slot[] = workers.map((worker) => ({ worker, running: [] }))
  const jobs = createJobQueue(slots)
  const { queue, fail, dispatch } = jobs
  let closedWith: LadderConfigError | null = null

  // Closes the pool: terminates every worker, rejects every queued sweep.
  const shut = async (reason: LadderConfigError) => {
    if (closedWith) return
    closedWith = reason
    for (const job of [...queue]) fail(job, reason)
    for (const slot of slots) slot.running = []
    await Promise.all(slots.map((slot) => slot.worker.terminate()))
  }
  const broken = (message: string, cause?: unknown) =>
    void shut(
      new LadderConfigError(
        'The sweep pool stopped.',
        [
          {
            path: 'workers',
            value: message,
            message: 'a backtest worker died; create a new pool',
          },
        ],
        { cause },
      ),
    )

  for (const slot of slots) {
    slot.worker.on('message', (raw: unknown) => collectReply(slot, raw, jobs))
    slot.worker.on('error', (error: Error) => broken(error.message, error))
    slot.worker.on('exit', (code: number) => {
      if (!closedWith) broken(`a worker exited with code ${code}`)
    })
  }
  dispatch()

  const run = async (
    { sets, configs, equityPoints }: PreparedSweep,
    options: SweepPoolSweepOptions,
  ): Promise<SweepResult[]> => {
    if (closedWith) throw closedWith
    options.signal?.throwIfAborted()
    const reports = await new Promise<BacktestReport[]>((resolve, reject) => {
      const job: Job = {
        configs,
        options,
        equityPoints,
        next: 0,
        done: 0,
        reports: new Array(configs.length),
        settled: false,
        resolve,
        reject,
      }
      const signal = options.signal
      if (signal) {
        job.onAbort = () => fail(job, signal.reason)
        signal.addEventListener('abort', job.onAbort, { once: true })
      }
      queue.push(job)
      dispatch()
    })
    return rank(sets, reports, options.metric ?? 'totalProfit')
  }
  const pool: SweepPool = {
    size: slots.length,
    candles,
    async sweep(options) {
      if (closedWith) throw closedWith
      return run(prepareSweep(options), options)
    },
    close: () =>
      shut(
        new LadderConfigError('The sweep pool is closed.', [
          {
            path: 'pool',
            value: 'closed',
            message: 'create a new pool with createSweepPool',
          },
        ]),
      ),
  }
  runners.set(pool, run)
  return pool
}

/** Each pool's runner for sets already expanded and checked. */
const runners = new WeakMap<
  SweepPool,
  (
    prepared: PreparedSweep,
    options: SweepPoolSweepOptions,
  ) => Promise<SweepResult[]>
>()

/**
 * Runs sets already expanded and checked by `prepareSweep` on a pool (the
 * one-shot `sweep` checks them before it reads candles or starts workers,
 * and does not check them twice). @internal
 */
export function runPrepared(
  pool: SweepPool,
  prepared: PreparedSweep,
  options: SweepPoolSweepOptions,
): Promise<SweepResult[]> {
  const run = runners.get(pool)
  if (!run) throw new TypeError('not a pool made by createSweepPool')
  return run(prepared, options)
}

/**
 * The worker count: the default (every core) or the given integer, which
 * must be at least `min`. @internal
 */
export async function workerCount(
  workers: number | undefined,
  min: 0 | 1,
): Promise<number> {
  if (workers === undefined) {
    const os = await import('node:os')
    return typeof os.availableParallelism === 'function'
      ? os.availableParallelism()
      : os.cpus().length
  }
  if (!Number.isSafeInteger(workers) || workers < min)
    throw new LadderConfigError('The sweep options are not valid.', [
      {
        path: 'workers',
        value: workers,
        message:
          min === 0
            ? 'must be an integer >= 0 (0 runs in the calling thread)'
            : 'must be an integer >= 1',
      },
    ])
  return workers
}

/** The candles given, or read from `dataPath`. @internal */
export async function loadCandles(options: {
  candles?: CandleSeries | undefined
  dataPath?: string | undefined
}): Promise<CandleSeries> {
  if (options.candles) return options.candles
  if (options.dataPath === undefined)
    throw new LadderConfigError('The sweep has no candles.', [
      {
        path: 'candles',
        value: undefined,
        message: 'give candles or dataPath',
      },
    ])
  return readCandlesCsv(options.dataPath)
}

/**
 * Starts one worker, from the build (`.js`/`.cjs`) or from the sources
 * (`.ts`, via tsx), and resolves once it is ready.
 */
async function startWorker(data: SweepWorkerData): Promise<Worker> {
  const { Worker } = await import('node:worker_threads')
  const here = import.meta.url
  const execArgv = workerExecArgv(process.execArgv)
  let worker: Worker
  if (here.endsWith('.ts')) {
    const { createRequire } = await import('node:module')
    const { pathToFileURL } = await import('node:url')
    const require = createRequire(here)
    // tsx's ESM API, registered inside the worker before the entry loads.
    const api = new URL(
      './dist/esm/api/index.mjs',
      pathToFileURL(require.resolve('tsx/package.json')),
    ).href
    const entry = new URL('./worker.ts', here).href
    const code = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}) })`
    worker = new Worker(code, {
      eval: true,
      workerData: data,
      ...(execArgv && { execArgv }),
    })
  } else {
    const ext = here.endsWith('.cjs') ? '.cjs' : '.js'
    const entry = new URL(`./sweepWorker${ext}`, here)
    try {
      worker = new Worker(entry, {
        workerData: data,
        ...(execArgv && { execArgv }),
      })
    } catch (error) {
      // An explicit list refuses V8 flags (`node --input-type=module
      // --max-old-space-size=… -e`); the worker needs none of them.
      if ((error as { code?: unknown }).code !== 'ERR_WORKER_INVALID_EXEC_ARGV')
        throw error
      worker = new Worker(entry, { workerData: data, execArgv: [] })
    }
  }
  await new Promise<void>((resolve, reject) => {
    const onMessage = (raw: unknown) => {
      if ((raw as Reply).ready) done(resolve)
    }
    const onError = (error: Error) => done(() => reject(error))
    const onExit = (code: number) =>
      done(() =>
        reject(
          new Error(`the worker exited with code ${code} before it was ready`),
        ),
      )
    const done = (then: () => void) => {
      worker.off('message', onMessage)
      worker.off('error', onError)
      worker.off('exit', onExit)
      then()
    }
    worker.on('message', onMessage)
    worker.on('error', onError)
    worker.on('exit', onExit)
  })
  return worker
}

/**
 * The Node options a worker starts with: `undefined` inherits the parent's
 * (V8 flags such as `--max-old-space-size` included, which Node refuses in
 * an explicit list). Only under `node --input-type=module -e` is a list
 * needed, because that flag is not allowed for a worker's file entry.
 * @internal
 */
export function workerExecArgv(
  parent: readonly string[],
): string[] | undefined {
  const at = parent.findIndex((a) => a.startsWith('--input-type'))
  if (at < 0) return undefined
  // `--input-type module` (two words) drops its value too.
  const skip = parent[at] === '--input-type' ? 2 : 1
  return [...parent.slice(0, at), ...parent.slice(at + skip)]
}
