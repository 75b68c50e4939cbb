import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import {
  addDecimals,
  compareDecimals,
  multiplyDecimals,
} from '@rung/backpack-sdk'
import { afterEach, describe, expect, test } from 'vitest'
import {
  captureIo,
  heldQty,
  ledgerBtc,
  openClientIds,
  rungIds,
  startRun,
  startTestSim,
  stopRuns,
  tempDir,
  trackSim,
  waitFor,
  writeConfig,
} from '../../test/e2e.js'
import { main, mainWithHooks } from '../main.js'
import type { StartedHandle } from './trade.js'

afterEach(stopRuns)

describe('rung run (end to end against backpack-sim)', {
  timeout: 30_000,
}, () => {
  test('behavior: full cycles with take profit and restart; stop cancels the orders', async () => {
    const run = await startRun()
    expect(
      await waitFor(
        async () =>
          (await openClientIds(run.client)).length === 8 &&
          openClientIds(run.client),
        'the ladder',
      ),
    ).toEqual(rungIds(1))

    // Price falls: the four highest rungs fill.
    run.sim.setPrice('BTC_USDC', '58000')
    await waitFor(
      () =>
        run.bot.state().position.fills >= 4 &&
        run.bot.state().status === 'inPosition',
      'four fills',
    )
    expect(await openClientIds(run.client)).toEqual(rungIds(1).slice(4))
    // The bot's position is exactly what the exchange booked.
    expect(
      compareDecimals(
        heldQty(run.bot.state()),
        ledgerBtc(run.sim, run.keys.publicKey, 'trade'),
      ),
    ).toBe(0)

    // Price rises past the take-profit: sell, then a new ladder (cycle 2).
    run.sim.setPrice('BTC_USDC', '60500')
    await waitFor(
      async () =>
        run.bot.state().cycle === 2 &&
        (await openClientIds(run.client)).length === 8,
      'cycle 2 ladder',
    )
    expect(await openClientIds(run.client)).toEqual(rungIds(2))
    expect(run.bot.state().totals.cycles).toBe(1)
    // Sold what was sellable: the account keeps only the dust the step size and the fee left.
    const left = addDecimals(
      ledgerBtc(run.sim, run.keys.publicKey, 'trade'),
      ledgerBtc(run.sim, run.keys.publicKey, 'fee'),
    )
    expect(compareDecimals(left, '0.00001')).toBeLessThan(0)

    run.bot.stop()
    expect(await run.exit).toBe(0)
    expect(await openClientIds(run.client)).toEqual([])
    expect(run.stdout()).toContain('cycle completed')

    // Secrets never reach a log line or a log file.
    const logs = readdirSync(join(run.dataDir, 'logs'))
      .map((f) => readFileSync(join(run.dataDir, 'logs', f), 'utf8'))
      .join('')
    for (const text of [logs, run.stdout(), run.stderr()]) {
      expect(text).not.toContain(run.keys.secretKey)
      expect(text).not.toContain(run.keys.publicKey)
    }
    expect(logs).toContain('placing ladder')
  })

  test('behavior: no-fill restart re-ladders at the new price', async () => {
    const run = await startRun({
      actions: { autoRestartNoFill: true },
      advanced: { noFillRestartMinutes: 0.02 },
    })
    await waitFor(
      async () => (await openClientIds(run.client)).length === 8,
      'the ladder',
    )
    run.sim.setPrice('BTC_USDC', '61000')
    await waitFor(
      async () =>
        (await openClientIds(run.client)).join() === rungIds(2).join(),
      'the cycle 2 ladder',
      8000,
    )
    expect(run.bot.state().totals.noFillRestarts).toBeGreaterThanOrEqual(1)
    // The new ladder starts at the new price.
    const orders = await run.client.getOpenOrders({ symbol: 'BTC_USDC' })
    const top = orders.find((o) => o.clientId === 2048)
    expect(
      top && top.orderType === 'Limit' && compareDecimals(top.price, '60000'),
    ).toBe(1)
    run.bot.stop()
    expect(await run.exit).toBe(0)
  })

  test('behavior: partial fills are booked exactly', async () => {
    const run = await startRun({}, { faults: { splitFills: 3 } })
    await waitFor(
      async () => (await openClientIds(run.client)).length === 8,
      'the ladder',
    )
    run.sim.setPrice('BTC_USDC', '58600')
    await waitFor(
      () =>
        run.bot.state().status === 'inPosition' &&
        run.bot.state().position.fills >= 3,
      'partial fills',
    )
    await waitFor(
      () =>
        compareDecimals(
          heldQty(run.bot.state()),
          ledgerBtc(run.sim, run.keys.publicKey, 'trade'),
        ) === 0,
      'position = ledger',
    )
    // Every match arrived as three partial fills, and each order's booked
    // quantity is exactly the sum of its partial fills on the exchange.
    const fills = await run.client.getFillHistory({ symbol: 'BTC_USDC' })
    const buys = run.bot
      .state()
      .orders.filter((o) => o.side === 'buy' && o.filledLots > 0)
    expect(fills.filter((f) => f.side === 'Bid')).toHaveLength(buys.length * 3)
    for (const order of buys) {
      const exchange = fills
        .filter((f) => f.clientId === String(order.clientId))
        .reduce((acc, f) => addDecimals(acc, f.quantity), '0')
      expect(
        compareDecimals(
          multiplyDecimals(String(order.filledLots), '0.00001'),
          exchange,
        ),
      ).toBe(0)
    }
    run.sim.setPrice('BTC_USDC', '61000')
    await waitFor(() => run.bot.state().cycle === 2, 'take profit')
    const state = run.bot.state()
    expect(state.totals.cycles).toBe(1)
    run.bot.stop()
    expect(await run.exit).toBe(0)
  })

  test('behavior: a WebSocket drop and 5xx answers during a cycle lose no fill', async () => {
    const run = await startRun()
    await waitFor(
      async () => (await openClientIds(run.client)).length === 8,
      'the ladder',
    )
    // Fills happen while the stream is down: REST polling and the gap
    // reconcile must find them.
    run.sim.dropConnections()
    run.sim.setPrice('BTC_USDC', '58000')
    await waitFor(
      () =>
        run.bot.state().status === 'inPosition' &&
        run.bot.state().position.fills === 4,
      'fills found after the drop',
    )
    expect(
      compareDecimals(
        heldQty(run.bot.state()),
        ledgerBtc(run.sim, run.keys.publicKey, 'trade'),
      ),
    ).toBe(0)
    // The take-profit sell gets a 500 and is not executed; the bot finds it
    // missing by client id and sends it again (same client id, once).
    run.sim.setFaults({
      failNext: {
        count: 1,
        status: 500,
        path: '/api/v1/order',
        method: 'POST',
      },
    })
    run.sim.setPrice('BTC_USDC', '60500')
    await waitFor(
      () => run.bot.state().cycle === 2,
      'take profit after the 5xx',
      15_000,
    )
    // Exactly one sell order (client id 1536 = cycle 1, sell slot 512) filled.
    const fills = await run.client.getFillHistory({ symbol: 'BTC_USDC' })
    const sellers = new Set(
      fills.filter((f) => f.side === 'Ask').map((f) => f.clientId),
    )
    expect([...sellers]).toEqual(['1536'])
    expect(run.stdout()).toContain('stream state=reconnecting')
    expect(run.stdout()).toContain(
      'sending orders the journal intended but the exchange never received',
    )
    expect(run.bot.state().totals.cycles).toBe(1)
    expect(
      compareDecimals(
        addDecimals(
          ledgerBtc(run.sim, run.keys.publicKey, 'trade'),
          ledgerBtc(run.sim, run.keys.publicKey, 'fee'),
        ),
        '0.00001',
      ),
    ).toBeLessThan(0)
    run.bot.stop()
    expect(await run.exit).toBe(0)
  })

  test('behavior: start actions sell leftovers and cancel open orders; status reports the bot', async () => {
    const t = await startTestSim({ balances: { USDC: '10000', BTC: '0.01' } })
    // A stray order on the market from before.
    await t.client.executeOrder({
      symbol: 'BTC_USDC',
      side: 'Bid',
      orderType: 'Limit',
      price: '50000',
      quantity: '0.001',
      clientId: 77,
    })
    const run = await startRun(
      { actions: { sellNonUsdcAssets: true } },
      {},
      { t, dir: tempDir() },
    )
    await waitFor(
      async () =>
        (await openClientIds(run.client)).join() === rungIds(1).join(),
      'the ladder alone',
    )
    // The 0.01 BTC leftover was sold at market before the ladder.
    expect(
      compareDecimals(
        addDecimals(ledgerBtc(run.sim, run.keys.publicKey, 'trade'), '0.01'),
        '0',
      ),
    ).toBe(0)
    expect(run.stdout()).toContain('sold leftover balance')
    const status = captureIo({}, run.dir)
    await waitFor(
      () => existsSync(join(run.dataDir, 'status.json')),
      'status.json',
    )
    expect(
      await main(['status', '--json', '--data-dir', run.dataDir], status.io),
    ).toBe(0)
    expect(JSON.parse(status.stdout())).toMatchObject({
      running: true,
      pid: process.pid,
      status: { symbol: 'BTC_USDC', mode: 'live' },
    })
    run.bot.stop()
    expect(await run.exit).toBe(0)
  })

  test('args: onStop leave keeps the orders and the next start resumes the same cycle', async () => {
    const first = await startRun({ bot: { onStop: 'leave' } })
    await waitFor(
      async () => (await openClientIds(first.client)).length === 8,
      'the ladder',
    )
    first.bot.stop()
    expect(await first.exit).toBe(0)
    expect(await openClientIds(first.client)).toEqual(rungIds(1))
    // Fills while the bot is away are adopted on the next start.
    first.sim.setPrice('BTC_USDC', '59000')
    const second = await startRun(
      { bot: { onStop: 'leave' } },
      {},
      { t: first.t, dir: first.dir },
    )
    await waitFor(
      () => second.bot.state().status === 'inPosition',
      'the resumed cycle in position',
    )
    expect(second.stdout()).toContain('resuming from the journal')
    expect(second.bot.state().cycle).toBe(1)
    expect(
      compareDecimals(
        heldQty(second.bot.state()),
        ledgerBtc(second.sim, second.keys.publicKey, 'trade'),
      ),
    ).toBe(0)
    expect(
      (await openClientIds(second.client)).every(
        (id) => id >= 1024 && id < 1032,
      ),
    ).toBe(true)
    second.bot.stop()
    expect(await second.exit).toBe(0)
  })

  test('error: a bad config places no order and names the field', async () => {
    const t = trackSim(await startTestSim())
    const dir = tempDir()
    const config = writeConfig(dir, { trading: { orderCount: 0 } })
    const { io, stderr } = captureIo(
      {
        BACKPACK_API_KEY: t.keys.publicKey,
        BACKPACK_API_SECRET: t.keys.secretKey,
      },
      dir,
    )
    const code = await mainWithHooks(
      [
        'run',
        '--config',
        config,
        '--data-dir',
        join(dir, 'data'),
        '--base-url',
        t.sim.url,
        '--ws-url',
        t.sim.wsUrl,
      ],
      io,
      {},
    )
    expect(code).toBe(2)
    expect(stderr()).toContain('orderCount')
    expect(stderr()).not.toContain(t.keys.secretKey)
    // Nothing reached the exchange: the account was never even created.
    expect(t.sim.accounts()).not.toContain(t.keys.publicKey)
  })
})

describe('rung paper', { timeout: 30_000 }, () => {
  test('behavior: runs the bot against an in-process simulator; --json gives JSON lines and a result', async () => {
    const dir = tempDir()
    const { io, stdout } = captureIo({}, dir)
    let handle: StartedHandle | undefined
    const exit = mainWithHooks(
      ['paper', '--json', '--data-dir', join(dir, 'paper')],
      io,
      {
        simOptions: { feed: { mode: 'manual' } },
        onStarted: (h) => {
          handle = h
        },
      },
    )
    const bot = await waitFor(() => handle, 'the bot to start')
    await waitFor(
      () => bot.state().orders.filter((o) => o.status === 'open').length === 8,
      'the ladder',
    )
    expect(bot.sim).toBeDefined()
    bot.stop()
    expect(await exit).toBe(0)
    const lines = stdout()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(lines[0]).toMatchObject({
      level: 'info',
      msg: 'paper trading: simulator started',
    })
    expect(lines.some((l) => l.msg === 'placing ladder')).toBe(true)
    expect(lines.at(-1)).toEqual({
      result: 'signal',
      realisedProfit: '0',
      cycles: 0,
    })
  })
  test.skipIf(process.platform === 'win32')(
    'behavior: a paper run leaves a 0700 data directory with 0600 files (journal, status, pid, logs)',
    async () => {
      const dir = tempDir()
      const dataDir = join(dir, 'paper')
      const { io } = captureIo({}, dir)
      let handle: StartedHandle | undefined
      const exit = mainWithHooks(
        ['paper', '--json', '--data-dir', dataDir],
        io,
        {
          simOptions: { feed: { mode: 'manual' } },
          onStarted: (h) => {
            handle = h
          },
        },
      )
      const bot = await waitFor(() => handle, 'the bot to start')
      await waitFor(
        () =>
          bot.state().orders.filter((o) => o.status === 'open').length === 8,
        'the ladder',
      )
      const mode = (...path: string[]) =>
        statSync(join(dataDir, ...path)).mode & 0o777
      expect(mode('rung.pid')).toBe(0o600)
      bot.stop()
      expect(await exit).toBe(0)
      expect(mode()).toBe(0o700)
      expect(mode('journal.jsonl')).toBe(0o600)
      expect(mode('status.json')).toBe(0o600)
      expect(mode('logs')).toBe(0o700)
      const logs = readdirSync(join(dataDir, 'logs'))
      expect(logs.length).toBeGreaterThan(0)
      for (const log of logs) expect(mode('logs', log)).toBe(0o600)
    },
  )
})
