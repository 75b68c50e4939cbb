/**
 * `rung run` with a `markets` list and a `notify` section, end to end on
 * loopback: each market's fills, take profit, cycle, pause warning and stop
 * reach the webhook (a local HTTP server), each message naming its market;
 * an outage of the one connection is one message naming both.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import {
  captureIo,
  startTestSim,
  stopRuns,
  tempDir,
  trackSim,
  waitFor,
} from '../../test/e2e.js'
import { type HttpStub, startHttpStub } from '../../test/httpStub.js'
import type { StartedHandle } from '../commands/trade.js'
import { mainWithHooks } from '../main.js'
import { readStatusFile } from '../runtime/statusFile.js'

const stubs: HttpStub[] = []
afterEach(async () => {
  await stopRuns()
  for (const s of stubs.splice(0)) await s.close()
})

/** A webhook message as the `json` format sends it. */
interface Message {
  event: string
  market: string
  mode: string
  title: string
}

describe('rung run with several markets and notify (end to end)', {
  timeout: 60_000,
}, () => {
  test('behavior: every market sends its own fills, take profit, cycle, warnings and stop, each naming its market, through one notifier', async () => {
    const hook = await startHttpStub()
    stubs.push(hook)
    const t = trackSim(await startTestSim())
    t.sim.setPrice('ETH_USDC', '3000')
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
        actions: { cancelAllOrders: true, autoRestartNoFill: false },
        advanced: { minOrderAmount: 10, monitorIntervalSeconds: 0.2 },
        websocket: {
          url: 'wss://ws.backpack.exchange',
          // Reconnects after 1 s: an outage longer than streamDownMinutes.
          options: { reconnectInterval: 1000, maxReconnectAttempts: 0 },
        },
        markets: [
          { tradingCoin: 'BTC', totalAmount: '2000' },
          { tradingCoin: 'ETH', totalAmount: '1000' },
        ],
        notify: {
          streamDownMinutes: 0.002,
          webhooks: [
            {
              url: `${hook.url}/hook`,
              format: 'json',
              events: ['fill', 'takeProfit', 'cycle', 'critical', 'warning'],
            },
          ],
        },
      }),
      { mode: 0o600 },
    )
    const dataDir = join(dir, 'data')
    const { io, stderr } = captureIo(
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
        notifyTiming: { baseDelayMs: 20, checkEveryMs: 100 },
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
    const ladders = bot.ladders ?? {}
    const messages = () =>
      hook.requests
        .map((r) => r.body as Message)
        .filter((b) => typeof b === 'object')
    try {
      await waitFor(
        () =>
          ['BTC_USDC', 'ETH_USDC'].every(
            (m) =>
              ladders[m]?.state().orders.filter((o) => o.status === 'open')
                .length === 4,
          ),
        'both ladders',
      )
      // BTC falls through two rungs and rises past the target: a full cycle.
      t.sim.setPrice('BTC_USDC', '57000')
      await waitFor(
        () => (ladders.BTC_USDC?.state().position.fills ?? 0) >= 2,
        'BTC fills',
      )
      t.sim.setPrice('BTC_USDC', '63000')
      await waitFor(
        () => messages().some((m) => m.event === 'cycle'),
        'the BTC cycle message',
      )
      // ETH's book closes: its ladder pauses, and says so as ETH.
      t.sim.setMarketState('ETH_USDC', 'Closed')
      await waitFor(
        () =>
          messages().some(
            (m) => m.event === 'warning' && m.market === 'ETH_USDC',
          ),
        'the ETH pause warning',
      )
      // The one connection drops: one outage message for the run, naming
      // both markets, and one when it is back (not one per market).
      t.sim.dropConnections()
      await waitFor(
        () => messages().some((m) => m.title.endsWith('market stream back')),
        'the stream back message',
      )
      // Both markets' messages went through the one notifier: status.json counts them.
      const status = await waitFor(() => {
        const n = readStatusFile(dataDir)?.notify
        return (n?.channels[0]?.sent ?? 0) > 0 ? n : undefined
      }, 'the notify counts in status.json')
      expect(status.channels.map((c) => c.name)).toEqual([
        `webhook 1 (${new URL(hook.url).host})`,
      ])
    } finally {
      bot.stop()
    }
    expect(await exit).toBe(0)
    await waitFor(
      () => messages().filter((m) => m.title.includes('bot stopped')).length,
      'the stop messages',
    )

    const all = messages()
    const run = all.filter((m) => m.market === 'BTC_USDC, ETH_USDC')
    // The stop closes the connection: no outage message for that.
    const outage = all.filter((m) => m.title.includes('market stream'))
    expect(
      outage.map((m) => [m.event, m.title.replace(/\d+ min$/, 'N min')]),
    ).toEqual([
      ['critical', 'BTC_USDC, ETH_USDC: market stream down for N min'],
      ['critical', 'BTC_USDC, ETH_USDC: market stream back'],
    ])
    // The run's other lines (the stream client's warnings) name both too.
    for (const m of run) expect(m.title.startsWith(`${m.market}: `)).toBe(true)
    const got = all.filter((m) => !run.includes(m))
    // Every other message names one market, in its title and its market field.
    for (const m of got) {
      expect(['BTC_USDC', 'ETH_USDC']).toContain(m.market)
      expect(m.title.startsWith(m.market)).toBe(true)
      expect(m.mode).toBe('live')
    }
    const btc = got.filter((m) => m.market === 'BTC_USDC')
    const eth = got.filter((m) => m.market === 'ETH_USDC')
    expect(btc.filter((m) => m.event === 'fill').length).toBeGreaterThanOrEqual(
      2,
    )
    expect(btc.find((m) => m.event === 'takeProfit')?.title).toMatch(
      /^BTC_USDC take profit: sold [\d.]+ @ [\d.]+ \(cycle 1\)$/,
    )
    expect(btc.find((m) => m.event === 'cycle')?.title).toMatch(
      /^BTC_USDC cycle 1 take profit: profit [\d.]+ USDC$/,
    )
    // ETH never traded: no fill of its own.
    expect(eth.filter((m) => m.event === 'fill')).toEqual([])
    expect(eth.find((m) => m.event === 'warning')?.title).toContain(
      'ETH_USDC: the market takes no orders now',
    )
    // Each market says it stopped, once.
    expect(
      btc.filter((m) => m.title.startsWith('BTC_USDC: bot stopped')),
    ).toEqual([
      expect.objectContaining({
        event: 'critical',
        title: 'BTC_USDC: bot stopped (signal)',
      }),
    ])
    expect(
      eth.filter((m) => m.title.startsWith('ETH_USDC: bot stopped')),
    ).toHaveLength(1)
  })
})
