/**
 * `rung sweep --queue`: the sets go on a Redis queue (see
 * runtime/queue/sweepQueue.ts) and `rung worker`s backtest them; this
 * command shows the progress and returns the reports for the same ranking
 * as a local sweep.
 */
import { basename } from 'node:path'
import type { BacktestReport } from '@rung/ladder-strategy'
import { planSweep } from '@rung/ladder-strategy/node'
import {
  fileHash,
  parseQueueUrl,
  runQueueSweep,
  type SweepFile,
  sweepIdOf,
} from '../runtime/queue/sweepQueue.js'
import { createProgress } from '../ui/progress.js'
import { type SweepCommandOptions, sweepError } from './sweepOptions.js'

/** One sweep on the queue: a config and its market, over its candle files. */
interface QueuedSweep {
  /** The market, when the config lists several (for messages). */
  symbol: string | undefined
  /** The sets. */
  plan: ReturnType<typeof planSweep>
  /** Its files. */
  files: SweepFile[]
  /** The market's rules. */
  market: SweepCommandOptions['market']
  /** Its id. */
  sweepId: string
}

/**
 * Runs a sweep's sets on the queue. With a `markets` config each market is
 * its own sweep on the queue (its config, its market, its file: a re-run
 * finds each market's finished sets), all queued at once, and every set's
 * reports come back in market order, for the ranking per market and in
 * total that a local sweep makes.
 * @returns The sets and their reports by set, then file (market).
 * @throws {ConfigError} for a bad `--queue` or set; {@link ExitError} when
 *   Redis cannot be reached or a set fails on a worker.
 */
export async function queueSweepReports(
  options: SweepCommandOptions & { queue: string },
  paths: readonly string[],
): Promise<{
  sets: ReturnType<typeof planSweep>['sets']
  reports: BacktestReport[][]
}> {
  const target = parseQueueUrl(options.queue)
  const fees = {
    makerPercentage: options.makerFee,
    takerPercentage: options.takerFee,
  }
  // One config over every file, or each market's own config over its file.
  const units = options.markets
    ? options.markets.map((m) => ({
        symbol: m.symbol,
        config: m.config,
        market: { ...options.market, symbol: m.symbol },
        paths: [m.data],
      }))
    : [
        {
          symbol: undefined,
          config: options.config,
          market: options.market,
          paths,
        },
      ]
  const sweeps: QueuedSweep[] = []
  for (const u of units) {
    let plan: ReturnType<typeof planSweep>
    try {
      plan = planSweep({
        grid: options.grid,
        config: u.config,
        market: u.market,
        fees,
      })
    } catch (error) {
      throw sweepError(error)
    }
    const files: SweepFile[] = []
    for (const path of u.paths)
      files.push({ name: basename(path), sha256: await fileHash(path) })
    const sweepId = sweepIdOf({
      files,
      grid: options.grid as Record<string, unknown[]>,
      config: u.config,
      market: u.market,
      fees,
      equityPoints: plan.equityPoints,
    })
    sweeps.push({ symbol: u.symbol, plan, files, market: u.market, sweepId })
  }
  const first = sweeps[0] as QueuedSweep
  const setCount = first.plan.configs.length
  const ids = sweeps
    .map(
      (q) =>
        `${q.symbol === undefined ? '' : `${q.symbol} `}${q.sweepId.slice(0, 12)}`,
    )
    .join(', ')
  options.stderr.write(
    `sweep ${ids}: ${sweeps.length > 1 ? `${setCount} sets x ${sweeps.length} markets` : `${setCount} sets`} on ${target.display}; start workers with: rung worker --queue ${target.display} ${paths.map((p) => `--data ${basename(p)}`).join(' ')}\n`,
  )
  const bar = createProgress(
    'sweeping (queue)',
    options.stderr as NodeJS.WritableStream & { isTTY?: boolean },
  )
  // Every sweep's progress, summed into one bar.
  const progress = sweeps.map((q) => ({
    done: 0,
    total: q.plan.configs.length,
  }))
  // The first failure (a set failed, Redis went away) ends the other sweeps' waits.
  const stop = new AbortController()
  try {
    const results = await Promise.all(
      sweeps.map((q, i) =>
        runQueueSweep({
          signal: stop.signal,
          target,
          sweepId: q.sweepId,
          plan: q.plan,
          files: q.files,
          market: q.market,
          fees,
          onProgress: (done, total) => {
            progress[i] = { done, total }
            bar.update(
              progress.reduce((sum, p) => sum + p.done, 0),
              progress.reduce((sum, p) => sum + p.total, 0),
            )
          },
        }).catch((error: unknown) => {
          stop.abort(error)
          throw error
        }),
      ),
    )
    // reports[set] = every sweep's reports of that set, in market order.
    const reports = first.plan.sets.map((_, set) =>
      results.flatMap((r) => r[set] ?? []),
    )
    return { sets: first.plan.sets, reports }
  } finally {
    bar.done()
  }
}
