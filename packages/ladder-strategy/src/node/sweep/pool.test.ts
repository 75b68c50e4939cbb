import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { zigzag } from '../../../test/fixtures.js'
import { candlesFromRows } from '../../candles/csv.js'
import { DEFAULT_LADDER_CONFIG } from '../../config.js'
import { isLadderConfigError, LadderConfigError } from '../../errors.js'
import type { LadderMarket } from '../../types.js'
import { createSweepPool, type SweepPool, workerExecArgv } from './pool.js'
import { sweep } from './sweep.js'

const MARKET: LadderMarket = {
  symbol: 'BTC_USDC',
  tickSize: '0.01',
  stepSize: '0.00001',
  minQuantity: '0.00001',
}
const COARSE: LadderMarket = { ...MARKET, tickSize: '1', stepSize: '0.001' }
const candles = candlesFromRows(zigzag(3000))
const base = { ...DEFAULT_LADDER_CONFIG, totalAmount: '1000' }
const gridA = {
  takeProfitPercentage: ['0.1', '0.25', '0.5'],
  orderCount: [2, 4],
}
const gridB = { maxDropPercentage: ['2', '5', '8'] }
const fees = { makerPercentage: '0.08', takerPercentage: '0.1' }

describe('createSweepPool', () => {
  let pool: SweepPool
  beforeAll(async () => {
    pool = await createSweepPool({ candles, workers: 2 })
  })
  afterAll(() => pool.close())

  test('default: several sweeps on one pool give the in-thread results', async () => {
    expect(pool.size).toBe(2)
    expect(pool.candles).toBe(3000)
    // Market, fees, metric and equity points travel with each sweep.
    const a = { config: base, market: MARKET, grid: gridA }
    const b = {
      config: base,
      market: COARSE,
      grid: gridB,
      fees,
      metric: 'realisedProfit' as const,
      equityPoints: 10,
    }
    const progress: number[] = []
    expect(
      await pool.sweep({ ...a, onProgress: ({ done }) => progress.push(done) }),
    ).toEqual(await sweep({ ...a, candles, workers: 0 }))
    expect(progress).toEqual([1, 2, 3, 4, 5, 6])
    const ranked = await pool.sweep(b)
    expect(ranked).toEqual(await sweep({ ...b, candles, workers: 0 }))
    expect(ranked[0]?.report.fees).not.toBe('0')
    expect(ranked[0]?.report.equity.length).toBeLessThanOrEqual(11)
  })

  test('behavior: overlapping sweeps share the workers and each gets its own sets', async () => {
    const a = { config: base, market: MARKET, grid: gridA }
    const b = { config: base, market: COARSE, grid: gridB }
    const seen = { a: 0, b: 0 }
    const [ra, rb] = await Promise.all([
      pool.sweep({
        ...a,
        onProgress: ({ done }) => {
          seen.a = done
        },
      }),
      pool.sweep({
        ...b,
        onProgress: ({ done }) => {
          seen.b = done
        },
      }),
    ])
    expect(seen).toEqual({ a: 6, b: 3 })
    expect(ra).toEqual(await sweep({ ...a, candles, workers: 0 }))
    expect(rb).toEqual(await sweep({ ...b, candles, workers: 0 }))
  })

  test('behavior: an abort rejects with the reason and leaves the pool usable', async () => {
    const controller = new AbortController()
    const reason = new Error('enough')
    const run = pool.sweep({
      config: base,
      market: MARKET,
      grid: gridA,
      signal: controller.signal,
      onProgress: ({ done }) => {
        if (done === 1) controller.abort(reason)
      },
    })
    await expect(run).rejects.toBe(reason)
    // Already aborted: rejects before queueing anything.
    await expect(
      pool.sweep({
        config: base,
        market: MARKET,
        grid: gridB,
        signal: AbortSignal.abort(reason),
      }),
    ).rejects.toBe(reason)
    const after = await pool.sweep({
      config: base,
      market: MARKET,
      grid: gridB,
    })
    expect(after.map((r) => r.rank)).toEqual([1, 2, 3])
  })

  test('error: a failing backtest or progress callback fails that sweep only', async () => {
    // Rules that pass every check, but no rung reaches 100 units of a
    // ~100 USDC coin with 1000 USDC: the backtest throws at the first candle.
    const heavy = { ...MARKET, minQuantity: '100' }
    const bad = pool.sweep({ config: base, market: heavy, grid: gridB })
    await expect(bad).rejects.toThrow(LadderConfigError)
    await expect(bad).rejects.toThrow(
      /^The sweep failed\.\n- grid set \d: its backtest threw, got "No rung fits at the first candle/,
    )
    // The calling thread reports the same way.
    await expect(
      sweep({ candles, config: base, market: heavy, grid: gridB, workers: 0 }),
    ).rejects.toThrow(/^The sweep failed\.\n- grid set 0: its backtest threw/)
    const boom = new Error('progress view crashed')
    await expect(
      pool.sweep({
        config: base,
        market: MARKET,
        grid: gridB,
        onProgress: () => {
          throw boom
        },
      }),
    ).rejects.toBe(boom)
    expect(
      (await pool.sweep({ config: base, market: MARKET, grid: gridB })).length,
    ).toBe(3)
  })

  test('error: sets, market, fees and equity points are checked before anything is queued', async () => {
    const rejects = (options: Partial<Parameters<SweepPool['sweep']>[0]>) =>
      expect(
        pool.sweep({ config: base, market: MARKET, grid: gridB, ...options }),
      ).rejects
    await rejects({ grid: { orderCount: [0] } }).toThrow(
      /grid set 0 \({"orderCount":0}\): orderCount/,
    )
    // Wrong for every set: said once, as the market's own error.
    await rejects({ market: { ...MARKET, tickSize: '0' } }).toThrow(
      'The market rules are not valid.\n- market.tickSize: must be a decimal string > 0, e.g. "0.01", got "0"',
    )
    // Wrong for one set only: that set is named.
    await rejects({
      grid: { totalAmount: ['1000', '100000000000000'] },
    }).toThrow(
      'Some parameter sets of the sweep are not valid.\n- grid set 1 ({"totalAmount":"100000000000000"}): totalAmount: is too large for exact integer arithmetic',
    )
    await rejects({ fees: { makerPercentage: '0.1%' } }).toThrow(
      '- fees.makerPercentage: must be a decimal string in percent, e.g. "0.1", got "0.1%"',
    )
    await rejects({ equityPoints: 0 }).toThrow(
      '- equityPoints: must be an integer >= 1, got 0',
    )
  })
})

describe('createSweepPool: lifecycle and arguments', () => {
  test('behavior: close rejects the running sweep and every later one; twice is fine', async () => {
    const pool = await createSweepPool({ candles, workers: 1 })
    const running = pool
      .sweep({ config: base, market: MARKET, grid: gridA })
      .catch((error: unknown) => error)
    await pool.close()
    expect(String(await running)).toMatch('The sweep pool is closed.')
    await expect(
      pool.sweep({ config: base, market: MARKET, grid: gridB }),
    ).rejects.toThrow(
      '- pool: create a new pool with createSweepPool, got "closed"',
    )
    await pool.close()
  })

  test('error: the worker count and the candles are checked first', async () => {
    for (const workers of [0, 1.5, Number.NaN, -1]) {
      const error = await createSweepPool({ candles, workers }).catch(
        (e: unknown) => e,
      )
      expect(isLadderConfigError(error)).toBe(true)
      expect((error as LadderConfigError).issues[0]?.path).toBe('workers')
    }
    await expect(createSweepPool({})).rejects.toThrow(
      '- candles: give candles or dataPath, got nothing',
    )
    await expect(
      sweep({
        candles,
        config: base,
        market: MARKET,
        grid: gridB,
        workers: -1,
      }),
    ).rejects.toThrow(
      '- workers: must be an integer >= 0 (0 runs in the calling thread), got -1',
    )
    await expect(
      sweep({
        candles,
        config: base,
        market: MARKET,
        grid: gridB,
        workers: 0,
        signal: AbortSignal.abort(new Error('stop')),
      }),
    ).rejects.toThrow('stop')
  })
})

describe('workerExecArgv', () => {
  test('behavior: inherits unless --input-type must be dropped', () => {
    expect(workerExecArgv(['--max-old-space-size=4096'])).toBeUndefined()
    expect(
      workerExecArgv([
        '--input-type=module',
        '--enable-source-maps',
        '-e',
        'x',
      ]),
    ).toEqual(['--enable-source-maps', '-e', 'x'])
    expect(workerExecArgv(['--input-type', 'module', '-e', 'x'])).toEqual([
      '-e',
      'x',
    ])
  })
})
