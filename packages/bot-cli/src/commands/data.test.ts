import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { createBackpackClient } from '@rung/backpack-sdk'
import { readCandlesCsv } from '@rung/ladder-strategy/node'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  captureIo,
  startTestSim,
  type TestSim,
  tempDir,
} from '../../test/e2e.js'
import { main } from '../main.js'
import { downloadCandles, parseDay } from './data.js'

const T0 = Date.UTC(2024, 0, 1)
const MINUTES = 2100 // three pages of 1000
const END = T0 + MINUTES * 60_000

let t: TestSim
let clock = T0

/** A simulator whose clock walks through `MINUTES` minutes from T0, one trade or more each (klines come from trades). */
beforeAll(async () => {
  clock = T0 - 60_000
  t = await startTestSim({ now: () => clock })
  for (let i = 0; i < MINUTES; i++) {
    clock = T0 + i * 60_000 + 30_000
    t.sim.step(1, 60)
  }
  clock = END + 3_600_000
})
afterAll(() => t.sim.close())

/** The sim's own 1m klines of BTC_USDC over the range, as (open time ms, close). */
async function simCandles(from = T0, to = END) {
  const rows = []
  for (let s = from; s < to; s += 1000 * 60_000) {
    const page = await t.client.getKlines({
      symbol: 'BTC_USDC',
      interval: '1m',
      startTime: s / 1000,
      endTime: Math.min(to, s + 1000 * 60_000) / 1000,
    })
    rows.push(...page)
  }
  return rows.map((k) => [
    Date.parse(`${k.start.replace(' ', 'T')}Z`),
    Number(k.close),
  ])
}

async function fileCandles(path: string) {
  const series = await readCandlesCsv(path)
  return Array.from({ length: series.length }, (_, i) => [
    series.openTime[i],
    Number(series.close[i]) / 10 ** series.priceScale,
  ])
}

describe('downloadCandles', () => {
  test('behavior: rung data download pages the klines endpoint into a gzip CSV that backtest reads; a 429 is waited out', async () => {
    const dir = tempDir()
    const out = join(dir, 'btc.csv.gz')
    t.sim.setFaults({
      failNext: {
        count: 1,
        status: 429,
        retryAfterSec: 0,
        path: '/api/v1/klines',
      },
    })
    const { io, stdout, stderr } = captureIo({}, dir)
    const code = await main(
      [
        'data',
        'download',
        '--base-url',
        t.sim.url,
        '--market',
        'BTC_USDC',
        '--interval',
        '1m',
        '--from',
        '2024-01-01',
        '--to',
        '2024-01-02T11:00',
        '--out',
        'btc.csv.gz',
        '--pause',
        '0',
      ],
      io,
    )
    expect(stderr()).toContain('downloading BTC_USDC 1m 100%')
    expect(code).toBe(0)
    expect(stdout()).toContain(
      `${MINUTES} candles written to ${out} (3 requests)`,
    )
    const gz = readFileSync(out)
    expect(gz[0]).toBe(0x1f)
    expect(gunzipSync(gz).toString().split('\n')[0]).toBe(
      'open_time,open,high,low,close,volume',
    )
    const expected = await simCandles()
    expect(expected).toHaveLength(MINUTES)
    expect(await fileCandles(out)).toEqual(expected)
    expect(existsSync(`${out}.partial`)).toBe(false)

    const bt = captureIo({}, dir)
    expect(
      await main(
        ['backtest', '--data', 'btc.csv.gz', '--json', '--no-chart'],
        bt.io,
      ),
    ).toBe(0)
    expect(JSON.parse(bt.stdout()).candles).toBe(MINUTES)
  })

  test('behavior: a download that failed resumes from its .partial; a later --to appends to the finished file', async () => {
    const dir = tempDir()
    const out = join(dir, 'btc.csv.gz')
    let calls = 0
    const failing = createBackpackClient({
      baseUrl: t.sim.url,
      retry: false,
      fetch: (input, init) => {
        if (++calls === 2) return Promise.reject(new Error('network down'))
        return fetch(input, init as RequestInit)
      },
    })
    const base = {
      symbol: 'BTC_USDC',
      interval: '1m' as const,
      fromMs: T0,
      out,
      progress: { write: () => true },
      pauseMs: 0,
    }
    const mid = T0 + 1500 * 60_000
    await expect(
      downloadCandles({ ...base, client: failing, toMs: mid }),
    ).rejects.toThrow('network down')
    expect(existsSync(out)).toBe(false)
    // A crash in the middle of a write leaves half a line: dropped on resume.
    writeFileSync(`${out}.partial`, '1704', { flag: 'a' })

    const resumed = await downloadCandles({
      ...base,
      client: t.client,
      toMs: mid,
    })
    expect(resumed).toMatchObject({
      resumedFrom: T0 + 1000 * 60_000,
      added: 500,
      pages: 1,
    })
    expect(await fileCandles(out)).toEqual(await simCandles(T0, mid))

    const more = await downloadCandles({ ...base, client: t.client, toMs: END })
    expect(more).toMatchObject({ resumedFrom: mid, added: MINUTES - 1500 })
    expect(await fileCandles(out)).toEqual(await simCandles())

    const again = await downloadCandles({
      ...base,
      client: t.client,
      toMs: END,
    })
    expect(again).toMatchObject({ added: 0, pages: 0 })
    expect(await fileCandles(out)).toEqual(await simCandles())
  })
})

describe('parseDay', () => {
  test('args: a date is UTC midnight, and --to includes the whole day', () => {
    expect(parseDay('--from', '2024-01-01')).toBe(T0)
    expect(parseDay('--to', '2024-06-30')).toBe(Date.UTC(2024, 6, 1))
    expect(parseDay('--to', '2024-01-02T11:00')).toBe(END)
  })

  test('error: a bad date names the flag and the fix', async () => {
    expect(() => parseDay('--from', '01/01/2024')).toThrow(
      'Invalid --from "01/01/2024".\nFix: write a UTC date like 2024-01-01',
    )
    const { io, stderr } = captureIo({}, tempDir())
    const code = await main(
      [
        'data',
        'download',
        '--market',
        'BTC_USDC',
        '--interval',
        '1month',
        '--from',
        '2024-01-01',
        '--to',
        '2024-01-02',
      ],
      io,
    )
    expect(code).toBe(2)
    expect(stderr()).toContain('Invalid --interval "1month"')
  })
})
