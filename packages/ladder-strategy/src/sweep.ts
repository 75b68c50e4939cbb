/**
 * `sweep`: a grid of parameter sets, each backtested, in parallel on
 * worker threads, ranked by a metric.
 *
 * ```
 * main: validate every set -> load candles once -> copy into one SharedArrayBuffer
 *   -> start W workers (each maps the buffer: no copy, no re-parse)
 *   -> hand out one set at a time to whichever worker is free
 *   -> collect reports, report progress, rank
 * ```
 *
 * Worker entry resolution: the worker file sits next to this module:
 * `dist/sweepWorker.js` (ESM build) or `dist/sweepWorker.cjs` (CJS build).
 * When running from the TypeScript sources (tests, tsx), the worker is
 * started through tsx's loader, registered inside the worker before it
 * imports `sweepWorker.ts`. Node's modules are imported dynamically, so the
 * pure core never loads them.
 */
import type { BacktestFees, BacktestReport } from './backtest.js'
import { runBacktest } from './backtest.js'
import { type CandleSeries, copyToSharedBuffer } from './candles.js'
import { validateConfig } from './config.js'
import { addToString, compareSigned, divideToString } from './decimal.js'
import { type ConfigIssue, LadderConfigError } from './errors.js'
import { readCandlesCsv } from './readCandlesCsv.js'
import type { SweepWorkerData } from './sweepWorker.js'
import type { LadderConfig, MarketRules } from './types.js'

/** Config fields a sweep can vary. */
export type SweepParameter = Exclude<keyof LadderConfig, 'symbol'>

/**
 * How parameter sets are ranked (best first):
 * - `'realisedProfit'`: profit of completed cycles, after fees;
 * - `'totalProfit'`: realised + unrealised at the last close;
 * - `'profitOverDrawdown'`: total profit / max drawdown (a drawdown of 0 ranks first);
 * - `'cycles'`: completed cycles.
 */
export type SweepMetric =
  | 'realisedProfit'
  | 'totalProfit'
  | 'profitOverDrawdown'
  | 'cycles'

/** Options of {@link sweep}. */
export interface SweepOptions {
  /** Candles in memory (give this or `dataPath`). */
  candles?: CandleSeries | undefined
  /** Path of a candle CSV (gzipped or not), read once (give this or `candles`). */
  dataPath?: string | undefined
  /** The base config; each set overrides some of its fields. */
  config: LadderConfig
  /** The market's rules. */
  market: MarketRules
  /**
   * Fees in percent.
   * @default no fees
   */
  fees?: BacktestFees | undefined
  /** Values to try per parameter; every combination is one set (grid order: first key slowest). */
  grid: Partial<Record<SweepParameter, readonly unknown[]>>
  /**
   * Ranking metric.
   * @default 'totalProfit'
   */
  metric?: SweepMetric | undefined
  /**
   * Worker threads; `0` runs in the calling thread.
   * @default os.availableParallelism()
   */
  workers?: number | undefined
  /**
   * Points of each report's equity curve.
   * @default 50
   */
  equityPoints?: number | undefined
  /** Called after each finished set. */
  onProgress?: ((progress: SweepProgress) => void) | undefined
}

/** Progress of a sweep. */
export interface SweepProgress {
  /** Sets finished. */
  done: number
  /** Sets in the grid. */
  total: number
}

/** One ranked parameter set. */
export interface SweepResult {
  /** 1 = best. */
  rank: number
  /** Position of the set in the grid (0-based). */
  index: number
  /** The parameter values of this set. */
  params: Partial<Record<SweepParameter, unknown>>
  /** The metric's value (a decimal string; `'Infinity'` for a profit without drawdown). */
  metric: string
  /** The backtest report (without trades). */
  report: BacktestReport
}

/**
 * Backtests every combination of the grid in parallel (worker_threads, one
 * set at a time per worker, candles shared, not copied) and ranks them.
 * Node.js only.
 *
 * @param options - Candles or data path, base config, market, grid, metric, workers.
 * @returns The sets ranked best first (ties keep grid order).
 * @throws {LadderConfigError} when a set is invalid (every bad set listed
 *   before anything runs), the grid is empty, or a backtest fails.
 * @example
 * ```ts
 * import { DEFAULT_LADDER_CONFIG, sweep } from '@rung/ladder-strategy'
 * const ranked = await sweep({
 *   dataPath: 'btcusdt-1m-2024H1.csv.gz',
 *   config: DEFAULT_LADDER_CONFIG,
 *   market: { symbol: 'BTC_USDC', tickSize: '0.01', stepSize: '0.00001', minQuantity: '0.00001' },
 *   grid: { takeProfitPercentage: ['0.25', '0.5', '1'], orderCount: [4, 8, 12] },
 *   metric: 'totalProfit',
 *   onProgress: ({ done, total }) => console.log(`${done}/${total}`),
 * })
 * console.log(ranked[0]?.params, ranked[0]?.metric)
 * ```
 */
export async function sweep(options: SweepOptions): Promise<SweepResult[]> {
  const sets = expandGrid(options.grid)
  const configs = validateSets(options.config, sets)
  let candles = options.candles
  if (!candles) {
    if (options.dataPath === undefined)
      throw new LadderConfigError('The sweep has no candles.', [
        {
          path: 'candles',
          value: undefined,
          message: 'give candles or dataPath',
        },
      ])
    candles = await readCandlesCsv(options.dataPath)
  }
  const equityPoints = options.equityPoints ?? 50
  const total = configs.length
  const reports: BacktestReport[] = new Array(total)
  let done = 0
  const progress = () => options.onProgress?.({ done, total })

  let workers = options.workers
  if (workers === undefined) {
    const os = await import('node:os')
    workers =
      typeof os.availableParallelism === 'function'
        ? os.availableParallelism()
        : os.cpus().length
  }
  workers = Math.max(0, Math.min(Math.floor(workers), total))

  if (workers === 0) {
    for (let i = 0; i < total; i++) {
      reports[i] = runBacktest({
        candles,
        config: configs[i] as LadderConfig,
        market: options.market,
        fees: options.fees,
        trades: false,
        equityPoints,
      })
      done++
      progress()
    }
  } else {
    const data: SweepWorkerData = {
      buffer: copyToSharedBuffer(candles),
      length: candles.length,
      priceScale: candles.priceScale,
      volumeScale: candles.volumeScale,
      market: options.market,
      fees: options.fees,
      equityPoints,
    }
    await runOnWorkers(workers, data, configs, (id, report) => {
      reports[id] = report
      done++
      progress()
    })
  }
  return rank(sets, reports, options.metric ?? 'totalProfit')
}

function expandGrid(
  grid: SweepOptions['grid'],
): Partial<Record<SweepParameter, unknown>>[] {
  const entries = Object.entries(grid ?? {}) as [
    SweepParameter,
    readonly unknown[],
  ][]
  const issues: ConfigIssue[] = []
  for (const [key, values] of entries) {
    if ((key as string) === 'symbol')
      issues.push({
        path: `grid.${key}`,
        value: values,
        message: 'cannot be swept (one market per sweep)',
      })
    else if (!Array.isArray(values) || values.length === 0)
      issues.push({
        path: `grid.${key}`,
        value: values,
        message: 'must be a non-empty array of values',
      })
  }
  if (entries.length === 0)
    issues.push({
      path: 'grid',
      value: grid,
      message: 'must name at least one parameter with values',
    })
  if (issues.length > 0)
    throw new LadderConfigError('The sweep grid is not valid.', issues)
  let sets: Partial<Record<SweepParameter, unknown>>[] = [{}]
  for (const [key, values] of entries) {
    const next: Partial<Record<SweepParameter, unknown>>[] = []
    for (const set of sets)
      for (const value of values) next.push({ ...set, [key]: value })
    sets = next
  }
  return sets
}

function validateSets(
  base: LadderConfig,
  sets: Partial<Record<SweepParameter, unknown>>[],
): LadderConfig[] {
  const issues: ConfigIssue[] = []
  const configs: LadderConfig[] = []
  sets.forEach((set, i) => {
    try {
      // Flat keys with the spec's names: validateConfig reads them directly.
      configs.push(validateConfig({ ...base, ...set }).config)
    } catch (error) {
      if (!(error instanceof LadderConfigError)) throw error
      for (const issue of error.issues)
        issues.push({
          ...issue,
          path: `grid set ${i} (${JSON.stringify(set)}): ${issue.path}`,
        })
    }
  })
  if (issues.length > 0)
    throw new LadderConfigError(
      'Some parameter sets of the sweep are not valid.',
      issues,
    )
  return configs
}

type WorkerLike = {
  postMessage(value: unknown): void
  on(event: 'message', listener: (value: unknown) => void): unknown
  on(event: 'error', listener: (error: Error) => void): unknown
  on(event: 'exit', listener: (code: number) => void): unknown
  terminate(): Promise<number>
}

/** Starts one worker, from the build (`.js`/`.cjs`) or from the sources (`.ts`, via tsx). */
async function startWorker(data: SweepWorkerData): Promise<WorkerLike> {
  const { Worker } = await import('node:worker_threads')
  const here = import.meta.url
  // Workers inherit the parent's Node flags; `--input-type` (from `node -e`)
  // is not allowed for a worker's file entry.
  const execArgv = process.execArgv.filter((a) => !a.startsWith('--input-type'))
  if (here.endsWith('.ts')) {
    const { createRequire } = await import('node:module')
    const { pathToFileURL } = await import('node:url')
    const require = createRequire(here)
    // tsx's ESM API, registered inside the worker before the entry loads.
    const api = new URL(
      './dist/esm/api/index.mjs',
      pathToFileURL(require.resolve('tsx/package.json')),
    ).href
    const entry = new URL('./sweepWorker.ts', here).href
    const code = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}) })`
    return new Worker(code, { eval: true, workerData: data, execArgv })
  }
  const ext = here.endsWith('.cjs') ? '.cjs' : '.js'
  return new Worker(new URL(`./sweepWorker${ext}`, here), {
    workerData: data,
    execArgv,
  })
}

async function runOnWorkers(
  count: number,
  data: SweepWorkerData,
  configs: LadderConfig[],
  onReport: (id: number, report: BacktestReport) => void,
): Promise<void> {
  const pool: WorkerLike[] = []
  try {
    // Start them together: each one's startup (module load, JIT) overlaps.
    const started = await Promise.allSettled(
      Array.from({ length: count }, () => startWorker(data)),
    )
    for (const s of started) if (s.status === 'fulfilled') pool.push(s.value)
    for (const s of started) if (s.status === 'rejected') throw s.reason
    await new Promise<void>((resolve, reject) => {
      let next = 0
      let finished = 0
      const fail = (message: string, cause?: unknown) =>
        reject(
          new LadderConfigError(
            'The sweep failed.',
            [
              {
                path: 'worker',
                value: message,
                message: 'a backtest worker failed',
              },
            ],
            { cause },
          ),
        )
      const feed = (worker: WorkerLike) => {
        if (next < configs.length) {
          const id = next++
          worker.postMessage({ id, config: configs[id] })
        }
      }
      for (const worker of pool) {
        worker.on('message', (raw) => {
          const msg = raw as {
            ready?: true
            id?: number
            report?: BacktestReport
            error?: string
          }
          if (msg.ready) return feed(worker)
          if (msg.error !== undefined)
            return fail(`set ${msg.id}: ${msg.error}`)
          onReport(msg.id as number, msg.report as BacktestReport)
          finished++
          if (finished === configs.length) resolve()
          else feed(worker)
        })
        worker.on('error', (error) => fail(error.message, error))
        worker.on('exit', (code) => {
          if (finished < configs.length && code !== 0)
            fail(`worker exited with code ${code}`)
        })
      }
    })
  } finally {
    await Promise.all(pool.map((w) => w.terminate()))
  }
}

function metricOf(report: BacktestReport, metric: SweepMetric): string {
  switch (metric) {
    case 'realisedProfit':
      return report.realisedProfit
    case 'cycles':
      return String(report.cycles)
    case 'totalProfit':
      return addToString(report.realisedProfit, report.unrealisedProfit)
    case 'profitOverDrawdown': {
      const profit = addToString(report.realisedProfit, report.unrealisedProfit)
      if (compareSigned(report.maxDrawdown, '0') === 0)
        return compareSigned(profit, '0') > 0 ? 'Infinity' : profit
      return divideToString(profit, report.maxDrawdown, 8, 'down')
    }
  }
}

function rank(
  sets: Partial<Record<SweepParameter, unknown>>[],
  reports: BacktestReport[],
  metric: SweepMetric,
): SweepResult[] {
  const rows = reports.map((report, index) => ({
    index,
    params: sets[index] ?? {},
    metric: metricOf(report, metric),
    report,
  }))
  rows.sort((a, b) => {
    if (a.metric === 'Infinity' || b.metric === 'Infinity') {
      if (a.metric === b.metric) return a.index - b.index
      return a.metric === 'Infinity' ? -1 : 1
    }
    return compareSigned(b.metric, a.metric) || a.index - b.index
  })
  return rows.map((row, i) => ({ rank: i + 1, ...row }))
}
