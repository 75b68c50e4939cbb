import { describe, expect, test, vi } from 'vitest'
import type { TradeRecord } from '../runtime/tradeRecord.js'
import type { Notifier, NotifyMessage } from './notifier.js'
import { createNotifyEvents } from './notifyEvents.js'

function setup(start = Date.UTC(2026, 0, 1, 23, 50)) {
  vi.useFakeTimers()
  const sent: NotifyMessage[] = []
  const notifier: Notifier = {
    notify: (m) => sent.push(m),
    stats: () => ({ sent: 0, failed: 0, dropped: 0, queued: 0, channels: [] }),
    close: async () => ({
      sent: 0,
      failed: 0,
      dropped: 0,
      queued: 0,
      channels: [],
    }),
  }
  let t = start
  const events = createNotifyEvents({
    notifier,
    market: 'BTC_USDC',
    mode: 'paper',
    streamDownMinutes: 3,
    redact: (s) => s.replaceAll('hunter2hunter2', '[redacted]'),
    now: () => t,
    checkEveryMs: 1000,
  })
  const advance = (ms: number) => {
    t += ms
    vi.advanceTimersByTime(1000)
  }
  return {
    sent,
    events,
    advance,
    done: () => {
      events.close()
      vi.useRealTimers()
    },
  }
}

const base = { at: 1, market: 'BTC_USDC', cycle: 3 }
const fill = (side: 'buy' | 'sell', reason?: 'stopLoss'): TradeRecord => ({
  ...base,
  kind: 'fill',
  clientId: 3072,
  side,
  rung: side === 'buy' ? 1 : -1,
  price: '59000',
  quantity: '0.01',
  fee: '0.472',
  feeAsset: 'quote',
  cumulativeQuantity: '0.01',
  orderFilled: true,
  adopted: false,
  ...(reason ? { reason } : {}),
  held: '0.01',
  averageEntry: '59000',
  takeProfitPrice: '59147.5',
})
const cycle = (profit: string): TradeRecord => ({
  ...base,
  kind: 'cycleCompleted',
  reason: 'takeProfit',
  profit,
  fees: '1',
  carriedQuantity: '0',
  carriedCost: '0',
})

describe('createNotifyEvents', () => {
  test('behavior: fills, take profits, stop losses, cycles and rejected orders map to their events', () => {
    const { sent, events, done } = setup()
    events.records([
      fill('buy'),
      fill('sell'),
      fill('sell', 'stopLoss'),
      cycle('2.5'),
      {
        ...base,
        kind: 'orderRejected',
        clientId: 9,
        side: 'buy',
        rung: 0,
        price: '1',
        quantity: '1',
        filledQuantity: '0',
        reason: 'INSUFFICIENT_FUNDS',
      },
      {
        ...base,
        kind: 'orderPlaced',
        clientId: 9,
        side: 'buy',
        rung: 0,
        price: '1',
        quantity: '1',
        orderType: 'limit',
      },
    ])
    expect(sent.map((m) => [m.event, m.title])).toEqual([
      ['fill', 'BTC_USDC bought 0.01 @ 59000 (rung 2, cycle 3)'],
      ['takeProfit', 'BTC_USDC take profit: sold 0.01 @ 59000 (cycle 3)'],
      ['fill', 'BTC_USDC stop loss: sold 0.01 @ 59000 (cycle 3)'],
      ['cycle', 'BTC_USDC cycle 3 take profit: profit 2.5 USDC'],
      ['critical', 'BTC_USDC: order 9 rejected (INSUFFICIENT_FUNDS)'],
    ])
    expect(
      sent.every((m) => m.mode === 'paper' && m.market === 'BTC_USDC'),
    ).toBe(true)
    done()
  })

  test('behavior: the day after, the daily P&L of the day before is sent', () => {
    const { sent, events, advance, done } = setup()
    events.records([cycle('2.5'), cycle('-0.5')])
    advance(5 * 60_000) // 23:55
    expect(sent.filter((m) => m.event === 'daily')).toEqual([])
    advance(10 * 60_000) // 00:05 the next day
    const daily = sent.filter((m) => m.event === 'daily')
    expect(daily.map((m) => m.title)).toEqual([
      'BTC_USDC 2026-01-01: realised profit 2 USDC over 2 cycles',
    ])
    advance(60_000)
    expect(sent.filter((m) => m.event === 'daily')).toHaveLength(1)
    done()
  })

  test('behavior: the stream down for longer than streamDownMinutes is critical, once per outage', () => {
    const { sent, events, advance, done } = setup()
    events.connection('open')
    events.connection('reconnecting')
    advance(2 * 60_000)
    expect(sent).toEqual([])
    events.connection('reconnecting')
    advance(60_000)
    advance(60_000)
    expect(sent.map((m) => [m.event, m.title])).toEqual([
      ['critical', 'BTC_USDC: market stream down for 3 min'],
    ])
    events.connection('open')
    expect(sent.at(-1)?.title).toBe('BTC_USDC: market stream back')
    done()
  })

  test("behavior: warnings and errors are sent (redacted), the notifier's own lines are not", () => {
    const { sent, events, done } = setup()
    const time = new Date().toISOString()
    events.log({ time, level: 'info', msg: 'placing ladder' })
    events.log({
      time,
      level: 'warn',
      msg: 'price poll failed',
      fields: { error: 'key hunter2hunter2' },
    })
    events.log({ time, level: 'warn', msg: 'notify: webhook 1 queue full' })
    events.log({ time, level: 'error', msg: 'the bot failed' })
    events.stopped('signal', '3.25')
    expect(sent.map((m) => [m.event, m.title, m.text])).toEqual([
      ['warning', 'BTC_USDC: price poll failed', 'key [redacted]'],
      ['error', 'BTC_USDC: the bot failed', ''],
      [
        'critical',
        'BTC_USDC: bot stopped (signal)',
        'realised profit this session 3.25 USDC',
      ],
    ])
    done()
  })
})
