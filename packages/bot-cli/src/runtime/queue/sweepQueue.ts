/**
 * Sweeps on a BullMQ queue in Redis: `rung sweep --queue` submits the sets,
 * `rung worker --queue` (any number, on any machine that reaches the Redis
 * and holds the same candle files) backtests them.
 *
 * ```
 * submit: hash the candle files (sha256) -> sweep id = hash(files, grid, base config, market, fees)
 *   -> one job per set, id `<sweep id>.<set index>` (a re-run finds the sets already done)
 *   -> wait for every job (queue events, and a poll as a fallback) -> reports[set][file]
 * worker: read its --data files and hash them -> a warm backtest pool per file
 *   -> per job: find each file of the job by its hash (refuse the job when one is missing)
 *   -> backtest the set's config on every file -> return the reports (decimal strings)
 * a worker killed mid-set: its job's lock expires (lockDuration), another
 *   worker's stalled check (stalledInterval) puts it back on the queue
 * ```
 *
 * BullMQ is imported when a queue command runs, so other commands never load it.
 */
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import type {
  BacktestFees,
  BacktestReport,
  CandleSeries,
} from '@rung/ladder-strategy'
import type { SweepPlan, SweepPool } from '@rung/ladder-strategy/node'
import type { ConnectionOptions, Job } from 'bullmq'
import { ConfigError, EXIT, ExitError } from '../../errors.js'

/** The BullMQ queue every sweep uses (jobs of different sweeps differ by id). */
export const SWEEP_QUEUE = 'rung-sweep'

/** How long a finished set stays in Redis for a re-run to pick up (s). */
export const KEEP_DONE_SECONDS = 7 * 24 * 3600

/** Where the queue is: ioredis options plus the URL without its password, for messages. */
export interface QueueTarget {
  /** Connection options (with the password, never printed). */
  connection: ConnectionOptions
  /** `redis://host:port/db`, without credentials. */
  display: string
}

/**
 * `--queue redis://[user:password@]host:port[/db]` (or `rediss://` for TLS).
 * @throws {ConfigError} naming `--queue` (the message never shows a password).
 */
export function parseQueueUrl(value: string): QueueTarget {
  let url: URL | undefined
  try {
    url = new URL(value)
  } catch {
    url = undefined
  }
  const db = url ? url.pathname.replace(/^\//, '') : ''
  if (
    !url ||
    (url.protocol !== 'redis:' && url.protocol !== 'rediss:') ||
    url.hostname === '' ||
    (db !== '' && !/^\d+$/.test(db))
  )
    throw new ConfigError(
      '--queue',
      'Invalid --queue: expected a Redis URL.\nFix: pass --queue redis://HOST:PORT (or redis://:PASSWORD@HOST:PORT/DB, rediss:// for TLS).',
    )
  const port = url.port === '' ? 6379 : Number(url.port)
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1')
  return {
    connection: {
      host,
      port,
      ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
      ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
      ...(db ? { db: Number(db) } : {}),
      ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
      // BullMQ's workers need commands to wait while Redis is away.
      maxRetriesPerRequest: null,
    },
    display: `${url.protocol}//${url.hostname}:${port}${db ? `/${db}` : ''}`,
  }
}

/** The sha256 of a file's bytes, hex. */
export async function fileHash(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/** JSON with object keys sorted (arrays keep their order): one text per value. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (value !== null && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map(
        (k) =>
          `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`,
      )
      .join(',')}}`
  return JSON.stringify(value) ?? 'null'
}

/** A candle file of a sweep: its name (for messages) and content hash. */
export interface SweepFile {
  /** Base name, e.g. `btc-2024H1.csv.gz`. */
  name: string
  /** sha256 of the file's bytes, hex. */
  sha256: string
}

/** What makes a sweep's results: the same inputs give the same id. */
export interface SweepIdentity {
  /** The candle files, in `--data` order (by content hash). */
  files: readonly SweepFile[]
  /** The grid, in its key order (set indexes follow it). */
  grid: Readonly<Record<string, readonly unknown[]>>
  /** The base config. */
  config: unknown
  /** The market's rules. */
  market: unknown
  /** Fees in percent. */
  fees: BacktestFees | undefined
  /** Equity points per report. */
  equityPoints: number
}

/**
 * The sweep id: a hash of the files' contents, the grid, the base config,
 * the market, the fees and the equity points (not the ranking metric:
 * another metric reuses the same backtests).
 */
export function sweepIdOf(identity: SweepIdentity): string {
  const text = canonical({
    files: identity.files.map((f) => f.sha256),
    grid: Object.entries(identity.grid),
    config: identity.config,
    market: identity.market,
    fees: identity.fees ?? null,
    equityPoints: identity.equityPoints,
  })
  return createHash('sha256').update(text).digest('hex').slice(0, 32)
}

/** One job: a set of a sweep, to backtest on each file. */
export interface SweepJobData {
  /** The sweep's id. */
  sweepId: string
  /** The set's index in the grid. */
  index: number
  /** The files, in `--data` order. */
  files: SweepFile[]
  /** The set's validated config. */
  config: SweepPlan['configs'][number]
  /** The market's rules. */
  market: unknown
  /** Fees in percent. */
  fees: BacktestFees | undefined
  /** Equity points per report. */
  equityPoints: number
}

/** A job's result: one report per file (money as decimal strings). */
export interface SweepJobResult {
  /** Reports in the job's file order. */
  reports: BacktestReport[]
}

/** The job id of a set: a re-run of the same sweep finds it. */
export const jobIdOf = (sweepId: string, index: number) => `${sweepId}.${index}`

/** Options of {@link runQueueSweep}. */
export interface QueueSweepOptions {
  /** The queue. */
  target: QueueTarget
  /** The sweep's id ({@link sweepIdOf}). */
  sweepId: string
  /** The sets. */
  plan: SweepPlan
  /** The files, in `--data` order. */
  files: SweepFile[]
  /** The market's rules. */
  market: unknown
  /** Fees in percent. */
  fees: BacktestFees | undefined
  /** Called as sets finish (those done by an earlier run count at once). */
  onProgress(done: number, total: number): void
  /** Fallback poll of the unfinished sets (ms), beside the queue events. @default 2000 */
  pollMs?: number | undefined
  /**
   * Ends the wait early (another market's sweep of the same run failed):
   * the sweep then rejects with the signal's reason. The sets stay queued.
   */
  signal?: AbortSignal | undefined
}

/** A connection failure, as the error naming `--queue`. */
function unreachable(target: QueueTarget, cause: unknown): ExitError {
  return new ExitError(
    EXIT.runtime,
    `Cannot reach the sweep queue at ${target.display} (--queue): ${(cause as Error).message}.\nFix: start Redis there (redis-server), or pass the right --queue.`,
    { cause },
  )
}

/**
 * Connects once without retrying, so an unreachable Redis is an error now
 * (BullMQ's connections retry forever, which is what a running sweep or
 * worker wants when Redis restarts).
 * @throws {ExitError} naming `--queue`.
 */
export async function probeQueue(target: QueueTarget): Promise<void> {
  const { Redis } = await import('ioredis')
  const client = new Redis({
    ...(target.connection as object),
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  })
  client.on('error', () => {}) // the rejected connect() is the answer
  try {
    await client.connect()
    await client.ping()
  } catch (cause) {
    client.disconnect()
    throw unreachable(target, cause)
  }
  await client.quit()
}

/**
 * Puts a sweep's sets on the queue (sets already there, done or not, are
 * not added twice; failed ones are retried) and waits for every result.
 * @returns The reports by set, then file.
 * @throws {ExitError} when Redis cannot be reached or a set fails on a worker.
 */
export async function runQueueSweep(
  o: QueueSweepOptions,
): Promise<BacktestReport[][]> {
  await probeQueue(o.target)
  const { Queue, QueueEvents, Job } = await import('bullmq')
  const connection = o.target.connection
  const queue = new Queue<SweepJobData, SweepJobResult>(SWEEP_QUEUE, {
    connection,
  })
  const events = new QueueEvents(SWEEP_QUEUE, { connection })
  // ioredis retries forever: the first failure to connect is the answer.
  const down = new Promise<never>((_, reject) => {
    queue.on('error', (e) => reject(unreachable(o.target, e)))
    events.on('error', (e) => reject(unreachable(o.target, e)))
  })
  down.catch(() => {})
  const total = o.plan.configs.length
  const results: (BacktestReport[] | undefined)[] = new Array(total)
  let done = 0
  let failure: ExitError | undefined
  let wake: (() => void) | undefined
  const prefix = `${o.sweepId}.`
  const indexOf = (jobId: string) =>
    jobId.startsWith(prefix) ? Number(jobId.slice(prefix.length)) : -1
  const record = async (index: number, job: Job | undefined) => {
    // The job as read: one read while it ran has no result yet even when
    // its state (read after) says completed; the next event or poll reads it again.
    const value = job?.returnvalue as SweepJobResult | null | undefined
    if (results[index] || !job || !value?.reports) return
    if (!(await job.isCompleted()) || results[index]) return
    results[index] = value.reports
    done++
    o.onProgress(done, total)
    wake?.()
  }
  const fail = (index: number, reason: string) => {
    failure ??= new ExitError(
      EXIT.runtime,
      `Set ${index} of the sweep failed on a worker: ${reason}\nFix: correct the cause and run the same command again (finished sets are kept).`,
    )
    wake?.()
  }
  try {
    await Promise.race([
      Promise.all([queue.waitUntilReady(), events.waitUntilReady()]),
      down,
    ])
    events.on('completed', ({ jobId }) => {
      const index = indexOf(jobId)
      if (index >= 0)
        void Job.fromId(queue, jobId)
          .then((job) => record(index, job))
          .catch(() => {}) // the poll picks it up
    })
    events.on('failed', ({ jobId, failedReason }) => {
      const index = indexOf(jobId)
      if (index >= 0) fail(index, failedReason)
    })
    await queue.addBulk(
      o.plan.configs.map((config, index) => ({
        name: 'set',
        data: {
          sweepId: o.sweepId,
          index,
          files: o.files,
          config,
          market: o.market,
          fees: o.fees,
          equityPoints: o.plan.equityPoints,
        },
        opts: {
          jobId: jobIdOf(o.sweepId, index),
          removeOnComplete: { age: KEEP_DONE_SECONDS },
          removeOnFail: { age: KEEP_DONE_SECONDS },
          attempts: 1,
        },
      })),
    )
    o.onProgress(done, total)
    // Sets that an earlier run finished (or that failed then: retried now).
    const check = async (retryFailed: boolean) => {
      for (let index = 0; index < total; index++) {
        if (results[index]) continue
        const job = await Job.fromId<SweepJobData, SweepJobResult>(
          queue,
          jobIdOf(o.sweepId, index),
        )
        if (!job) continue
        if (await job.isFailed()) {
          if (retryFailed) await job.retry('failed')
          else fail(index, job.failedReason)
        } else await record(index, job)
      }
    }
    await check(true)
    const pollMs = o.pollMs ?? 2000
    const aborted = () => o.signal?.aborted === true
    const onAbort = () => wake?.()
    o.signal?.addEventListener('abort', onAbort)
    try {
      while (done < total && !failure && !aborted()) {
        await Promise.race([
          new Promise<void>((resolve) => {
            wake = resolve
            setTimeout(resolve, pollMs)
          }),
          down,
        ])
        wake = undefined
        if (done < total && !failure && !aborted()) await check(false)
      }
    } finally {
      o.signal?.removeEventListener('abort', onAbort)
    }
    if (failure) throw failure
    if (done < total && aborted()) throw o.signal?.reason
    return results as BacktestReport[][]
  } finally {
    await Promise.allSettled([events.close(), queue.close()])
  }
}

/** A candle file held by a worker. */
export interface WorkerFile extends SweepFile {
  /** The file's path. */
  path: string
  /** Its candles. */
  candles: CandleSeries
}

/** Options of {@link startQueueWorker}. */
export interface QueueWorkerOptions {
  /** The queue. */
  target: QueueTarget
  /** The candle files this worker holds. */
  files: WorkerFile[]
  /** Backtest threads (and sets run at once). */
  threads: number
  /** How long a set's lock lasts without renewal (ms): a killed worker's set returns to the queue after it. */
  lockMs: number
  /** How often stalled sets are looked for (ms). */
  stalledMs: number
  /** Log lines (sets taken and refused). */
  log(line: string): void
}

/** A running worker. */
export interface QueueWorker {
  /**
   * Stops taking sets and closes the pools: after the running sets finish,
   * or at once with `force` (their sets return to the queue once their
   * locks expire).
   */
  close(force?: boolean): Promise<void>
}

/**
 * Starts a worker on the sweep queue: a warm backtest pool per file, then
 * one set per thread at a time.
 * @throws {ExitError} when Redis cannot be reached.
 */
export async function startQueueWorker(
  o: QueueWorkerOptions,
): Promise<QueueWorker> {
  await probeQueue(o.target)
  const { Worker, UnrecoverableError } = await import('bullmq')
  const { createSweepPool } = await import('@rung/ladder-strategy/node')
  const pools = new Map<string, SweepPool>()
  for (const f of o.files)
    if (!pools.has(f.sha256))
      pools.set(
        f.sha256,
        await createSweepPool({ candles: f.candles, workers: o.threads }),
      )
  const held = o.files.map((f) => `${f.name} (${f.sha256.slice(0, 12)})`)
  // The sets being backtested, for a graceful close to wait on.
  const inHand = new Set<Promise<SweepJobResult>>()
  const processor = (
    job: Job<SweepJobData, SweepJobResult>,
  ): Promise<SweepJobResult> => {
    const set = runSet(job)
    inHand.add(set)
    void set.finally(() => inHand.delete(set)).catch(() => {})
    return set
  }
  const runSet = async (
    job: Job<SweepJobData, SweepJobResult>,
  ): Promise<SweepJobResult> => {
    const { data } = job
    for (const f of data.files)
      if (!pools.has(f.sha256)) {
        const same = o.files.find((h) => h.name === f.name)
        throw new UnrecoverableError(
          `the sweep's candle file ${f.name} (sha256 ${f.sha256.slice(0, 12)}) is not one of this worker's --data files${same ? `: its ${same.name} has other content (sha256 ${same.sha256.slice(0, 12)})` : ` (${held.join(', ')})`}. Start every worker with the same candle files as the sweep.`,
        )
      }
    o.log(`set ${data.index} of sweep ${data.sweepId.slice(0, 12)}: started`)
    const reports = await Promise.all(
      data.files.map(async (f) => {
        const pool = pools.get(f.sha256) as SweepPool
        // One set: the config as it is (the grid repeats one of its values).
        const [row] = await pool.sweep({
          config: data.config,
          market: data.market as Parameters<SweepPool['sweep']>[0]['market'],
          fees: data.fees,
          equityPoints: data.equityPoints,
          grid: { orderCount: [data.config.orderCount] },
        })
        return (row as { report: BacktestReport }).report
      }),
    )
    return { reports }
  }
  const worker = new Worker<SweepJobData, SweepJobResult>(
    SWEEP_QUEUE,
    processor,
    {
      connection: o.target.connection,
      concurrency: o.threads,
      lockDuration: o.lockMs,
      stalledInterval: o.stalledMs,
      maxStalledCount: 2,
      autorun: false,
    },
  )
  worker.on('failed', (job, error) =>
    o.log(`set ${job?.data.index ?? '?'} refused or failed: ${error.message}`),
  )
  let errors = 0
  worker.on('error', (error) => {
    // ioredis reconnects by itself; say so once in a while, not per retry.
    if (errors++ % 20 === 0)
      o.log(`queue ${o.target.display}: ${error.message} (retrying)`)
  })
  try {
    await worker.waitUntilReady()
  } catch (cause) {
    await Promise.all([...pools.values()].map((p) => p.close()))
    throw unreachable(o.target, cause)
  }
  void worker.run()
  o.log(
    `worker on ${o.target.display}: ${o.threads} thread(s), files ${held.join(', ')}`,
  )
  return {
    async close(force = false) {
      // Stop taking sets; unless forced, the sets in hand finish first.
      // Then drop the connections. BullMQ's own waits (pause(), a graceful
      // close's QUIT) never end when Redis has gone away, and a second,
      // forced close would only wait on the first one.
      await worker.pause(true)
      if (!force) await Promise.allSettled(inHand)
      await worker.close(true)
      await Promise.all([...pools.values()].map((p) => p.close()))
    },
  }
}
