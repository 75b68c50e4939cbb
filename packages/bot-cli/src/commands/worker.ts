/**
 * `rung worker --queue redis://HOST:PORT --data FILE...`: takes the sets of
 * `rung sweep --queue` from Redis and backtests them, until SIGINT/SIGTERM.
 * The queue machinery is in runtime/queue/sweepQueue.ts.
 */

import { availableParallelism } from 'node:os'
import { basename, resolve } from 'node:path'
import type { Command } from 'commander'
import {
  fileHash,
  parseQueueUrl,
  startQueueWorker,
  type WorkerFile,
} from '../runtime/queue/sweepQueue.js'
import { inspectCandleFile, loadCandles } from './backtest.js'
import { type CommandEnv, collect, wholeNumber } from './command.js'

/** Production defaults of the stalled-set handling (BullMQ's own). */
export const WORKER_DEFAULTS = {
  /** A set's lock without renewal (ms). */
  lockMs: 30_000,
  /** Stalled-set check interval (ms). */
  stalledMs: 30_000,
} as const

/** Registers `rung worker` on the program. */
export function registerWorker(program: Command, env: CommandEnv): void {
  program
    .command('worker')
    .description(
      'backtest the sets of `rung sweep --queue` from a Redis queue (run any number, on any machine)',
    )
    .requiredOption(
      '--queue <url>',
      'the Redis of the sweep, redis://HOST:PORT',
    )
    .requiredOption(
      '--data <file>',
      'candle file of the sweep (repeatable; the same content as the sweep’s, checked by hash)',
      collect,
    )
    .option('--threads <n>', 'backtest threads (default: one per CPU)')
    .option(
      '--lock-ms <ms>',
      'a killed worker’s set returns to the queue after this long',
      String(WORKER_DEFAULTS.lockMs),
    )
    .option(
      '--stalled-ms <ms>',
      'how often sets of killed workers are looked for',
      String(WORKER_DEFAULTS.stalledMs),
    )
    .action(
      async (options: {
        queue: string
        data: string[]
        threads?: string
        lockMs: string
        stalledMs: string
      }) => {
        const target = parseQueueUrl(options.queue)
        const threads =
          options.threads === undefined
            ? availableParallelism()
            : wholeNumber('--threads', options.threads, 1)
        const lockMs = wholeNumber('--lock-ms', options.lockMs, 1000)
        const stalledMs = wholeNumber('--stalled-ms', options.stalledMs, 500)
        const paths = options.data.map((d) => resolve(env.io.cwd, d))
        for (const path of paths) await inspectCandleFile(path)
        const files: WorkerFile[] = []
        for (const path of paths)
          files.push({
            path,
            name: basename(path),
            sha256: await fileHash(path),
            candles: await loadCandles(path, env.io.stderr),
          })
        const worker = await startQueueWorker({
          target,
          files,
          threads,
          lockMs,
          stalledMs,
          log: (line) => env.io.stderr.write(`${line}\n`),
        })
        // First signal: finish the sets in hand. Second: stop at once.
        await new Promise<void>((done) => {
          let signals = 0
          const off = env.io.onSignal(() => {
            signals++
            if (signals === 1) {
              env.io.stderr.write(
                'stopping: finishing the sets in hand (Ctrl-C again to stop at once; they return to the queue after --lock-ms)\n',
              )
              void worker.close().then(() => {
                off()
                done()
              })
            } else {
              off()
              void worker.close(true).finally(done)
            }
          })
        })
      },
    )
}
