/**
 * Issue 17, at the loop: the executor may have an exit's requests in flight
 * together, but the loop never has two step outputs in flight at once, so a
 * stop loss's cancel of the resting take-profit sell is answered before the
 * market sell (the next step's output) is handed over.
 */
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  type LadderCommand,
  type LadderEvent,
  validateConfig,
} from '@rung/ladder-strategy'
import { describe, expect, test } from 'vitest'
import { waitFor } from '../../../test/e2e.js'
import { silentLogger } from '../../ui/logger.js'
import { openJournal } from '../journal.js'
import type { Executor, FeedHandlers, RunResult } from '../ports.js'
import { startBot } from './bot.js'

const market = {
  symbol: 'BTC_USDC',
  tickSize: '0.1',
  stepSize: '0.00001',
  minQuantity: '0.00001',
}

describe('the loop and a concurrent executor', () => {
  test('behavior: a stop loss cancels the resting take-profit sell, and the market sell is handed over only after that cancel is answered', async () => {
    const config = validateConfig({
      orderCount: 3,
      takeProfitOrder: 'limit',
      stopLossPercentage: '5',
    }).config
    const path = join(
      mkdtempSync(join(tmpdir(), 'rung-exit-')),
      'journal.jsonl',
    )
    /** Each run: its commands, when it started and ended (in run order). */
    const runs: { commands: readonly LadderCommand[]; journal: string }[] = []
    const log: string[] = []
    let inFlight = 0
    let maxInFlight = 0
    /** The exchange's open orders (what a reconcile reports). */
    const open = new Map<
      number,
      { side: 'buy' | 'sell'; price: string; quantity: string }
    >()
    const executor: Executor = {
      async run(commands): Promise<RunResult> {
        const n = runs.length
        runs.push({ commands, journal: readFileSync(path, 'utf8') })
        log.push(`start ${n}`)
        inFlight += 1
        maxInFlight = Math.max(maxInFlight, inFlight)
        // Slow answers: a second step output would have time to overlap.
        await new Promise((r) => setTimeout(r, 20))
        const events: LadderEvent[] = []
        for (const c of commands) {
          if (c.type === 'placeOrders')
            for (const o of c.orders) {
              open.set(o.clientId, { side: 'buy', ...o })
              events.push({
                type: 'orderAccepted',
                at: Date.now(),
                clientId: o.clientId,
                orderId: `x${o.clientId}`,
              })
            }
          else if (c.type === 'sellPosition') {
            if (c.orderType === 'limit')
              open.set(c.clientId, { side: 'sell', ...c })
            events.push({
              type: 'orderAccepted',
              at: Date.now(),
              clientId: c.clientId,
              orderId: `x${c.clientId}`,
            })
          } else if (c.type === 'cancelOrders' && c.clientIds !== 'all')
            for (const clientId of c.clientIds) {
              open.delete(clientId)
              events.push({ type: 'orderCanceled', at: Date.now(), clientId })
            }
        }
        inFlight -= 1
        log.push(`end ${n}`)
        return { events, reconcile: false }
      },
      reconcile: async () => ({
        type: 'reconciled',
        at: Date.now(),
        openOrders: [...open].map(([clientId, o]) => ({
          clientId,
          orderId: `x${clientId}`,
          side: o.side,
          price: o.price,
          quantity: o.quantity,
          filledQuantity: '0',
        })),
        fills: [],
      }),
      price: async () => '60000',
      sellLeftovers: async () => [],
      holdings: async () => '1000',
    }
    let handlers: FeedHandlers | undefined
    const bot = startBot({
      setup: { config, market },
      executor,
      feed: {
        async start(h) {
          handlers = h
          h.onConnection('open')
        },
        async stop() {},
      },
      journal: openJournal(path),
      logger: silentLogger,
      now: Date.now,
      mode: 'test',
      sellNonUsdcAssets: false,
      sellNonUsdcMinValue: '10',
      onStop: 'leave',
      monitorIntervalMs: 60_000,
      checkOrdersIntervalMs: 600_000,
    })
    await waitFor(
      () =>
        bot.state().orders.length === 3 &&
        bot.state().orders.every((o) => o.status === 'open'),
      'the ladder',
    )
    const top = bot.state().orders[0]
    if (top === undefined) throw new Error('no rung')
    open.delete(top.clientId)
    handlers?.onOrderEvent({
      type: 'orderFilled',
      at: Date.now(),
      clientId: top.clientId,
      price: top.price,
      quantity: top.quantity,
      fee: '0',
      cumulativeQuantity: top.quantity,
    })
    await waitFor(
      () =>
        bot
          .state()
          .orders.some((o) => o.side === 'sell' && o.status === 'open'),
      'the resting take-profit sell',
    )
    const resting = bot
      .state()
      .orders.find((o) => o.side === 'sell' && o.status === 'open')
    // A drop far below the stop loss.
    handlers?.onPrice('50000', Date.now())
    const isMarketSell = (c: LadderCommand) =>
      c.type === 'sellPosition' && c.orderType === 'market'
    await waitFor(
      () => runs.some((r) => r.commands.some(isMarketSell)) && inFlight === 0,
      'the market sell',
    )
    const cancelRun = runs.findIndex((r) =>
      r.commands.some(
        (c) =>
          c.type === 'cancelOrders' &&
          c.clientIds !== 'all' &&
          c.clientIds.includes(resting?.clientId ?? -1),
      ),
    )
    const sellRun = runs.findIndex((r) => r.commands.some(isMarketSell))
    expect(cancelRun).toBeGreaterThanOrEqual(0)
    // The sell's cancel and the market sell are separate step outputs, the
    // second handed over only after the first was answered.
    expect(sellRun).toBeGreaterThan(cancelRun)
    expect(log.indexOf(`start ${sellRun}`)).toBeGreaterThan(
      log.indexOf(`end ${cancelRun}`),
    )
    expect(maxInFlight).toBe(1)
    // Write-ahead: the sell's run saw the cancel's answer journalled.
    expect(runs[sellRun]?.journal).toContain(`"type":"orderCanceled","at":`)
    bot.stop()
    await bot.done
  })
})
