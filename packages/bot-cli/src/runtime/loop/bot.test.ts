import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  type LadderCommand,
  type LadderEvent,
  type LadderState,
  validateConfig,
} from '@rung/ladder-strategy'
import { describe, expect, test, vi } from 'vitest'
import { waitFor } from '../../../test/e2e.js'
import { silentLogger } from '../../ui/logger.js'
import { openJournal } from '../journal.js'
import type { Executor, FeedHandlers, MarketFeed, RunResult } from '../ports.js'
import { startBot } from './bot.js'
import type { BotOptions } from './botTypes.js'

const market = {
  symbol: 'BTC_USDC',
  tickSize: '0.1',
  stepSize: '0.00001',
  minQuantity: '0.00001',
}
const setup = { config: validateConfig({}).config, market }

/** A feed the test drives by hand. */
function fakeFeed() {
  let handlers: FeedHandlers | undefined
  const feed: MarketFeed = {
    async start(h) {
      handlers = h
      h.onConnection('open')
    },
    async stop() {},
  }
  return { feed, handlers: () => handlers as FeedHandlers }
}

/** An exchange that accepts every order and keeps them open. */
function fakeExecutor(journalPath: string) {
  const open = new Map<
    number,
    { price: string; quantity: string; side: 'buy' | 'sell' }
  >()
  const sent: number[] = []
  const journalAtSend: string[] = []
  const executor: Executor = {
    run: vi.fn(
      async (commands: readonly LadderCommand[]): Promise<RunResult> => {
        journalAtSend.push(readFileSync(journalPath, 'utf8'))
        const events: LadderEvent[] = []
        for (const c of commands) {
          if (c.type === 'placeOrders')
            for (const o of c.orders) {
              sent.push(o.clientId)
              open.set(o.clientId, {
                price: o.price,
                quantity: o.quantity,
                side: 'buy',
              })
              events.push({
                type: 'orderAccepted',
                at: 1,
                clientId: o.clientId,
                orderId: `x${o.clientId}`,
              })
            }
          if (c.type === 'cancelOrders' && c.clientIds !== 'all')
            for (const id of c.clientIds) {
              open.delete(id)
              events.push({ type: 'orderCanceled', at: 1, clientId: id })
            }
        }
        return { events, reconcile: false }
      },
    ),
    reconcile: vi.fn(async (_state: LadderState) => ({
      type: 'reconciled' as const,
      at: 2,
      openOrders: [...open].map(([clientId, o]) => ({
        clientId,
        orderId: `x${clientId}`,
        side: o.side,
        price: o.price,
        quantity: o.quantity,
        filledQuantity: '0',
      })),
      fills: [],
    })),
    price: vi.fn(async () => '60000'),
    sellLeftovers: vi.fn(async () => []),
    holdings: vi.fn(async () => '1000'),
  }
  return { executor, open, sent, journalAtSend }
}

function options(
  path: string,
  executor: Executor,
  feed: MarketFeed,
): BotOptions {
  return {
    setup,
    executor,
    feed,
    journal: openJournal(path),
    logger: silentLogger,
    now: Date.now,
    mode: 'test',
    sellNonUsdcAssets: false,
    sellNonUsdcMinValue: '10',
    onStop: 'leave',
    monitorIntervalMs: 60_000,
    checkOrdersIntervalMs: 600_000,
  }
}

describe('startBot', () => {
  test('behavior: the event is on disk before its orders are sent (write-ahead)', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'rung-bot-')), 'journal.jsonl')
    const ex = fakeExecutor(path)
    const { feed } = fakeFeed()
    const bot = startBot(options(path, ex.executor, feed))
    await waitFor(() => ex.sent.length === 8, 'the ladder')
    // When the ladder was sent, the `started` event that produced it was already journalled.
    const atSend = ex.journalAtSend[0] ?? ''
    expect(atSend).toContain('"type":"started"')
    bot.stop()
    const outcome = await bot.done
    expect(outcome.reason).toBe('signal')
    expect(outcome.state.status).toBe('laddering')
  })

  test('behavior: a restart replays the journal and sends only what the exchange never got', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'rung-bot-')), 'journal.jsonl')
    // First run: the ladder is decided and journalled, but only three rungs reach the exchange.
    const first = fakeExecutor(path)
    const { feed } = fakeFeed()
    first.executor.run = vi.fn(async (commands: readonly LadderCommand[]) => {
      const c = commands.find((x) => x.type === 'placeOrders')
      if (c?.type === 'placeOrders')
        for (const o of c.orders.slice(0, 3))
          first.open.set(o.clientId, {
            price: o.price,
            quantity: o.quantity,
            side: 'buy',
          })
      // ... and the process "dies" before any answer (the loop never sees one).
      return new Promise<RunResult>((resolve) => {
        release = () => resolve({ events: [], reconcile: false })
      })
    })
    let release = () => {}
    const dead = startBot(options(path, first.executor, feed))
    await waitFor(() => first.open.size === 3, 'three rungs')

    // Second run on the same journal and the same exchange.
    const second = fakeExecutor(path)
    for (const [id, o] of first.open) second.open.set(id, o)
    const again = startBot(options(path, second.executor, fakeFeed().feed))
    await waitFor(() => second.open.size === 8, 'the whole ladder')
    expect(second.sent).toEqual([1027, 1028, 1029, 1030, 1031])
    await waitFor(
      () => again.state().orders.every((o) => o.status === 'open'),
      'all rungs open',
    )
    expect(again.state().cycle).toBe(1)
    again.stop()
    await again.done
    // Let the first loop end too (stopped first, so it writes nothing more).
    dead.stop()
    release()
    await dead.done
  })

  test('behavior: graceful stop with onStop cancel cancels the open rungs and ends the journal stopped', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'rung-bot-')), 'journal.jsonl')
    const ex = fakeExecutor(path)
    const bot = startBot({
      ...options(path, ex.executor, fakeFeed().feed),
      onStop: 'cancel',
    })
    await waitFor(() => ex.open.size === 8, 'the ladder')
    bot.stop()
    const outcome = await bot.done
    expect(ex.open.size).toBe(0)
    expect(outcome.state.status).toBe('stopped')
    // A new start on this journal is a fresh run whose client ids carry on
    // from the last cycle (never reused on this data directory).
    expect(openJournal(path).replay.snapshot).toMatchObject({
      ladder: { status: 'stopped' },
    })
    const next = fakeExecutor(path)
    const again = startBot({
      ...options(path, next.executor, fakeFeed().feed),
      onStop: 'cancel',
    })
    await waitFor(() => next.sent.length === 8, 'the new ladder')
    expect(next.sent[0]).toBe(2048)
    again.stop()
    await again.done
  })
})

/** A logger that keeps its lines, for assertions. */
function memoryLogger() {
  const lines: {
    level: string
    msg: string
    fields?: Record<string, unknown>
  }[] = []
  const at =
    (level: string) => (msg: string, fields?: Record<string, unknown>) => {
      lines.push({ level, msg, ...(fields === undefined ? {} : { fields }) })
    }
  return {
    lines,
    logger: {
      debug: at('debug'),
      info: at('info'),
      warn: at('warn'),
      error: at('error'),
    },
  }
}

describe('startBot: the trade record', () => {
  test('behavior: every order placed is an info line with its rung, client id, side, price and quantity', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'rung-bot-')), 'journal.jsonl')
    const ex = fakeExecutor(path)
    const { lines, logger } = memoryLogger()
    const bot = startBot({
      ...options(path, ex.executor, fakeFeed().feed),
      logger,
    })
    await waitFor(() => ex.sent.length === 8, 'the ladder')
    // The records are logged while the orders are on the way (issue 17).
    const placed = await waitFor(() => {
      const found = lines.filter((l) => l.msg === 'order placed')
      return found.length === 8 ? found : undefined
    }, 'the order placed lines')
    expect(placed.map((l) => l.fields?.clientId)).toEqual(ex.sent)
    expect(placed[0]).toMatchObject({
      level: 'info',
      fields: {
        cycle: 1,
        rung: 0,
        side: 'buy',
        orderType: 'limit',
        market: 'BTC_USDC',
      },
    })
    expect(placed[0]?.fields?.price).toMatch(/^\d+(\.\d+)?$/)
    expect(placed[0]?.fields?.quantity).toMatch(/^0\.\d+$/)
    expect(lines.find((l) => l.msg === 'cycle started')?.fields).toMatchObject({
      cycle: 1,
      price: '60000',
    })
    bot.stop()
    await bot.done
  })

  test("behavior: a cancel acknowledged for an earlier cycle's order is no warning; a stranger's still is", async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'rung-bot-')), 'journal.jsonl')
    const ex = fakeExecutor(path)
    const { feed, handlers } = fakeFeed()
    const { lines, logger } = memoryLogger()
    // A previous run's journal ended stopped in cycle 3: this run ladders cycle 4.
    const journal = openJournal(path)
    const first = startBot({
      ...options(path, ex.executor, fakeFeed().feed),
      journal,
      onStop: 'cancel',
    })
    await waitFor(() => ex.sent.length === 8, 'the first ladder')
    first.stop()
    await first.done
    journal.close()
    const next = fakeExecutor(path)
    const bot = startBot({
      ...options(path, next.executor, feed),
      logger,
      onStop: 'cancel',
    })
    await waitFor(() => next.sent.length === 8, 'the second ladder')
    expect(bot.state().cycle).toBe(2)
    // The stream echoes the cancels of cycle 1 (its orders are gone from the state).
    handlers().onOrderEvent({ type: 'orderCanceled', at: 5, clientId: 1024 })
    handlers().onOrderEvent({ type: 'orderCanceled', at: 5, clientId: 77 })
    await waitFor(() => lines.some((l) => l.level === 'warn'), 'the warning')
    const warnings = lines.filter((l) => l.level === 'warn').map((l) => l.msg)
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain('77')
    bot.stop()
    await bot.done
  })

  test('behavior: a batch acknowledgement loses its echoes; the rest is applied', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'rung-bot-')), 'journal.jsonl')
    const ex = fakeExecutor(path)
    const { feed, handlers } = fakeFeed()
    const { lines, logger } = memoryLogger()
    const bot = startBot({ ...options(path, ex.executor, feed), logger })
    await waitFor(() => ex.sent.length === 8, 'the ladder')
    // The exchange cancels two rungs on its own, the stream says so, then a
    // batch repeats one of them.
    handlers().onOrderEvent({ type: 'orderCanceled', at: 5, clientId: 1024 })
    handlers().onOrderEvent({
      type: 'ordersCanceled',
      at: 6,
      clientIds: [1024, 1025],
    })
    await waitFor(
      () =>
        bot
          .state()
          .orders.some((o) => o.clientId === 1025 && o.status === 'canceled'),
      'the batch',
    )
    const warnings = lines.filter((l) => l.level === 'warn').map((l) => l.msg)
    // One "canceled by the exchange" per order, no "already canceled".
    expect(warnings).toHaveLength(2)
    expect(warnings.some((w) => w.includes('already'))).toBe(false)
    bot.stop()
    await bot.done
  })
})
