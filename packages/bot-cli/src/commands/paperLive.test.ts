/**
 * Paper trading on live market data, end to end: a second simulator on
 * loopback stands in for the real exchange (its participants make the
 * "real" trades); the bot trades on the in-process mirror of it.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import {
  captureIo,
  startTestSim,
  stopRuns,
  type TestSim,
  tempDir,
  trackSim,
  waitFor,
  writeConfig,
} from '../../test/e2e.js'
import { mainWithHooks } from '../main.js'
import { readStatusFile } from '../runtime/statusFile.js'
import type { StartedHandle } from './trade.js'

afterEach(stopRuns)

async function paperLive(
  t: TestSim,
  extra: string[] = [],
  reconnectInterval = 100,
) {
  const dir = tempDir()
  const config = writeConfig(dir, {
    trading: { orderCount: 4 },
    extra: {
      websocket: {
        url: 'wss://ws.backpack.exchange',
        options: {
          reconnect: true,
          reconnectInterval,
          maxReconnectAttempts: 0,
        },
      },
    },
  })
  const dataDir = join(dir, 'data')
  const { io, stdout } = captureIo({}, dir)
  let handle: StartedHandle | undefined
  const exit = mainWithHooks(
    [
      'paper',
      '--market-data',
      'live',
      '--config',
      config,
      '--data-dir',
      dataDir,
      '--base-url',
      t.sim.url,
      '--ws-url',
      t.sim.wsUrl,
      ...extra,
    ],
    io,
    {
      onStarted: (h) => {
        handle = h
      },
    },
  )
  const bot = await waitFor(() => handle, 'the bot')
  return { bot, exit, stdout, dataDir }
}

/** A "real" market participant trading on the upstream at market. */
function participant(t: TestSim) {
  t.sim.credit(t.keys.publicKey, 'BTC', '1')
  return (side: 'Bid' | 'Ask', quantity: string) =>
    t.client.executeOrder({
      symbol: 'BTC_USDC',
      side,
      orderType: 'Market',
      quantity,
    })
}

describe('rung paper --market-data live', { timeout: 30_000 }, () => {
  test('behavior: paper fills follow the real trades; the P&L is the hand-computed one; nothing is sent upstream', async () => {
    const t = trackSim(await startTestSim())
    const trade = participant(t)
    const run = await paperLive(t)
    const sim = await waitFor(() => run.bot.sim, 'the sim')
    const open = () => run.bot.state().orders.filter((o) => o.status === 'open')
    await waitFor(() => open().length === 4, 'the ladder')
    // The ladder starts at the real best bid, 59988, and rests on the mirror only.
    expect(open().map((o) => o.price)[0]).toBe('59988')
    expect(await t.client.getOpenOrders({ symbol: 'BTC_USDC' })).toEqual([])

    // A real sale prints at 59988: the top rung (0.0041) fills at its price.
    await trade('Ask', '0.001')
    await waitFor(
      () => run.bot.state().status === 'inPosition',
      'the first fill',
    )
    // The real market rises: the mirrored best bid passes the target and the bot sells.
    t.sim.setPrice('BTC_USDC', '60200')
    await waitFor(() => run.bot.state().cycle === 2, 'the take profit')
    run.bot.stop()
    expect(await run.exit).toBe(0)

    // By hand. Bought 0.0041 @ 59988 (a maker fill: fee 0.08 % in BTC, 0.00000328):
    // cost 245.9508, held 0.00409672. The target 59988 x 1.0025 = 60137.97 -> 60138;
    // the mirrored best bid 60187.9 passes it and the bot sells 0.00409 at market
    // there (a taker fill, fee 0.1 %): proceeds 246.168511, fee 0.246168511 -> 0.246169.
    // The unsold 0.00000672 carries its cost, 245.9508 x 0.00000672 / 0.00409672 =
    // 0.403442113, so profit = 246.168511 - 0.246169 - (245.9508 - 0.403442113) = 0.374984113.
    const completed =
      run
        .stdout()
        .split('\n')
        .find((l) => l.includes('cycle completed')) ?? ''
    expect(completed).toContain(
      'cycle=1 reason=takeProfit profit=0.374984113 fees=0.246169 carriedQuantity=0.00000672 carriedCost=0.403442113',
    )
    // One paper fill came from a real trade (the rung), one from the mirrored book (the market sell).
    expect(sim.marketData()).toMatchObject({ state: 'live', paperFills: 1 })
    // The real exchange saw only its own participant: no key, no order of the bot's.
    expect(t.sim.accounts()).toEqual([t.keys.publicKey])
    expect(
      Object.keys(t.sim.subscriptions()).filter((k) =>
        k.startsWith('account.'),
      ),
    ).toEqual([])
  })

  test('behavior: a dropped public stream pauses paper fills, says the data is stale, and resubscribes', async () => {
    const t = trackSim(await startTestSim())
    const trade = participant(t)
    const run = await paperLive(t, [], 3000)
    const sim = await waitFor(() => run.bot.sim, 'the sim')
    await waitFor(
      () =>
        run.bot.state().orders.filter((o) => o.status === 'open').length === 4,
      'the ladder',
    )
    t.sim.dropConnections()
    await waitFor(
      () => sim.marketData()?.state === 'stale',
      'stale market data',
    )
    // A real sale at the top rung's price while the mirror is away: no fill.
    await trade('Ask', '0.001')
    await waitFor(
      () =>
        readStatusFile(run.dataDir)?.statusText?.includes('market data stale'),
      'the status to say so',
    )
    expect(run.bot.state().position.fills).toBe(0)
    expect(run.stdout()).toContain('is stale (stream')
    // Back: resubscribed, and the next real sale fills the rung.
    await waitFor(() => sim.marketData()?.state === 'live', 'live market data')
    await waitFor(
      () => (t.sim.subscriptions()['trade.BTC_USDC'] ?? 0) >= 1,
      'the resubscription',
    )
    expect(run.bot.state().position.fills).toBe(0)
    await trade('Ask', '0.001')
    await waitFor(
      () => run.bot.state().position.fills === 1,
      'the fill after the reconnect',
    )
    expect(readStatusFile(run.dataDir)?.marketData).toMatchObject({
      staleTrades: 0,
    })
    run.bot.stop()
    expect(await run.exit).toBe(0)
  })

  test('behavior: a markets config trades every market on live data from ONE public upstream connection; each real trade fills its own market; nothing is sent upstream', async () => {
    const t = trackSim(await startTestSim())
    t.sim.setPrice('ETH_USDC', '3000')
    t.sim.credit(t.keys.publicKey, 'BTC', '1')
    t.sim.credit(t.keys.publicKey, 'ETH', '10')
    const dir = tempDir()
    const config = join(dir, 'rung.config.json')
    writeFileSync(
      config,
      JSON.stringify({
        trading: {
          maxDropPercentage: 7,
          orderCount: 4,
          incrementPercentage: 50,
          takeProfitPercentage: 0.25,
        },
        advanced: { monitorIntervalSeconds: 0.2 },
        websocket: {
          url: 'wss://ws.backpack.exchange',
          options: { reconnectInterval: 2000, maxReconnectAttempts: 0 },
        },
        markets: [
          { tradingCoin: 'BTC', totalAmount: '2000' },
          { tradingCoin: 'ETH', totalAmount: '1000' },
        ],
      }),
      { mode: 0o600 },
    )
    const dataDir = join(dir, 'data')
    const { io, stderr } = captureIo({}, dir)
    let handle: StartedHandle | undefined
    const exit = mainWithHooks(
      [
        'paper',
        '--market-data',
        'live',
        '--config',
        config,
        '--data-dir',
        dataDir,
        '--base-url',
        t.sim.url,
        '--ws-url',
        t.sim.wsUrl,
        '--no-ui',
      ],
      io,
      {
        onStarted: (h) => {
          handle = h
        },
      },
    )
    let ended: number | undefined
    void exit.then((code) => {
      ended = code
    })
    const bot = await waitFor(() => {
      if (handle === undefined && ended !== undefined)
        throw new Error(`rung paper exited ${ended}:\n${stderr()}`)
      return handle
    }, 'the bot')
    try {
      const sim = await waitFor(() => bot.sim, 'the sim')
      const ladders = bot.ladders ?? {}
      const open = (m: string) =>
        (ladders[m]?.state()?.orders ?? []).filter((o) => o.status === 'open')
      await waitFor(
        () => open('BTC_USDC').length === 4 && open('ETH_USDC').length === 4,
        'both ladders',
      )
      // Each ladder starts at its market's real best bid.
      expect(open('BTC_USDC')[0]?.price).toBe(
        t.sim.book('BTC_USDC').bids[0]?.[0]?.replace(/\.0$/, ''),
      )
      expect(open('ETH_USDC')[0]?.price).toBe(
        t.sim.book('ETH_USDC').bids[0]?.[0]?.replace(/\.0$/, ''),
      )
      // The mirror follows both markets on one upstream connection.
      expect(t.sim.connections()).toBe(1)
      expect(sim.marketData('ETH_USDC')).toMatchObject({ state: 'live' })

      // A real ETH sale prints at the best bid: ETH's top rung fills, BTC's do not.
      await t.client.executeOrder({
        symbol: 'ETH_USDC',
        side: 'Ask',
        orderType: 'Market',
        quantity: '0.01',
      })
      await waitFor(
        () => ladders.ETH_USDC?.state()?.status === 'inPosition',
        "ETH's fill",
      )
      expect(ladders.BTC_USDC?.state()?.position.fills).toBe(0)
      // A real BTC sale: BTC's top rung fills.
      await t.client.executeOrder({
        symbol: 'BTC_USDC',
        side: 'Ask',
        orderType: 'Market',
        quantity: '0.001',
      })
      await waitFor(
        () => ladders.BTC_USDC?.state()?.status === 'inPosition',
        "BTC's fill",
      )
      expect(sim.marketData('BTC_USDC')?.paperFills).toBe(1)
      expect(sim.marketData('ETH_USDC')?.paperFills).toBe(1)
      const status = await waitFor(() => {
        const s = readStatusFile(dataDir)
        return s?.markets?.every((m) => m.status === 'inPosition')
          ? s
          : undefined
      }, 'both markets in position in status.json')
      expect(status.mode).toBe('paper')
      // The upstream drops (the mirror reconnects after 2 s): with no step
      // in between, each market's status still comes to say so.
      t.sim.dropConnections()
      await waitFor(
        () =>
          readStatusFile(dataDir)?.markets?.every((m) =>
            m.statusText?.endsWith('(market data stale)'),
          ) || undefined,
        'both markets stale in status.json',
      )
      await waitFor(
        () =>
          readStatusFile(dataDir)?.markets?.every(
            (m) => !m.statusText?.includes('stale'),
          ) || undefined,
        'both markets live again in status.json',
      )
    } finally {
      bot.stop()
    }
    expect(await exit).toBe(0)
    // The real exchange saw only its own participant: no key, no order of the bot's.
    expect(t.sim.accounts()).toEqual([t.keys.publicKey])
    expect(
      Object.keys(t.sim.subscriptions()).filter((k) =>
        k.startsWith('account.'),
      ),
    ).toEqual([])
  })
})
