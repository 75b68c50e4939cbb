import { existsSync, mkdirSync, renameSync } from 'node:fs'
import { join } from 'node:path'
import { addDecimals } from '@rung/backpack-sdk'
import { describe, expect, test } from 'vitest'
import { captureIo, tempDir, writeCandleFile } from '../../test/e2e.js'
import { main } from '../main.js'
import { chartFor } from './multiData.js'

/** Two candle files of different lengths (two periods) in `dir`. */
function twoFiles(dir: string) {
  const a = join(dir, 'a.csv')
  renameSync(writeCandleFile(dir, 600), a)
  const sub = join(dir, 'b')
  mkdirSync(sub)
  const b = join(dir, 'b.csv')
  renameSync(writeCandleFile(sub, 900), b)
  return [a, b] as const
}

async function run(dir: string, args: string[]) {
  const { io, stdout, stderr } = captureIo({}, dir)
  const code = await main(args, io)
  return { code, stdout: stdout(), stderr: stderr() }
}

describe('backtestFilesCommand', () => {
  test('behavior: backtest with several --data reports each file as alone, and their total', async () => {
    const dir = tempDir()
    const [a, b] = twoFiles(dir)
    const one = async (data: string) =>
      JSON.parse(
        (await run(dir, ['backtest', '--data', data, '--json', '--no-chart']))
          .stdout,
      )
    const [ra, rb] = [await one(a), await one(b)]
    const both = await run(dir, [
      'backtest',
      '--data',
      a,
      '--data',
      b,
      '--json',
      '--no-chart',
    ])
    expect(both.code).toBe(0)
    const out = JSON.parse(both.stdout)
    expect(out.files).toEqual([
      { data: a, ...ra },
      { data: b, ...rb },
    ])
    expect(out.total).toMatchObject({
      files: 2,
      candles: 1500,
      cycles: ra.cycles + rb.cycles,
      realisedProfit: addDecimals(ra.realisedProfit, rb.realisedProfit),
      fees: addDecimals(ra.fees, rb.fees),
      feeRates: { makerPercentage: '0.08', takerPercentage: '0.1' },
    })

    const text = await run(dir, [
      'backtest',
      '--data',
      'a.csv',
      '--data',
      'b.csv',
    ])
    expect(text.code).toBe(0)
    expect(text.stdout).toContain('── a.csv ──')
    expect(text.stdout).toContain('── b.csv ──')
    expect(text.stdout).toMatch(
      /── total \(2 files\) ──\nfiles +2\ncandles +1500\n/,
    )
    expect(existsSync(join(dir, 'backtest-a.svg'))).toBe(true)
    expect(existsSync(join(dir, 'backtest-b.svg'))).toBe(true)
  })

  test('error: a missing file among several fails before any backtest runs', async () => {
    const dir = tempDir()
    const [a] = twoFiles(dir)
    const r = await run(dir, ['backtest', '--data', 'nope.csv', '--data', a])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('Cannot read the candle file')
    expect(r.stdout).toBe('')
  })
})

describe('backtestFilesCommand (--report)', () => {
  test('behavior: several --data with --report write one HTML report per file, named after it', async () => {
    const dir = tempDir()
    const [a, b] = twoFiles(dir)
    const html = join(dir, 'out.html')
    const res = await run(dir, [
      'backtest',
      '--data',
      a,
      '--data',
      b,
      '--no-chart',
      '--report',
      html,
    ])
    expect(res.code).toBe(0)
    const names = [a, b].map((f) =>
      join(
        dir,
        `out-${f
          .split('/')
          .pop()
          ?.replace(/\.csv(\.gz)?$/, '')}.html`,
      ),
    )
    for (const name of names) {
      expect(existsSync(name)).toBe(true)
      expect(res.stdout).toContain(`report: ${name}`)
    }
    expect(existsSync(html)).toBe(false)
  })
})

describe('sweepCommand', () => {
  test('behavior: sweep with several --data runs each set on every file and ranks by the total, with a metric per file', async () => {
    const dir = tempDir()
    const [a, b] = twoFiles(dir)
    const grid = [
      '--grid',
      'takeProfitPercentage=0.25,1',
      '--grid',
      'orderCount=4,8',
    ]
    const sweepJson = async (...data: string[]) =>
      JSON.parse(
        (
          await run(dir, [
            'sweep',
            ...data.flatMap((d) => ['--data', d]),
            '--workers',
            '0',
            '--json',
            ...grid,
          ])
        ).stdout,
      ) as {
        rank: number
        metric: string
        params: Record<string, unknown>
        report: Record<string, unknown>
        files?: { data: string; metric: string; report: unknown }[]
      }[]
    const byParams = (rows: Awaited<ReturnType<typeof sweepJson>>) =>
      new Map(rows.map((r) => [JSON.stringify(r.params), r]))
    const [sa, sb] = [
      byParams(await sweepJson(a)),
      byParams(await sweepJson(b)),
    ]
    const both = await sweepJson(a, b)
    expect(both).toHaveLength(4)
    for (const row of both) {
      const key = JSON.stringify(row.params)
      const [ra, rb] = [sa.get(key), sb.get(key)]
      expect(row.files).toEqual([
        { data: a, metric: ra?.metric, report: ra?.report },
        { data: b, metric: rb?.metric, report: rb?.report },
      ])
      expect(row.metric).toBe(addDecimals(ra?.metric ?? '', rb?.metric ?? ''))
    }
    const metrics = both.map((r) => Number(r.metric))
    expect(metrics).toEqual([...metrics].sort((x, y) => y - x))

    const text = await run(dir, [
      'sweep',
      '--data',
      a,
      '--data',
      b,
      '--workers',
      '0',
      ...grid,
    ])
    expect(text.code).toBe(0)
    expect(text.stdout).toMatch(
      /^rank +takeProfitPercentage +orderCount +totalProfit \(total\) +a\.csv +b\.csv +cycles/,
    )
  })
})

describe('chartFor', () => {
  test('args: several files name one chart each after --chart or the data file', () => {
    expect(chartFor('/d/a.csv.gz', undefined, true, '/w')).toBe(
      '/w/backtest-a.svg',
    )
    expect(chartFor('/d/a.csv', '/o/x.svg', true, '/w')).toBe('/o/x-a.svg')
    expect(chartFor('/d/a.csv', '/o/x.svg', false, '/w')).toBe('/o/x.svg')
    expect(chartFor('/d/a.csv', false, true, '/w')).toBe(false)
  })
})
