import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { MARKET } from '../../test/fixtures.js'
import { DEFAULT_LADDER_CONFIG, validateConfig } from '../config.js'
import type { LadderConfig, LadderState, OrderRecord } from '../types.js'
import type { LadderCommand } from './commands.js'
import type { LadderEvent } from './events.js'
import { initialState } from './state.js'
import { step } from './step.js'

/** Four rungs 100 / 97 / 94 / 91 (10 % deep), equal amounts; two rest at once. */
const ROLLING: LadderConfig = {
  ...DEFAULT_LADDER_CONFIG,
  orderCount: 4,
  maxDropPercentage: '9',
  totalAmount: '400',
  incrementPercentage: '0',
  takeProfitPercentage: '1',
  activeOrderCount: 2,
}

function run(config: LadderConfig, events: LadderEvent[]) {
  let state: LadderState = initialState(config, MARKET)
  const all: LadderCommand[][] = []
  for (const e of events) {
    const [next, commands] = step(state, e)
    state = next
    all.push([...commands])
  }
  return { state, all }
}
const fill = (clientId: number, price: string, quantity: string, at = 1) =>
  ({
    type: 'orderFilled',
    at,
    clientId,
    price,
    quantity,
    fee: '0',
  }) as const
const places = (cmds: readonly LadderCommand[]) =>
  cmds.flatMap((c) =>
    c.type === 'placeOrders' ? c.orders.map((o) => o.clientId) : [],
  )
const liveRungs = (s: LadderState) =>
  s.orders
    .filter(
      (o: OrderRecord) =>
        o.side === 'buy' && (o.status === 'pending' || o.status === 'open'),
    )
    .map((o) => o.rung)

describe('activeOrderCount (rolling rungs)', () => {
  test('default: absent, every rung rests at once', () => {
    const { state, all } = run({ ...ROLLING, activeOrderCount: false }, [
      { type: 'started', at: 0, price: '100' },
    ])
    expect(places(all[0] ?? [])).toEqual([1024, 1025, 1026, 1027])
    expect(state).not.toHaveProperty('queuedRungs')
  })

  test('behavior: K rest, a complete fill places the next rung (one command)', () => {
    const { state, all } = run(ROLLING, [
      { type: 'started', at: 0, price: '100' },
      fill(1024, '100', '0.5'), // half of rung 0: still resting, nothing placed
      fill(1024, '100', '0.5'), // rung 0 complete: rung 2 placed
      fill(1025, '97', '1.03'), // rung 1 complete: rung 3 placed
    ])
    expect(all[0]).toMatchInlineSnapshot(`
      [
        {
          "clientIds": "all",
          "symbol": "BTC_USDC",
          "type": "cancelOrders",
        },
        {
          "orders": [
            {
              "clientId": 1024,
              "price": "100",
              "quantity": "1",
              "rung": 0,
            },
            {
              "clientId": 1025,
              "price": "97",
              "quantity": "1.03",
              "rung": 1,
            },
          ],
          "postOnly": false,
          "side": "buy",
          "symbol": "BTC_USDC",
          "timeInForce": "GTC",
          "type": "placeOrders",
        },
        {
          "message": "cycle 1: rolling rungs, 2 of 4 resting; the next one is placed when one fills",
          "type": "log",
        },
        {
          "at": 60000,
          "timer": "noFill",
          "type": "scheduleTimer",
        },
      ]
    `)
    expect(places(all[1] ?? [])).toEqual([])
    expect(
      (all[2] ?? []).filter((c) => c.type === 'placeOrders'),
    ).toMatchInlineSnapshot(`
      [
        {
          "orders": [
            {
              "clientId": 1026,
              "price": "94",
              "quantity": "1.063",
              "rung": 2,
            },
          ],
          "postOnly": false,
          "side": "buy",
          "symbol": "BTC_USDC",
          "timeInForce": "GTC",
          "type": "placeOrders",
        },
      ]
    `)
    expect(places(all[3] ?? [])).toEqual([1027])
    expect(state.status).toBe('inPosition')
    expect(state).not.toHaveProperty('queuedRungs')
    expect(liveRungs(state)).toEqual([2, 3])
  })

  test('behavior: same rungs, same average entry as the full ladder', () => {
    const events: LadderEvent[] = [
      { type: 'started', at: 0, price: '100' },
      fill(1024, '100', '1'),
      fill(1025, '97', '1.03'),
      fill(1026, '94', '1.063'),
    ]
    const rolling = run(ROLLING, events).state
    const full = run({ ...ROLLING, activeOrderCount: false }, events).state
    expect(rolling.position).toEqual(full.position)
    expect(rolling.status === 'inPosition' && rolling.takeProfitPrice).toBe(
      full.status === 'inPosition' && full.takeProfitPrice,
    )
    // The full ladder's plan, rung for rung (rung 3 placed by now).
    const rungsOf = (s: LadderState) =>
      s.orders.map((o) => [o.clientId, o.price, o.quantity, o.status])
    expect(rungsOf(rolling)).toEqual(rungsOf(full))
  })

  test('behavior: a rung rejected or canceled by the exchange makes room', () => {
    const { all } = run(ROLLING, [
      { type: 'started', at: 0, price: '100' },
      { type: 'orderRejected', at: 1, clientId: 1025, reason: 'post only' },
      { type: 'orderCanceled', at: 2, clientId: 1024 },
    ])
    expect(places(all[1] ?? [])).toEqual([1026])
    expect(places(all[2] ?? [])).toEqual([1027])
  })

  test('behavior: the queue goes with the cycle (no-fill restart, exit, stop)', () => {
    const noFill = run(ROLLING, [
      { type: 'started', at: 0, price: '100' },
      { type: 'timerFired', at: 60_000, timer: 'noFill' },
    ])
    expect(noFill.state.status).toBe('starting')
    expect(noFill.state).not.toHaveProperty('queuedRungs')
    // Only the two placed rungs are canceled; the queued ones were never sent.
    expect(noFill.all[1]?.[0]).toEqual({
      type: 'cancelOrders',
      symbol: 'BTC_USDC',
      clientIds: [1024, 1025],
    })
    const exit = run(ROLLING, [
      { type: 'started', at: 0, price: '100' },
      fill(1024, '100', '1'),
      { type: 'priceUpdated', at: 2, price: '101' },
      { type: 'ordersCanceled', at: 2, clientIds: [1025, 1026] },
    ])
    expect(exit.state).not.toHaveProperty('queuedRungs')
    expect(
      exit.all.flat().filter((c) => c.type === 'placeOrders'),
    ).toHaveLength(
      2, // the first ladder's and the top-up after rung 0
    )
    const stop = run(ROLLING, [
      { type: 'started', at: 0, price: '100' },
      { type: 'stopRequested', at: 1 },
    ])
    expect(stop.state).toMatchObject({ status: 'stopped' })
    expect(stop.state).not.toHaveProperty('queuedRungs')
  })

  test('behavior: reconcile re-derives the resting rungs (none twice, none lost)', () => {
    // The state knows rungs 0 and 1 placed; the exchange lost rung 1 and
    // already has rung 2 (a placement the saved state did not record).
    const { state, all } = run(ROLLING, [
      { type: 'started', at: 0, price: '100' },
      {
        type: 'reconciled',
        at: 5,
        openOrders: [
          {
            clientId: 1024,
            orderId: 'A',
            side: 'buy',
            price: '100',
            quantity: '1',
            filledQuantity: '0',
          },
          {
            clientId: 1026,
            orderId: 'C',
            side: 'buy',
            price: '94',
            quantity: '1.063',
            filledQuantity: '0',
          },
        ],
        fills: [],
      },
    ])
    const cmds = all[1] ?? []
    // Rung 2 adopted (not canceled as a stray, not placed again); rung 1
    // forgotten; K = 2 live again with rung 0 and rung 2: nothing placed.
    expect(cmds.filter((c) => c.type === 'cancelOrders')).toEqual([])
    expect(places(cmds)).toEqual([])
    expect(liveRungs(state)).toEqual([0, 2])
    expect(state.status === 'laddering' && state.queuedRungs).toEqual([
      expect.objectContaining({ clientId: 1027, rung: 3 }),
    ])
    // And with rung 2 unknown to the exchange too: rung 3 is placed.
    const again = step(state, {
      type: 'reconciled',
      at: 6,
      openOrders: [
        {
          clientId: 1024,
          orderId: 'A',
          side: 'buy',
          price: '100',
          quantity: '1',
          filledQuantity: '0',
        },
      ],
      fills: [],
    })
    expect(places(again[1])).toEqual([1027])
    expect(liveRungs(again[0])).toEqual([0, 3])
  })

  test.prop(
    [
      fc.integer({ min: 1, max: 6 }),
      fc.integer({ min: 1, max: 6 }),
      fc.array(fc.tuple(fc.nat(7), fc.constantFrom('all', 'half', 'reject')), {
        maxLength: 12,
      }),
    ],
    { numRuns: 150 },
  )(
    'behavior: never more than K rungs live, each rung placed at most once',
    (n, k, actions) => {
      const config = {
        ...ROLLING,
        orderCount: n,
        activeOrderCount: Math.min(k, n),
      }
      let state = initialState(config, MARKET)
      const placed: number[] = []
      const feed = (e: LadderEvent) => {
        const [next, cmds] = step(state, e)
        state = next
        placed.push(...places(cmds))
      }
      feed({ type: 'started', at: 0, price: '100' })
      let at = 1
      for (const [pick, kind] of actions) {
        const live = state.orders.filter(
          (o) =>
            o.side === 'buy' && (o.status === 'pending' || o.status === 'open'),
        )
        const o = live[pick % Math.max(1, live.length)]
        if (!o) break
        if (kind === 'reject')
          feed({
            type: 'orderRejected',
            at: at++,
            clientId: o.clientId,
            reason: 'x',
          })
        else {
          const lots = kind === 'all' ? o.qtyLots - o.filledLots : 1
          feed(fill(o.clientId, o.price, String(lots / 1000), at++))
        }
        const liveNow = state.orders.filter(
          (r) =>
            r.side === 'buy' && (r.status === 'pending' || r.status === 'open'),
        ).length
        expect(liveNow).toBeLessThanOrEqual(config.activeOrderCount)
        if (state.status === 'laddering' || state.status === 'inPosition') {
          // Queued rungs wait only while K are live.
          if ((state.queuedRungs?.length ?? 0) > 0)
            expect(liveNow).toBe(config.activeOrderCount)
        }
      }
      expect(new Set(placed).size).toBe(placed.length)
    },
  )
})

describe('validateConfig (activeOrderCount)', () => {
  test('args: an integer from 1 to orderCount, or false', () => {
    expect(validateConfig({}).config).not.toHaveProperty('activeOrderCount')
    expect(
      validateConfig({ strategy: { activeOrderCount: 3 } }).config
        .activeOrderCount,
    ).toBe(3)
    expect(
      validateConfig({ strategy: { activeOrderCount: false } }).config
        .activeOrderCount,
    ).toBe(false)
  })
  test('error: not an integer >= 1, or above orderCount', () => {
    expect(() =>
      validateConfig({ strategy: { activeOrderCount: 0 } }),
    ).toThrowErrorMatchingInlineSnapshot(`
      [LadderConfigError: The ladder config has 1 invalid field.
      - strategy.activeOrderCount: must be an integer >= 1 (how many rungs rest at once), or false for every rung, got 0]
    `)
    expect(() =>
      validateConfig({ strategy: { orderCount: 4, activeOrderCount: 5 } }),
    ).toThrowErrorMatchingInlineSnapshot(`
      [LadderConfigError: The ladder config has 1 invalid field.
      - strategy.activeOrderCount: must be <= orderCount (4): lower activeOrderCount, or raise orderCount, got 5]
    `)
  })
})
