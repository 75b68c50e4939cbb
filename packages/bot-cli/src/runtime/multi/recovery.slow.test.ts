/**
 * Crash recovery of a multi-market bot, end to end: the real `rung` binary
 * (run from the sources) trades BTC and SOL in one process and is killed
 * with SIGKILL while both markets are between their take-profit and their
 * next ladder (SOL's cycle-2 ladder half placed, one sell's answer lost),
 * then started again on the same data directory. The simulator's ledger is
 * the judge, per market: one sell, no client id used twice, no fill lost,
 * and each cycle carries on.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { addDecimals, compareDecimals } from '@rung/backpack-sdk'
import { afterEach, describe, expect, test } from 'vitest'
import {
  type Child,
  runChild,
  rungIds,
  startTestSim,
  type TestSim,
  tempDir,
  waitFor,
} from '../../../test/e2e.js'
import { SLOT_SPAN } from './clientIds.js'

let sim: TestSim | undefined
const children: Child[] = []
afterEach(async () => {
  for (const c of children) if (c.proc.exitCode === null) c.proc.kill('SIGKILL')
  children.length = 0
  await sim?.sim.close()
  sim = undefined
})

const ORDERS = { BTC_USDC: 4, SOL_USDC: 6 } as const
type Symbol = keyof typeof ORDERS
/** Wire client ids: BTC has the first slot (offset 0), SOL the second. */
const OFFSET: Record<Symbol, number> = { BTC_USDC: 0, SOL_USDC: SLOT_SPAN }

async function setup() {
  sim = await startTestSim()
  sim.sim.setPrice('SOL_USDC', '150')
  const dir = tempDir('rung-multi-crash-')
  const config = join(dir, 'rung.config.json')
  writeFileSync(
    config,
    JSON.stringify({
      trading: {
        maxDropPercentage: 7,
        incrementPercentage: 50,
        takeProfitPercentage: 0.25,
      },
      actions: {
        sellNonUsdcAssets: false,
        cancelAllOrders: true,
        restartAfterTakeProfit: true,
        autoRestartNoFill: false,
      },
      advanced: {
        minOrderAmount: 10,
        checkOrdersIntervalMinutes: 10,
        monitorIntervalSeconds: 0.2,
      },
      websocket: {
        url: 'wss://ws.backpack.exchange',
        options: { reconnectInterval: 100, maxReconnectAttempts: 0 },
      },
      markets: [
        {
          tradingCoin: 'BTC',
          totalAmount: '1000',
          orderCount: ORDERS.BTC_USDC,
        },
        { tradingCoin: 'SOL', totalAmount: '600', orderCount: ORDERS.SOL_USDC },
      ],
    }),
    { mode: 0o600 },
  )
  const args = [
    'run',
    '--config',
    config,
    '--data-dir',
    join(dir, 'data'),
    '--base-url',
    sim.sim.url,
    '--ws-url',
    sim.sim.wsUrl,
  ]
  const env = {
    BACKPACK_API_KEY: sim.keys.publicKey,
    BACKPACK_API_SECRET: sim.keys.secretKey,
  }
  const start = () => {
    const child = runChild(args, env)
    children.push(child)
    return child
  }
  return { t: sim, start }
}

const open = async (t: TestSim, symbol: Symbol) =>
  (await t.client.getOpenOrders({ symbol }))
    .map((o) => o.clientId ?? -1)
    .sort((a, b) => a - b)

/** The base asset the account gained from its own trades and fees. */
const baseLeft = (t: TestSim, asset: string) =>
  t.sim
    .ledger(t.keys.publicKey)
    .entries.filter(
      (e) => e.asset === asset && (e.kind === 'trade' || e.kind === 'fee'),
    )
    .reduce((acc, e) => addDecimals(acc, e.change), '0')

const wire = (symbol: Symbol, cycle: number) =>
  rungIds(cycle, ORDERS[symbol]).map((id) => id + OFFSET[symbol])

describe('rung run with several markets: recovery after kill -9', {
  timeout: 60_000,
}, () => {
  test('behavior: killed between take-profit and next ladder in two markets, the restart sells nothing twice and completes both ladders', async () => {
    const { t, start } = await setup()
    const first = start()
    await waitFor(
      async () =>
        (await open(t, 'BTC_USDC')).length === ORDERS.BTC_USDC &&
        (await open(t, 'SOL_USDC')).length === ORDERS.SOL_USDC,
      'both ladders',
      20_000,
    )
    expect(await open(t, 'SOL_USDC')).toEqual(wire('SOL_USDC', 1))
    // Both markets fall: rungs fill in each.
    t.sim.setPrice('BTC_USDC', '58000')
    t.sim.setPrice('SOL_USDC', '145')
    await waitFor(
      async () =>
        (await open(t, 'BTC_USDC')).length < ORDERS.BTC_USDC &&
        (await open(t, 'SOL_USDC')).length < ORDERS.SOL_USDC,
      'fills in both markets',
    )
    // Let the bot book the fills; then every answer is slow and the next
    // order's answer is lost.
    await new Promise((r) => setTimeout(r, 500))
    t.sim.setFaults({
      delayMs: 150,
      loseResponses: { count: 1, path: '/api/v1/order', method: 'POST' },
    })
    t.sim.setPrice('BTC_USDC', '60500')
    t.sim.setPrice('SOL_USDC', '152')
    // SOL's next ladder is on its way (one rung of six), BTC's sell went out.
    await waitFor(
      async () =>
        (await open(t, 'SOL_USDC')).some((id) =>
          wire('SOL_USDC', 2).includes(id),
        ),
      "SOL's next ladder to start",
      20_000,
    )
    first.proc.kill('SIGKILL')
    expect(await first.exited).toBe('SIGKILL')
    // The kill landed mid-ladder: SOL's cycle 2 was not all placed.
    expect((await open(t, 'SOL_USDC')).length).toBeLessThan(ORDERS.SOL_USDC)

    t.sim.setFaults({})
    const second = start()
    await waitFor(
      async () =>
        (await open(t, 'BTC_USDC')).join() === wire('BTC_USDC', 2).join() &&
        (await open(t, 'SOL_USDC')).join() === wire('SOL_USDC', 2).join(),
      'cycle 2 in both markets',
      30_000,
    ).catch((e: unknown) => {
      console.log('FIRST', first.output(), 'SECOND', second.output())
      throw e
    })
    expect(second.output()).toContain('resuming from the journal')
    // Per market: one sell only, under the client id the first run chose,
    // and the position sold to the last step (no fill lost, none twice).
    for (const [symbol, asset] of [
      ['BTC_USDC', 'BTC'],
      ['SOL_USDC', 'SOL'],
    ] as const) {
      const fills = await t.client.getFillHistory({ symbol })
      const sells = new Set(
        fills.filter((f) => f.side === 'Ask').map((f) => f.clientId),
      )
      expect(sells.size, `${symbol} sells`).toBe(1)
      const step = symbol === 'BTC_USDC' ? '0.00001' : '0.01'
      expect(
        compareDecimals(baseLeft(t, asset), step),
        `${asset} left`,
      ).toBeLessThan(0)
      // Every buy fill belongs to a cycle-1 rung of this market.
      for (const f of fills.filter((x) => x.side === 'Bid'))
        expect(wire(symbol, 1)).toContain(Number(f.clientId))
    }

    second.proc.kill('SIGTERM')
    expect(await second.exited).toBe(0)
    expect(await open(t, 'BTC_USDC')).toEqual([])
    expect(await open(t, 'SOL_USDC')).toEqual([])
  })
})
