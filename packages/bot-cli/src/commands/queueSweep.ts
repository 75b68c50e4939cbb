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

/**
 * Runs a sweep's sets on the queue.
 * @returns The sets and their reports by set, then file.
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
  // What runInputs gives a local sweep, without the candles.
  const { config, market } = options
  const fees = {
    makerPercentage: options.makerFee,
    takerPercentage: options.takerFee,
  }
  let plan: ReturnType<typeof planSweep>
  try {
    plan = planSweep({ grid: options.grid, config, market, fees })
  } catch (error) {
    throw sweepError(error)
  }
  const files: SweepFile[] = []
  for (const path of paths)
    files.push({ name: basename(path), sha256: await fileHash(path) })
  const sweepId = sweepIdOf({
    files,
    grid: options.grid as Record<string, unknown[]>,
    config,
    market,
    fees,
    equityPoints: plan.equityPoints,
  })
  options.stderr.write(
    `sweep ${sweepId.slice(0, 12)}: ${plan.configs.length} sets on ${target.display}; start workers with: rung worker --queue ${target.display} ${paths.map((p) => `--data ${basename(p)}`).join(' ')}\n`,
  )
  const bar = createProgress(
    'sweeping (queue)',
    options.stderr as NodeJS.WritableStream & { isTTY?: boolean },
  )
  try {
    const reports = await runQueueSweep({
      target,
      sweepId,
      plan,
      files,
      market,
      fees,
      onProgress: (done, total) => bar.update(done, total),
    })
    return { sets: plan.sets, reports }
  } finally {
    bar.done()
  }
}
