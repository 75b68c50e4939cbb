/**
 * A sweep pool's result collection: a worker's reply to a set, stored in
 * its job's reports (or failing the job), with progress reported and the
 * job resolved once every set is in.
 */
import type { BacktestReport } from '../../backtestOptions.js'
import { setFailed } from './grid.js'
import type { JobQueue, Running, Slot } from './poolDispatch.js'

/** A message from a worker: ready, or the report (or error) of one task. */
export type Reply = {
  ready?: true
  task?: number
  report?: BacktestReport
  error?: string
}

/**
 * Takes one worker message: the set it answers leaves the slot, its report
 * joins its job (or its error fails the job), then the next sets are
 * handed out. A message for no running set is ignored.
 */
export function collectReply(
  slot: Slot,
  raw: unknown,
  { settle, fail, dispatch }: JobQueue,
): void {
  const reply = raw as Reply
  const at = slot.running.findIndex((r) => r.task === reply.task)
  if (at < 0) return
  const { job, index } = slot.running[at] as Running
  slot.running.splice(at, 1)
  if (!job.settled) {
    if (reply.error !== undefined) fail(job, setFailed(index, reply.error))
    else {
      job.reports[index] = reply.report as BacktestReport
      job.done++
      try {
        job.options.onProgress?.({
          done: job.done,
          total: job.configs.length,
        })
      } catch (error) {
        fail(job, error)
      }
      if (!job.settled && job.done === job.configs.length) {
        settle(job)
        job.resolve(job.reports)
      }
    }
  }
  dispatch()
}
