import { existsSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { addDecimals } from '@rung/backpack-sdk'
import { describe, expect, test } from 'vitest'
import { captureIo, tempDir, writeCandleFile } from '../../test/e2e.js'
import { validateMarkets } from '../config/markets.js'
import { main } from '../main.js'
import { dataPaths, pairMarketsData } from './marketsData.js'

const TRADING = {
  maxDropPercentage: 7,
  orderCount: 4,
  incrementPercentage: 50,
  takeProfitPercentage: 0.25,
}

/** A markets config: BTC with the shared options, ETH with its own take profit and rung count. */
const MARKETS = {
  trading: TRADING,
  markets: [
    { tradingCoin: 'BTC', totalAmount: '2000' },
    {
      symbol: 'ETH_USDC',
      totalAmount: '1000',
      orderCount: 3,
      takeProfitPercentage: '1',
    },
  ],
}

/** Writes `config` and two candle files of different lengths; returns their paths. */
function setup(config: unknown = MARKETS) {
  const dir = tempDir()
  const btc = join(dir, 'BTC_USDC-1m.csv')
  renameSync(writeCandleFile(dir, 600), btc)
  const eth = join(dir, 'eth.csv')
  renameSync(writeCandleFile(dir, 900), eth)
  const path = join(dir, 'rung.config.json')
  writeFileSync(path, JSON.stringify(config), { mode: 0o600 })
  return { dir, btc, eth, config: path }
}

async function run(dir: string, args: string[]) {
  const { io, stdout, stderr } = captureIo({}, dir)
  const code = await main(args, io)
  return { code, stdout: stdout(), stderr: stderr() }
}

const list = (symbols: string[]) =>
  validateMarkets({
    trading: TRADING,
    markets: symbols.map((symbol) => ({ symbol, totalAmount: '100' })),
  })

describe('pairMarketsData', () => {
  test('default: SYMBOL=path names the market, a plain path goes by its file name; config order', () => {
    const pairs = pairMarketsData(
      list(['BTC_USDC', 'ETH_USDC', 'SOL_USDC']),
      ['data/sol-usdc.csv.gz', 'ETH_USDC=e.csv', 'btc_usdc=/abs/b.csv'],
      '/work',
    )
    expect(pairs.map((p) => [p.symbol, p.data, p.config.symbol])).toEqual([
      ['BTC_USDC', '/abs/b.csv', 'BTC_USDC'],
      ['ETH_USDC', '/work/e.csv', 'ETH_USDC'],
      ['SOL_USDC', '/work/data/sol-usdc.csv.gz', 'SOL_USDC'],
    ])
  })

  test('behavior: a file name holding two symbols goes to the longer one', () => {
    const pairs = pairMarketsData(
      list(['SOL_USDC', 'JITOSOL_USDC']),
      ['JITOSOL_USDC.csv', 'SOL_USDC.csv'],
      '/w',
    )
    expect(pairs.map((p) => p.data)).toEqual([
      '/w/SOL_USDC.csv',
      '/w/JITOSOL_USDC.csv',
    ])
  })

  test('error: a market the config does not list', () => {
    expect(() =>
      pairMarketsData(list(['BTC_USDC', 'ETH_USDC']), ['SOL_USDC=s.csv'], '/'),
    ).toThrowErrorMatchingInlineSnapshot(`
      [ConfigError: --data SOL_USDC=s.csv names SOL_USDC, which the config does not list (it lists BTC_USDC, ETH_USDC).
      Fix: use one of the config's markets, or add SOL_USDC to its markets list.]
    `)
  })

  test('error: a file named after no market', () => {
    expect(() =>
      pairMarketsData(list(['BTC_USDC', 'ETH_USDC']), ['candles.csv'], '/'),
    ).toThrowErrorMatchingInlineSnapshot(`
      [ConfigError: The candle file candles.csv (--data) names no market of the config; the config lists BTC_USDC, ETH_USDC.
      Fix: name its market, e.g. --data BTC_USDC=candles.csv]
    `)
  })

  test('error: two files for one market', () => {
    expect(() =>
      pairMarketsData(
        list(['BTC_USDC', 'ETH_USDC']),
        ['BTC_USDC=a.csv', 'btc_usdc-2.csv'],
        '/d',
      ),
    ).toThrowErrorMatchingInlineSnapshot(`
      [ConfigError: BTC_USDC has two candle files (--data): /d/a.csv and btc_usdc-2.csv.
      Fix: give each market one file (backtest another period in another run).]
    `)
  })

  test('error: a market without a file', () => {
    expect(() =>
      pairMarketsData(
        list(['BTC_USDC', 'ETH_USDC', 'SOL_USDC']),
        ['ETH_USDC=e.csv'],
        '/',
      ),
    ).toThrowErrorMatchingInlineSnapshot(`
      [ConfigError: The config lists BTC_USDC, ETH_USDC, SOL_USDC, and BTC_USDC, SOL_USDC have no candle file (--data).
      Fix: add --data BTC_USDC=<file> for each, or pass --market <symbol> to backtest one market alone.]
    `)
  })
})

describe('dataPaths', () => {
  test('args: a SYMBOL= prefix naming the ladder market is dropped; another market is refused', () => {
    expect(dataPaths(['BTC_USDC=a.csv', 'b.csv'], 'BTC_USDC', '/d')).toEqual([
      '/d/a.csv',
      '/d/b.csv',
    ])
    expect(() =>
      dataPaths(['ETH_USDC=a.csv'], 'BTC_USDC', '/d'),
    ).toThrowErrorMatchingInlineSnapshot(`
      [ConfigError: --data ETH_USDC=a.csv names ETH_USDC, and this backtest runs BTC_USDC.
      Fix: pass the BTC_USDC file, or run ETH_USDC with --market ETH_USDC (a markets config) or its own config.]
    `)
  })
})

describe('rung backtest with a markets config', () => {
  test('behavior: each market runs its file with its own options, reported per market and in total', async () => {
    const { dir, btc, eth, config } = setup()
    const alone = async (market: string, data: string) => {
      const r = await run(dir, [
        'backtest',
        '--config',
        config,
        '--market',
        market,
        '--data',
        data,
        '--json',
        '--no-chart',
      ])
      expect(r.code).toBe(0)
      return JSON.parse(r.stdout)
    }
    const [rb, re] = [
      await alone('BTC_USDC', btc),
      await alone('ETH_USDC', eth),
    ]
    const both = await run(dir, [
      'backtest',
      '--config',
      config,
      '--data',
      'ETH_USDC=eth.csv',
      '--data',
      btc,
      '--json',
      '--no-chart',
    ])
    expect(both.code).toBe(0)
    const out = JSON.parse(both.stdout)
    expect(out.markets).toEqual([
      { market: 'BTC_USDC', data: btc, ...rb },
      { market: 'ETH_USDC', data: eth, ...re },
    ])
    expect(out.total).toMatchObject({
      files: 2,
      candles: 1500,
      cycles: rb.cycles + re.cycles,
      realisedProfit: addDecimals(rb.realisedProfit, re.realisedProfit),
      fees: addDecimals(rb.fees, re.fees),
    })
    // ETH's own options: the same file with the shared options reports otherwise.
    const shared = setup({
      trading: TRADING,
      markets: [
        { tradingCoin: 'BTC', totalAmount: '2000' },
        { symbol: 'ETH_USDC', totalAmount: '1000' },
      ],
    })
    const plain = await run(shared.dir, [
      'backtest',
      '--config',
      shared.config,
      '--market',
      'ETH_USDC',
      '--data',
      eth,
      '--json',
      '--no-chart',
    ])
    expect(JSON.parse(plain.stdout).cycles).not.toBe(re.cycles)

    const text = await run(dir, [
      'backtest',
      '--config',
      config,
      '--data',
      'BTC_USDC-1m.csv',
      '--data',
      'ETH_USDC=eth.csv',
    ])
    expect(text.code).toBe(0)
    expect(text.stdout).toContain('── BTC_USDC (BTC_USDC-1m.csv) ──')
    expect(text.stdout).toContain('── ETH_USDC (eth.csv) ──')
    expect(text.stdout).toMatch(
      /── total \(2 markets\) ──\nmarkets +2\ncandles +1500\n/,
    )
    expect(existsSync(join(dir, 'backtest-BTC_USDC.svg'))).toBe(true)
    expect(existsSync(join(dir, 'backtest-ETH_USDC.svg'))).toBe(true)
  })

  test('error: a market without a file fails before any backtest runs', async () => {
    const { dir, btc, config } = setup()
    const r = await run(dir, ['backtest', '--config', config, '--data', btc])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('ETH_USDC has no candle file')
    expect(r.stdout).toBe('')
  })
})

describe('rung sweep with a markets config', () => {
  test('behavior: every set runs on each market with its own options; ranked by the total, a column per market', async () => {
    const { dir, btc, eth, config } = setup()
    const args = [
      '--config',
      config,
      '--data',
      btc,
      '--data',
      `ETH_USDC=${eth}`,
    ]
    const r = await run(dir, [
      'sweep',
      ...args,
      '--grid',
      'incrementPercentage=20,50',
      '--workers',
      '0',
      '--json',
    ])
    expect(r.code).toBe(0)
    const ranked = JSON.parse(r.stdout) as {
      params: { incrementPercentage: string }
      report: { realisedProfit: string }
      files: { market: string; data: string; report: { cycles: number } }[]
    }[]
    expect(ranked).toHaveLength(2)
    const set = ranked.find((s) => s.params.incrementPercentage === '50')
    expect(set?.files.map((f) => [f.market, f.data])).toEqual([
      ['BTC_USDC', btc],
      ['ETH_USDC', eth],
    ])
    // The set incrementPercentage=50 is the config itself: the backtest's numbers.
    const bt = JSON.parse(
      (await run(dir, ['backtest', ...args, '--json', '--no-chart'])).stdout,
    )
    expect(set?.files.map((f) => f.report.cycles)).toEqual(
      bt.markets.map((m: { cycles: number }) => m.cycles),
    )
    expect(set?.report.realisedProfit).toBe(bt.total.realisedProfit)

    const text = await run(dir, [
      'sweep',
      ...args,
      '--grid',
      'incrementPercentage=20,50',
      '--workers',
      '0',
    ])
    expect(text.stdout).toMatch(
      /rank +incrementPercentage +totalProfit \(total\) +BTC_USDC +ETH_USDC/,
    )
  })

  test('error: --queue with several markets and no Redis there names --queue', async () => {
    const { dir, btc, eth, config } = setup()
    const r = await run(dir, [
      'sweep',
      '--config',
      config,
      '--data',
      btc,
      '--data',
      `ETH_USDC=${eth}`,
      '--grid',
      'orderCount=3,4',
      '--queue',
      'redis://127.0.0.1:1',
    ])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(
      'Cannot reach the sweep queue at redis://127.0.0.1:1 (--queue)',
    )
  })
})
