/**
 * A sweep pool's job queue: the sweeps waiting for sets to run, and the
 * handing out of their sets to the pool's workers (one set per worker, then
 * one ahead while sets remain for every worker).
 */
import type { Worker } from 'node:worker_threads'
import type { BacktestReport } from '../../backtestOptions.js'
import type { LadderConfig } from '../../types.js'
import type { SweepOptions } from './types.js'
import type { SweepTask } from './worker.js'

/** One sweep's sets, queued on a pool. */
export interface Job {
  configs: LadderConfig[]
  /** The sweep's options a job reads (market, fees, progress, signal). */
  options: Pick<SweepOptions, 'market' | 'fees' | 'onProgress' | 'signal'>
  equityPoints: number
  /** Next set to hand out. */
  next: number
  done: number
  reports: BacktestReport[]
  settled: boolean
  resolve(reports: BacktestReport[]): void
  reject(error: unknown): void
  onAbort?: (() => void) | undefined
}

/** One set handed to a worker. */
export interface Running {
  job: Job
  index: number
  task: number
}

/** A worker and the sets handed to it, in order (it runs them in order). */
export interface Slot {
  worker: Worker
  running: Running[]
}

/** The queue of a pool's jobs, over its workers. */
export interface JobQueue {
  /** The jobs not settled yet, in call order. */
  readonly queue: Job[]
  /** Marks a job settled: out of the queue, its abort listener removed. */
  settle(job: Job): void
  /** Settles a job (unless it is already) and rejects it with `error`. */
  fail(job: Job, error: unknown): void
  /** Hands sets to the workers with room for them; unrefs idle workers. */
  dispatch(): void
}

/** A pool's job queue over its worker slots (empty at first). */
export function createJobQueue(slots: Slot[]): JobQueue {
  const queue: Job[] = []
  let tasks = 0

  const settle = (job: Job) => {
    job.settled = true
    const at = queue.indexOf(job)
    if (at >= 0) queue.splice(at, 1)
    if (job.onAbort)
      job.options.signal?.removeEventListener('abort', job.onAbort)
  }
  const fail = (job: Job, error: unknown) => {
    if (job.settled) return
    settle(job)
    job.reject(error)
  }
  const hand = (slot: Slot, job: Job) => {
    const index = job.next++
    const task = tasks++
    slot.running.push({ job, index, task })
    slot.worker.ref()
    const message: SweepTask = {
      task,
      config: job.configs[index] as LadderConfig,
      market: job.options.market,
      fees: job.options.fees,
      equityPoints: job.equityPoints,
    }
    slot.worker.postMessage(message)
  }
  const nextJob = () => queue.find((j) => j.next < j.configs.length)
  const dispatch = () => {
    // One set per worker first. Then, while there are sets for every
    // worker, a second one: a worker finishing a set starts the next from
    // its inbox instead of waiting for this thread to be scheduled (with a
    // worker on every core, that wait is a real share of a 20 ms set).
    for (const depth of [1, 2])
      for (const slot of slots) {
        if (slot.running.length >= depth) continue
        if (depth === 2) {
          let left = 0
          for (const j of queue) left += j.configs.length - j.next
          if (left < slots.length) break
        }
        const job = nextJob()
        if (!job) break
        hand(slot, job)
      }
    // An idle pool does not keep the process alive.
    for (const slot of slots) if (slot.running.length === 0) slot.worker.unref()
  }
  return { queue, settle, fail, dispatch }
}
