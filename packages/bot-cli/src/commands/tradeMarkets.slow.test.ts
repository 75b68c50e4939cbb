/**
 * Several ladders in one process, end to end against backpack-sim on
 * loopback: BTC, ETH and SOL through full cycles on one connection, the
 * budget cap under concurrent fills, and `rung stop --market`.
 */
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  addDecimals,
  compareDecimals,
  subtractDecimals,
} from '@rung/backpack-sdk'
import { afterEach, describe, expect, test } from 'vitest'
import {
  captureIo,
  startTestSim,
  stopRuns,
  type TestSim,
  tempDir,
  trackSim,
  waitFor,
} from '../../test/e2e.js'
import { main, mainWithHooks } from '../main.js'
import { readStatusFile } from '../runtime/statusFile.js'
import type { StartedHandle } from './trade.js'

const MARKETS = ['BTC_USDC', 'ETH_USDC', 'SOL_USDC'] as const

let stopLast: (() => Promise<unknown>) | undefined
afterEach(async () => {
  await stopLast?.()
  stopLast = undefined
  await stopRuns()
})

/** Writes a three-market config and starts `rung run` on it against the sim. */
async function startMarkets(maxTotalAmount = '3500') {
  const t = trackSim(await startTestSim())
  t.sim.setPrice('ETH_USDC', '3000')
  t.sim.setPrice('SOL_USDC', '150')
  const dir = tempDir()
  const config = join(dir, 'rung.config.jsonc')
  writeFileSync(
    config,
    JSON.stringify({
      maxTotalAmount,
      trading: {
        maxDropPercentage: 7,
        orderCount: 4,
        incrementPercentage: 50,
        takeProfitPercentage: 0.25,
      },
      actions: { cancelAllOrders: true, autoRestartNoFill: false },
      advanced: { minOrderAmount: 10, monitorIntervalSeconds: 0.2 },
      websocket: {
        url: 'wss://ws.backpack.exchange',
        options: { reconnectInterval: 100, maxReconnectAttempts: 0 },
      },
      markets: [
        { tradingCoin: 'BTC', totalAmount: '2000' },
        { tradingCoin: 'ETH', totalAmount: '1000' },
        { symbol: 'SOL_USDC', totalAmount: '500', orderCount: 3 },
      ],
    }),
    { mode: 0o600 },
  )
  const dataDir = join(dir, 'data')
  const { io, stdout, stderr } = captureIo(
    {
      BACKPACK_API_KEY: t.keys.publicKey,
      BACKPACK_API_SECRET: t.keys.secretKey,
    },
    dir,
  )
  let handle: StartedHandle | undefined
  const exit = mainWithHooks(
    [
      'run',
      '--config',
      config,
      '--data-dir',
      dataDir,
      '--base-url',
      t.sim.url,
      '--ws-url',
      t.sim.wsUrl,
    ],
    io,
    {
      onStarted: (h) => {
        handle = h
      },
      clientOptions: { windowMs: 1000 },
    },
  )
  let ended: number | undefined
  void exit.then((code) => {
    ended = code
  })
  const bot = await waitFor(() => {
    if (handle === undefined && ended !== undefined)
      throw new Error(`rung run exited ${ended}:\n${stderr()}`)
    return handle
  }, 'the bot to start')
  stopLast = async () => {
    bot.stop()
    await exit
  }
  const ladders = bot.ladders ?? {}
  return { t, dir, config, dataDir, io, bot, ladders, exit, stdout, stderr }
}

/** Open orders of a market on the sim: wire client ids. */
const openIds = async (t: TestSim, symbol: string) =>
  (await t.client.getOpenOrders({ symbol }))
    .map((o) => o.clientId ?? -1)
    .sort((a, b) => a - b)

/** USDC the account spent so far (initial 10000 less what it holds, available + locked). */
async function usdcCommitted(t: TestSim): Promise<string> {
  const usdc = (await t.client.getBalances()).USDC
  const held = usdc ? addDecimals(usdc.available, usdc.locked) : '0'
  return subtractDecimals('10000', held)
}

describe('rung run with several markets (end to end against backpack-sim)', {
  timeout: 60_000,
}, () => {
  test('behavior: three ladders on one connection trade full cycles, each with its own client ids and journal', async () => {
    const run = await startMarkets()
    const { t, ladders } = run
    expect(Object.keys(ladders)).toEqual([...MARKETS])
    // Every market places its ladder; the wire ids never collide.
    await waitFor(async () => {
      const counts = await Promise.all(MARKETS.map((m) => openIds(t, m)))
      return (
        counts[0]?.length === 4 &&
        counts[1]?.length === 4 &&
        counts[2]?.length === 3
      )
    }, 'three ladders')
    const wire = (await Promise.all(MARKETS.map((m) => openIds(t, m)))).flat()
    expect(new Set(wire).size).toBe(wire.length)
    // One WebSocket connection carries every market's streams.
    expect(t.sim.connections()).toBe(1)

    // Prices fall in every market at once: rungs fill in all three.
    t.sim.setPrice('BTC_USDC', '57000')
    t.sim.setPrice('ETH_USDC', '2850')
    t.sim.setPrice('SOL_USDC', '142')
    await waitFor(
      () =>
        MARKETS.every(
          (m) =>
            (ladders[m]?.state().position.fills ?? 0) >= 2 &&
            ladders[m]?.state().status === 'inPosition',
        ),
      'fills in all three markets',
    )
    // The cap holds with every market filled at once.
    expect(compareDecimals(await usdcCommitted(t), '3500')).toBeLessThanOrEqual(
      0,
    )

    // Prices rise past every take-profit: three sells, three new ladders.
    t.sim.setPrice('BTC_USDC', '63000')
    t.sim.setPrice('ETH_USDC', '3300')
    t.sim.setPrice('SOL_USDC', '165')
    await waitFor(
      () => MARKETS.every((m) => ladders[m]?.state().cycle === 2),
      'cycle 2 in all three markets',
    )
    for (const m of MARKETS) {
      expect(ladders[m]?.state().totals.cycles).toBe(1)
      expect(ladders[m]?.state().totals.realisedUnits).toBeGreaterThan(0)
      expect(existsSync(join(run.dataDir, 'markets', m, 'journal.jsonl'))).toBe(
        true,
      )
    }
    // status.json lists every market and the total.
    const status = await waitFor(() => {
      const s = readStatusFile(run.dataDir)
      return s && s.markets?.length === 3 && s.total?.cycles === 3
        ? s
        : undefined
    }, 'the status of every market')
    expect(status.markets?.map((m) => m.symbol)).toEqual([...MARKETS])
    expect(status.total?.maxTotalAmount).toBe('3500')
    expect(compareDecimals(status.total?.realisedProfit ?? '0', '0')).toBe(1)

    run.bot.stop()
    expect(await run.exit).toBe(0)
    for (const m of MARKETS) expect(await openIds(t, m)).toEqual([])
  })

  test('behavior: rung stop --market stops one ladder; the others go on', async () => {
    const run = await startMarkets()
    const { t, ladders } = run
    await waitFor(
      async () => (await openIds(t, 'SOL_USDC')).length === 3,
      'the SOL ladder',
    )
    const { io, stdout } = captureIo({}, run.dir)
    const code = await main(
      [
        'stop',
        '--market',
        'SOL_USDC',
        '--config',
        run.config,
        '--data-dir',
        run.dataDir,
      ],
      io,
    )
    expect(code).toBe(0)
    expect(stdout()).toContain('SOL_USDC')
    await waitFor(
      async () => (await openIds(t, 'SOL_USDC')).length === 0,
      'the SOL ladder canceled',
    )
    // BTC still trades: a fill then a take profit.
    t.sim.setPrice('BTC_USDC', '57000')
    await waitFor(
      () => (ladders.BTC_USDC?.state().position.fills ?? 0) >= 2,
      'BTC fills',
    )
    expect((await openIds(t, 'ETH_USDC')).length).toBe(4)
    const status = await waitFor(() => {
      const s = readStatusFile(run.dataDir)
      return s?.markets?.find((m) => m.symbol === 'SOL_USDC')?.stopped
        ? s
        : undefined
    }, 'SOL marked stopped')
    expect(status.status).toContain('1 stopped')
  })

  test('behavior: a market whose book closes is paused with its orders left while the others trade, and resumes from its journal when it reopens', async () => {
    const run = await startMarkets()
    const { t, ladders } = run
    await waitFor(
      async () => (await openIds(t, 'SOL_USDC')).length === 3,
      'the SOL ladder',
    )
    const solIds = await openIds(t, 'SOL_USDC')
    t.sim.setMarketState('SOL_USDC', 'Closed')
    const paused = await waitFor(() => {
      const sol = readStatusFile(run.dataDir)?.markets?.find(
        (m) => m.symbol === 'SOL_USDC',
      )
      return sol?.paused
    }, 'SOL paused')
    expect(paused).toBe('the SOL_USDC order book is Closed')
    // Its orders stay on the book: a paused ladder cancels nothing.
    expect(await openIds(t, 'SOL_USDC')).toEqual(solIds)
    // BTC trades on: rungs fill.
    t.sim.setPrice('BTC_USDC', '57000')
    await waitFor(
      () => (ladders.BTC_USDC?.state().position.fills ?? 0) >= 2,
      'BTC fills while SOL is paused',
    )
    // SOL reopens: the ladder resumes from its journal, with the same
    // orders (none placed twice, none lost), and trades again.
    t.sim.setMarketState('SOL_USDC', 'Open')
    await waitFor(() => {
      const sol = readStatusFile(run.dataDir)?.markets?.find(
        (m) => m.symbol === 'SOL_USDC',
      )
      return sol !== undefined && sol.paused === undefined
    }, 'SOL resumed')
    expect(await openIds(t, 'SOL_USDC')).toEqual(solIds)
    t.sim.setPrice('SOL_USDC', '142')
    await waitFor(
      () => (ladders.SOL_USDC?.state().position.fills ?? 0) >= 1,
      'SOL fills after it reopened',
    )
    expect(run.stdout() + run.stderr()).toContain(
      'this ladder resumes from its journal',
    )
    run.bot.stop()
    expect(await run.exit).toBe(0)
  })
})
