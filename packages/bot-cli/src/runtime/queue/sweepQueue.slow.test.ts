import { mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { Queue } from 'bullmq'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  captureIo,
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
import { loadCandles } from '../../commands/backtest.js'
import { main } from '../../main.js'
import {
  fileHash,
  parseQueueUrl,
  SWEEP_QUEUE,
  startQueueWorker,
  sweepIdOf,
} from './sweepQueue.js'

const skip = skipWithoutRedis()
let redis: TestRedis | undefined
let dir = ''
let data = ''

beforeAll(async () => {
  if (skip) return
  redis = await startRedis()
  dir = tempDir()
  // Sets of about 0.1 s each, so a worker is killed in the middle of one.
  data = join(dir, 'long.csv')
  renameSync(writeCandleFile(dir, 40_000), data)
}, 20_000)
afterAll(async () => {
  await redis?.stop()
})

const GRID = [
  '--grid',
  'takeProfitPercentage=0.25,0.5,1,2',
  '--grid',
  'orderCount=4,8,12',
]

async function sweepJson(args: string[]) {
  const { io, stdout, stderr } = captureIo({}, dir)
  const code = await main(
    ['sweep', '--data', data, '--json', ...GRID, ...args],
    io,
  )
  return { code, out: stdout(), err: stderr() }
}

describe.skipIf(skip)('runQueueSweep', () => {
  test('behavior: two worker processes, one SIGKILLed mid-set: the sweep completes with the local ranking; a re-run with no worker left picks up the finished sets', async () => {
    const url = redis?.url as string
    const local = await sweepJson(['--workers', '1'])
    expect(local.code).toBe(0)
    const worker = () =>
      runChild(
        [
          'worker',
          '--queue',
          url,
          '--data',
          data,
          '--threads',
          '1',
          '--lock-ms',
          '2000',
          '--stalled-ms',
          '1000',
        ],
        {},
      )
    const [a, b] = [worker(), worker()]
    try {
      await waitFor(
        () =>
          a.output().includes('worker on') && b.output().includes('worker on'),
        'two workers ready',
        15_000,
      )
      const queued = sweepJson(['--queue', url])
      await waitFor(() => a.output().includes(': started'), 'a set on worker a')
      a.proc.kill('SIGKILL')
      expect(await a.exited).toBe('SIGKILL')
      const result = await queued
      expect(result.err).toContain('sweeping (queue) 100%')
      expect(result.code).toBe(0)
      expect(JSON.parse(result.out)).toEqual(JSON.parse(local.out))

      // The set worker a held was taken again once its lock expired.
      const queue = new Queue(SWEEP_QUEUE, {
        connection: parseQueueUrl(url).connection,
      })
      try {
        const jobs = await queue.getJobs(['completed'])
        expect(jobs).toHaveLength(12)
        expect(Math.max(...jobs.map((j) => j.attemptsStarted))).toBeGreaterThan(
          1,
        )
      } finally {
        await queue.close()
      }

      b.proc.kill('SIGTERM')
      expect(await b.exited).toBe(0)
      const again = await sweepJson(['--queue', url])
      expect(again.code).toBe(0)
      expect(JSON.parse(again.out)).toEqual(JSON.parse(local.out))
    } finally {
      a.proc.kill('SIGKILL')
      b.proc.kill('SIGKILL')
    }
  }, 60_000)

  test('error: a worker whose candle file has other content refuses the set, and the sweep names the file', async () => {
    const url = redis?.url as string
    const other = join(dir, 'other')
    mkdirSync(other)
    const theirs = join(other, 'short.csv')
    renameSync(writeCandleFile(other, 500), theirs)
    const mine = join(dir, 'short.csv')
    renameSync(writeCandleFile(dir, 400), mine)
    const worker = await startQueueWorker({
      target: parseQueueUrl(url),
      files: [
        {
          path: theirs,
          name: 'short.csv',
          sha256: await fileHash(theirs),
          candles: await loadCandles(theirs, { write: () => true }),
        },
      ],
      threads: 1,
      lockMs: 2000,
      stalledMs: 1000,
      log: () => {},
    })
    try {
      const { io, stderr } = captureIo({}, dir)
      const code = await main(
        ['sweep', '--data', mine, '--queue', url, '--grid', 'orderCount=4,8'],
        io,
      )
      expect(code).toBe(1)
      expect(stderr()).toContain(
        "failed on a worker: the sweep's candle file short.csv (sha256 ",
      )
      expect(stderr()).toContain(
        "is not one of this worker's --data files: its short.csv has other content",
      )
    } finally {
      await worker.close()
    }
  }, 20_000)

  test('behavior: a markets config on the queue: each market its own sweep (its options, its file), ranked per market and in total exactly as the local sweep', async () => {
    const url = redis?.url as string
    const mdir = join(dir, 'markets')
    mkdirSync(mdir)
    const btc = join(mdir, 'BTC_USDC-1m.csv')
    renameSync(writeCandleFile(mdir, 600), btc)
    const eth = join(mdir, 'eth.csv')
    renameSync(writeCandleFile(mdir, 900), eth)
    const config = join(mdir, 'rung.config.json')
    writeFileSync(
      config,
      JSON.stringify({
        trading: {
          maxDropPercentage: 7,
          orderCount: 4,
          incrementPercentage: 50,
          takeProfitPercentage: 0.25,
        },
        markets: [
          { tradingCoin: 'BTC', totalAmount: '2000' },
          {
            symbol: 'ETH_USDC',
            totalAmount: '1000',
            orderCount: 3,
            takeProfitPercentage: '1',
          },
        ],
      }),
      { mode: 0o600 },
    )
    const args = [
      'sweep',
      '--config',
      config,
      '--data',
      btc,
      '--data',
      `ETH_USDC=${eth}`,
      '--grid',
      'incrementPercentage=20,50',
      '--grid',
      'takeProfitPercentage=0.5,1',
    ]
    const sweepOf = async (extra: string[]) => {
      const { io, stdout, stderr } = captureIo({}, mdir)
      const code = await main([...args, ...extra], io)
      return { code, out: stdout(), err: stderr() }
    }
    const local = await sweepOf(['--workers', '0', '--json'])
    expect(local.code).toBe(0)
    const held = async (path: string) => ({
      path,
      name: basename(path),
      sha256: await fileHash(path),
      candles: await loadCandles(path, { write: () => true }),
    })
    const worker = await startQueueWorker({
      target: parseQueueUrl(url),
      files: [await held(btc), await held(eth)],
      threads: 1,
      lockMs: 2000,
      stalledMs: 1000,
      log: () => {},
    })
    try {
      const queued = await sweepOf(['--queue', url, '--json'])
      expect(queued.err).toContain('sweeping (queue) 100%')
      expect(queued.err).toMatch(
        /sweep BTC_USDC [0-9a-f]{12}, ETH_USDC [0-9a-f]{12}: 4 sets x 2 markets on /,
      )
      expect(queued.code).toBe(0)
      const ranked = JSON.parse(queued.out) as {
        files: { market: string }[]
      }[]
      expect(ranked).toHaveLength(4)
      expect(ranked[0]?.files.map((f) => f.market)).toEqual([
        'BTC_USDC',
        'ETH_USDC',
      ])
      expect(ranked).toEqual(JSON.parse(local.out))
      // Each market was its own sweep: 4 sets each on the queue.
      const text = await sweepOf(['--queue', url])
      expect(text.code).toBe(0)
      expect(text.out).toMatch(
        /rank +incrementPercentage +takeProfitPercentage +totalProfit \(total\) +BTC_USDC +ETH_USDC/,
      )
    } finally {
      await worker.close()
    }
  }, 30_000)

  test('error: no Redis at --queue names the flag', async () => {
    const { io, stderr } = captureIo({}, dir)
    const code = await main(
      [
        'sweep',
        '--data',
        data,
        '--queue',
        'redis://127.0.0.1:1',
        '--grid',
        'orderCount=4,8',
      ],
      io,
    )
    expect(code).toBe(1)
    expect(stderr()).toContain(
      'Cannot reach the sweep queue at redis://127.0.0.1:1 (--queue)',
    )
  })
})

describe('parseQueueUrl', () => {
  test('args: host, port, password and db; the display hides the password', () => {
    const t = parseQueueUrl('redis://:s3cret@10.0.0.5:6380/2')
    expect(t.connection).toMatchObject({
      host: '10.0.0.5',
      port: 6380,
      password: 's3cret',
      db: 2,
    })
    expect(t.display).toBe('redis://10.0.0.5:6380/2')
  })

  test('error: not a Redis URL names --queue and never shows the value', () => {
    expect(() => parseQueueUrl('http://:s3cret@host')).toThrow(
      'Invalid --queue: expected a Redis URL.\nFix: pass --queue redis://HOST:PORT',
    )
    expect(() => parseQueueUrl('http://:s3cret@host')).not.toThrow('s3cret')
  })
})

describe('sweepIdOf', () => {
  test('behavior: the same files, grid and config give the same id; other content gives another', () => {
    const base = {
      files: [{ name: 'a.csv', sha256: 'aa' }],
      grid: { orderCount: [4, 8] },
      config: { b: 1, a: 2 },
      market: { symbol: 'BTC_USDC' },
      fees: undefined,
      equityPoints: 50,
    }
    expect(sweepIdOf(base)).toBe(sweepIdOf({ ...base, config: { a: 2, b: 1 } }))
    expect(sweepIdOf(base)).not.toBe(
      sweepIdOf({ ...base, files: [{ name: 'a.csv', sha256: 'ab' }] }),
    )
    expect(sweepIdOf(base)).not.toBe(
      sweepIdOf({ ...base, grid: { orderCount: [8, 4] } }),
    )
  })
})
