import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { divideDecimals, normalizeDecimal } from '@rung/backpack-sdk'
import {
  type BacktestFees,
  parseCandlesCsv,
  runBacktest,
} from '@rung/ladder-strategy'
import { describe, expect, test } from 'vitest'
import {
  captureIo,
  startTestSim,
  tempDir,
  writeCandleFile,
} from '../../test/e2e.js'
import { validateStrategy } from '../config/strategy.js'
import { main } from '../main.js'
import { DEFAULT_BACKTEST_FEES, DEFAULT_BACKTEST_MARKET } from './backtest.js'

/** The fees backpack-sim charges a fresh account, in percent (it reports basis points). */
async function simFees(): Promise<Required<BacktestFees>> {
  const { sim, client } = await startTestSim()
  try {
    const account = await client.getAccount()
    const percent = (bps: string) =>
      normalizeDecimal(
        divideDecimals(bps, '100', { decimals: 6, rounding: 'nearest' }),
        'fee',
      )
    return {
      makerPercentage: percent(account.spotMakerFee),
      takerPercentage: percent(account.spotTakerFee),
    }
  } finally {
    await sim.close()
  }
}

/** `runBacktest` on the file with the CLI's config (none given) and market. */
function expectedReport(
  data: string,
  fees: BacktestFees,
  params: Record<string, unknown> = {},
) {
  const { config } = validateStrategy({})
  return runBacktest({
    candles: parseCandlesCsv(readFileSync(data, 'utf8')),
    config: { ...config, ...params },
    market: { symbol: config.symbol, ...DEFAULT_BACKTEST_MARKET },
    fees,
    trades: false,
  })
}

/** Runs `rung backtest --json --no-chart` plus `args` and returns the exit code and report. */
async function backtestJson(dir: string, data: string, args: string[] = []) {
  const { io, stdout, stderr } = captureIo({}, dir)
  const code = await main(
    ['backtest', '--data', data, '--json', '--no-chart', ...args],
    io,
  )
  return { code, report: JSON.parse(stdout() || 'null'), stderr: stderr() }
}

describe('main', () => {
  test("default: backtest charges Backpack's spot fees, the ones the simulator charges, and reports them", async () => {
    const fees = await simFees()
    expect(fees).toEqual({ makerPercentage: '0.08', takerPercentage: '0.1' })
    expect(DEFAULT_BACKTEST_FEES).toEqual(fees)
    const dir = tempDir()
    const data = writeCandleFile(dir)
    const { code, report } = await backtestJson(dir, data)
    expect(code).toBe(0)
    const expected = expectedReport(data, fees)
    expect(Number(expected.fees)).toBeGreaterThan(0)
    expect(report).toMatchObject({
      feeRates: fees,
      fees: expected.fees,
      realisedProfit: expected.realisedProfit,
      unrealisedProfit: expected.unrealisedProfit,
      cycles: expected.cycles,
    })
    // the table says it too
    const { io, stdout } = captureIo({}, dir)
    expect(await main(['backtest', '--data', data, '--no-chart'], io)).toBe(0)
    expect(stdout()).toMatch(/\nfee rates\s+maker 0\.08 %, taker 0\.1 %\n/)
    expect(stdout()).toMatch(
      new RegExp(
        `\\nrealised profit\\s+${Number(expected.realisedProfit).toFixed(2)}\\n`,
      ),
    )
  })

  test('args: --maker-fee 0 --taker-fee 0 turns the fees off', async () => {
    const dir = tempDir()
    const data = writeCandleFile(dir)
    const withFees = await backtestJson(dir, data)
    const { code, report } = await backtestJson(dir, data, [
      '--maker-fee',
      '0',
      '--taker-fee',
      '0',
    ])
    expect(code).toBe(0)
    const expected = expectedReport(data, {})
    expect(report).toMatchObject({
      feeRates: { makerPercentage: '0', takerPercentage: '0' },
      fees: '0',
      realisedProfit: expected.realisedProfit,
    })
    // on this file the fees matter
    expect(Number(report.realisedProfit)).toBeGreaterThan(
      Number(withFees.report.realisedProfit),
    )
  })

  test('args: --data as Binance publishes it (12 columns, no header, microseconds, 8 decimals) gives the same report', async () => {
    const dir = tempDir()
    const data = writeCandleFile(dir)
    const binance = readFileSync(data, 'utf8')
      .split('\n')
      .filter((line) => /^\d/.test(line))
      .map((line) => {
        const [t, ...values] = line.split(',')
        const us = Number(t) * 1000
        const eight = values.map((v) =>
          v.includes('.') ? `${v}0000000` : `${v}.00000000`,
        )
        return [
          us,
          ...eight,
          us + 59_999_999,
          '90000.5',
          12,
          '0.7',
          '42000.1',
          0,
        ].join(',')
      })
      .join('\n')
    writeFileSync(join(dir, 'BTCUSDT-1m-2024-01.csv'), `${binance}\n`)
    const ours = await backtestJson(dir, data)
    const theirs = await backtestJson(dir, 'BTCUSDT-1m-2024-01.csv')
    expect(theirs.code).toBe(0)
    expect(theirs.report).toEqual(ours.report)
  })

  test('behavior: the SVG chart states the fees', async () => {
    const dir = tempDir()
    const data = writeCandleFile(dir)
    const { io } = captureIo({}, dir)
    expect(
      await main(
        [
          'backtest',
          '--data',
          data,
          '--chart',
          'eq.svg',
          '--maker-fee',
          '0.02',
        ],
        io,
      ),
    ).toBe(0)
    expect(readFileSync(join(dir, 'eq.svg'), 'utf8')).toContain(
      '<title>rung backtest: BTC_USDC candles.csv (equity, quote; fees maker 0.02 %, taker 0.1 %)</title>',
    )
  })

  test("default: sweep charges Backpack's spot fees and states them", async () => {
    const dir = tempDir()
    const data = writeCandleFile(dir, 300)
    const args = [
      'sweep',
      '--data',
      data,
      '--workers',
      '0',
      '--grid',
      'takeProfitPercentage=0.25,1',
    ]
    const json = captureIo({}, dir)
    expect(await main([...args, '--json'], json.io)).toBe(0)
    const ranked = JSON.parse(json.stdout()) as {
      params: Record<string, unknown>
      feeRates: BacktestFees
      report: { realisedProfit: string; fees: string }
    }[]
    expect(ranked).toHaveLength(2)
    for (const r of ranked) {
      expect(r.feeRates).toEqual(DEFAULT_BACKTEST_FEES)
      const expected = expectedReport(data, DEFAULT_BACKTEST_FEES, r.params)
      expect(r.report.fees).toBe(expected.fees)
      expect(r.report.realisedProfit).toBe(expected.realisedProfit)
    }
    const table = captureIo({}, dir)
    expect(await main(args, table.io)).toBe(0)
    expect(table.stdout()).toContain('fees: maker 0.08 %, taker 0.1 %')
    const free = captureIo({}, dir)
    expect(
      await main(
        [...args, '--maker-fee', '0', '--taker-fee', '0', '--json'],
        free.io,
      ),
    ).toBe(0)
    expect(JSON.parse(free.stdout())[0].feeRates).toEqual({
      makerPercentage: '0',
      takerPercentage: '0',
    })
  })

  test('error: a --chart path that cannot be written exits 2 before the backtest runs', async () => {
    const dir = tempDir()
    const data = writeCandleFile(dir)
    mkdirSync(join(dir, 'charts'))
    for (const [chart, reason, fix] of [
      [
        'missing/eq.svg',
        `the directory ${join(dir, 'missing')} does not exist`,
        `create it (mkdir -p ${join(dir, 'missing')})`,
      ],
      ['charts', 'it is a directory', 'name a file'],
      [
        'candles.csv/eq.svg',
        'a parent of it is not a directory',
        'fix the path',
      ],
    ] as const) {
      const { io, stdout, stderr } = captureIo({}, dir)
      expect(
        await main(['backtest', '--data', data, '--chart', chart], io),
      ).toBe(2)
      expect(stderr()).toBe(
        `rung: Cannot write the equity chart to ${join(dir, chart)} (--chart): ${reason}.\nFix: ${fix}, pass another path with --chart, or --no-chart.\n`,
      )
      expect(stdout()).toBe('') // no report: the backtest did not run
    }
    expect(readdirSync(dir).sort()).toEqual(['candles.csv', 'charts'])
  })

  test('error: a --data file that cannot be read exits 2 naming the flag, before the chart is checked', async () => {
    const dir = tempDir()
    mkdirSync(join(dir, 'adir'))
    for (const [data, reason] of [
      ['nope.csv', 'ENOENT: no such file or directory'],
      ['adir', 'EISDIR: illegal operation on a directory'],
    ] as const) {
      const { io, stdout, stderr } = captureIo({}, dir)
      expect(
        await main(['backtest', '--data', data, '--chart', 'no/such.svg'], io),
      ).toBe(2)
      expect(stderr()).toContain(
        `rung: Cannot read the candle file ${join(dir, data)} (--data): ${reason}`,
      )
      expect(stderr()).toContain(
        '\nFix: pass an existing, readable CSV (or .csv.gz) of 1-minute candles with --data.\n',
      )
      expect(stdout()).toBe('')
    }
  })
})
