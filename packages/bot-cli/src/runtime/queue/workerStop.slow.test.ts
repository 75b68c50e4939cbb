import { renameSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  runChild,
  tempDir,
  waitFor,
  writeCandleFile,
} from '../../../test/e2e.js'
import {
  skipWithoutRedis,
  startRedis,
  type TestRedis,
} from '../../../test/redis.js'

const skip = skipWithoutRedis()
let redis: TestRedis | undefined
let data = ''

beforeAll(async () => {
  if (skip) return
  redis = await startRedis()
  const dir = tempDir()
  data = join(dir, 'candles.csv')
  renameSync(writeCandleFile(dir, 2_000), data)
}, 20_000)
afterAll(async () => {
  await redis?.stop()
})

/** The child's exit, or 'still running' after `ms`. */
const exitWithin = (exited: Promise<unknown>, ms: number) =>
  Promise.race([
    exited,
    new Promise((r) => setTimeout(() => r('still running'), ms)),
  ])

describe.skipIf(skip)('rung worker', () => {
  test('behavior: a worker whose Redis has gone away still stops on SIGTERM (exit 0)', async () => {
    const url = redis?.url as string
    const worker = runChild(
      ['worker', '--queue', url, '--data', data, '--threads', '1'],
      {},
    )
    try {
      await waitFor(
        () => worker.output().includes('worker on'),
        'the worker ready',
        15_000,
      )
      await redis?.stop()
      redis = undefined
      await new Promise((r) => setTimeout(r, 500))
      worker.proc.kill('SIGTERM')
      const exit = await exitWithin(worker.exited, 10_000)
      expect(exit).toBe(0)
      expect(worker.output()).toContain('stopping: finishing the sets in hand')
    } finally {
      worker.proc.kill('SIGKILL')
    }
  }, 40_000)
})
