import { describe, expect, test } from 'vitest'
import { MARKET, SMALL } from '../test/fixtures.js'
import { LadderConfigError } from './errors.js'
import { clientIdFor, initialState, parseClientId, step } from './reducer.js'
import type {
  LadderCommand,
  LadderConfig,
  LadderEvent,
  LadderState,
} from './types.js'

/** Runs events through the machine; returns the final state and one log line per event. */
function drive(config: LadderConfig, events: LadderEvent[]) {
  let state: LadderState = initialState(config, MARKET)
  const log: {
    event: string
    status: string
    commands: readonly LadderCommand[]
  }[] = []
  for (const event of events) {
    const [next, commands] = step(state, event)
    state = next
    log.push({ event: event.type, status: state.status, commands })
  }
  return { state, log }
}

const started = (price = '100'): LadderEvent => ({
  type: 'started',
  at: 0,
  price,
})
const fill = (
  clientId: number,
  price: string,
  quantity: string,
  fee = '0',
  at = 1,
): LadderEvent => ({
  type: 'orderFilled',
  at,
  clientId,
  price,
  quantity,
  fee,
})
const price = (p: string, at = 2): LadderEvent => ({
  type: 'priceUpdated',
  at,
  price: p,
})

describe('initialState', () => {
  test('default', () => {
    const state = initialState(SMALL, MARKET)
    expect(state.status).toBe('idle')
    expect(state.cycle).toBe(0)
    expect(JSON.parse(JSON.stringify(state))).toEqual(state)
  })
  test('error: market rules that do not fit', () => {
    expect(() =>
      initialState(SMALL, { ...MARKET, symbol: 'SOL_USDC' }),
    ).toThrow(LadderConfigError)
  })
})

describe('clientIdFor', () => {
  test('behavior: uint32 ids from cycle and slot, decodable', () => {
    expect(clientIdFor(1, 0)).toBe(1024)
    expect(parseClientId(clientIdFor(7, 513))).toEqual({
      cycle: 7,
      slot: 513,
      kind: 'sell',
    })
    expect(clientIdFor(4_194_303, 1023)).toBeLessThanOrEqual(0xffff_ffff)
  })
})

describe('step', () => {
  test('behavior: a classic cycle, take profit and restart', () => {
    const { log, state } = drive(SMALL, [
      started(),
      { type: 'orderAccepted', at: 1, clientId: 1024, orderId: 'A1' },
      fill(1024, '100', '0.428', '0.0428'),
      price('100.9'),
      price('101'),
      { type: 'orderCanceled', at: 3, clientId: 1025 },
      { type: 'orderCanceled', at: 3, clientId: 1026 },
      fill(1536, '101', '0.428', '0.043228', 4),
      price('102', 5),
    ])
    expect(log).toMatchInlineSnapshot(`
      [
        {
          "commands": [
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
                  "quantity": "0.428",
                  "rung": 0,
                },
                {
                  "clientId": 1025,
                  "price": "95",
                  "quantity": "0.902",
                  "rung": 1,
                },
                {
                  "clientId": 1026,
                  "price": "90",
                  "quantity": "1.904",
                  "rung": 2,
                },
              ],
              "postOnly": false,
              "side": "buy",
              "symbol": "BTC_USDC",
              "timeInForce": "GTC",
              "type": "placeOrders",
            },
            {
              "at": 60000,
              "timer": "noFill",
              "type": "scheduleTimer",
            },
          ],
          "event": "started",
          "status": "laddering",
        },
        {
          "commands": [],
          "event": "orderAccepted",
          "status": "laddering",
        },
        {
          "commands": [
            {
              "timer": "noFill",
              "type": "cancelTimer",
            },
          ],
          "event": "orderFilled",
          "status": "inPosition",
        },
        {
          "commands": [],
          "event": "priceUpdated",
          "status": "inPosition",
        },
        {
          "commands": [
            {
              "clientIds": [
                1025,
                1026,
              ],
              "symbol": "BTC_USDC",
              "type": "cancelOrders",
            },
            {
              "clientId": 1536,
              "orderType": "market",
              "price": "101",
              "quantity": "0.428",
              "reason": "takeProfit",
              "symbol": "BTC_USDC",
              "type": "sellPosition",
            },
          ],
          "event": "priceUpdated",
          "status": "exiting",
        },
        {
          "commands": [],
          "event": "orderCanceled",
          "status": "exiting",
        },
        {
          "commands": [],
          "event": "orderCanceled",
          "status": "exiting",
        },
        {
          "commands": [
            {
              "carriedCost": "0",
              "carriedQuantity": "0",
              "cycle": 1,
              "fees": "0.086028",
              "profit": "0.341972",
              "reason": "takeProfit",
              "type": "cycleCompleted",
            },
          ],
          "event": "orderFilled",
          "status": "starting",
        },
        {
          "commands": [
            {
              "orders": [
                {
                  "clientId": 2048,
                  "price": "102",
                  "quantity": "0.42",
                  "rung": 0,
                },
                {
                  "clientId": 2049,
                  "price": "96.9",
                  "quantity": "0.884",
                  "rung": 1,
                },
                {
                  "clientId": 2050,
                  "price": "91.8",
                  "quantity": "1.867",
                  "rung": 2,
                },
              ],
              "postOnly": false,
              "side": "buy",
              "symbol": "BTC_USDC",
              "timeInForce": "GTC",
              "type": "placeOrders",
            },
            {
              "at": 60005,
              "timer": "noFill",
              "type": "scheduleTimer",
            },
          ],
          "event": "priceUpdated",
          "status": "laddering",
        },
      ]
    `)
    // profit = 0.428 x (101 - 100) - 0.0428 - 0.043228 = 0.341972
    expect(state.totals).toMatchObject({ cycles: 1, fills: 1 })
  })

  test('behavior: no-fill restart waits for the cancels, then re-ladders', () => {
    const { log } = drive(SMALL, [
      started(),
      { type: 'timerFired', at: 59_999, timer: 'noFill' },
      { type: 'timerFired', at: 60_000, timer: 'noFill' },
      price('99', 60_001),
      { type: 'orderCanceled', at: 60_002, clientId: 1024 },
      { type: 'orderCanceled', at: 60_002, clientId: 1025 },
      { type: 'orderCanceled', at: 60_002, clientId: 1026 },
      price('99', 60_003),
    ])
    expect(
      log.map((l) => [l.event, l.status, l.commands.map((c) => c.type)]),
    ).toMatchInlineSnapshot(`
      [
        [
          "started",
          "laddering",
          [
            "cancelOrders",
            "placeOrders",
            "scheduleTimer",
          ],
        ],
        [
          "timerFired",
          "laddering",
          [
            "warning",
          ],
        ],
        [
          "timerFired",
          "starting",
          [
            "cancelOrders",
            "log",
          ],
        ],
        [
          "priceUpdated",
          "starting",
          [],
        ],
        [
          "orderCanceled",
          "starting",
          [],
        ],
        [
          "orderCanceled",
          "starting",
          [],
        ],
        [
          "orderCanceled",
          "starting",
          [],
        ],
        [
          "priceUpdated",
          "laddering",
          [
            "placeOrders",
            "scheduleTimer",
          ],
        ],
      ]
    `)
    const last = log.at(-1)?.commands[0]
    expect(last).toMatchObject({
      type: 'placeOrders',
      orders: [{ clientId: 2048, price: '99' }, {}, {}],
    })
  })

  test('behavior: partial fills, duplicates and missed fills (cumulative)', () => {
    const { state, log } = drive(SMALL, [
      started(),
      { ...fill(1026, '90', '0.5'), cumulativeQuantity: '0.5' } as LadderEvent,
      { ...fill(1026, '90', '0.5'), cumulativeQuantity: '0.5' } as LadderEvent,
      { ...fill(1026, '90', '0.2'), cumulativeQuantity: '1.0' } as LadderEvent,
    ])
    expect(
      log.map((l) => l.commands.filter((c) => c.type === 'warning')),
    ).toMatchInlineSnapshot(`
      [
        [],
        [],
        [
          {
            "event": "orderFilled",
            "message": "ignored a duplicate fill of client id 1026 (cumulative 0.5 already known)",
            "type": "warning",
          },
        ],
        [
          {
            "event": "orderFilled",
            "message": "adopted missed fills of client id 1026: cumulative 1.0 is more than known + this fill",
            "type": "warning",
          },
        ],
      ]
    `)
    expect(state.position.boughtLots).toBe(1000)
    // average 90, target 90 x 1.01 = 90.9
    expect(state.status === 'inPosition' && state.takeProfitPrice).toBe('90.9')
  })

  test('behavior: a resting limit take-profit is replaced after each fill', () => {
    const config = { ...SMALL, takeProfitOrder: 'limit' as const }
    const { log, state } = drive(config, [
      started(),
      fill(1024, '100', '0.428'),
      fill(1025, '95', '0.902'),
      { type: 'orderCanceled', at: 3, clientId: 1536 },
      fill(1537, '97.6', '0.902', '0', 4),
      fill(1538, '97.6', '0.428', '0', 4),
      { type: 'orderCanceled', at: 5, clientId: 1026 },
    ])
    // After the second fill: cost 42.8 + 85.69 = 128.49 for 1.33, average
    // 96.609..., target x 1.01 = 97.575... -> 97.6 (rounded UP to the tick).
    // The old sell (0.428 @ 101) is canceled; until acknowledged it still
    // covers 0.428, so the new sell covers 0.902, then 0.428 more.
    expect(
      log.map((l) => [l.event, l.status, l.commands]),
    ).toMatchInlineSnapshot(`
      [
        [
          "started",
          "laddering",
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
                  "quantity": "0.428",
                  "rung": 0,
                },
                {
                  "clientId": 1025,
                  "price": "95",
                  "quantity": "0.902",
                  "rung": 1,
                },
                {
                  "clientId": 1026,
                  "price": "90",
                  "quantity": "1.904",
                  "rung": 2,
                },
              ],
              "postOnly": false,
              "side": "buy",
              "symbol": "BTC_USDC",
              "timeInForce": "GTC",
              "type": "placeOrders",
            },
            {
              "at": 60000,
              "timer": "noFill",
              "type": "scheduleTimer",
            },
          ],
        ],
        [
          "orderFilled",
          "inPosition",
          [
            {
              "timer": "noFill",
              "type": "cancelTimer",
            },
            {
              "clientId": 1536,
              "orderType": "limit",
              "price": "101",
              "quantity": "0.428",
              "reason": "takeProfit",
              "symbol": "BTC_USDC",
              "type": "sellPosition",
            },
          ],
        ],
        [
          "orderFilled",
          "inPosition",
          [
            {
              "clientIds": [
                1536,
              ],
              "symbol": "BTC_USDC",
              "type": "cancelOrders",
            },
            {
              "clientId": 1537,
              "orderType": "limit",
              "price": "97.6",
              "quantity": "0.902",
              "reason": "takeProfit",
              "symbol": "BTC_USDC",
              "type": "sellPosition",
            },
          ],
        ],
        [
          "orderCanceled",
          "inPosition",
          [
            {
              "clientId": 1538,
              "orderType": "limit",
              "price": "97.6",
              "quantity": "0.428",
              "reason": "takeProfit",
              "symbol": "BTC_USDC",
              "type": "sellPosition",
            },
          ],
        ],
        [
          "orderFilled",
          "inPosition",
          [],
        ],
        [
          "orderFilled",
          "exiting",
          [
            {
              "clientIds": [
                1026,
              ],
              "symbol": "BTC_USDC",
              "type": "cancelOrders",
            },
          ],
        ],
        [
          "orderCanceled",
          "starting",
          [
            {
              "carriedCost": "0",
              "carriedQuantity": "0",
              "cycle": 1,
              "fees": "0",
              "profit": "1.318",
              "reason": "takeProfit",
              "type": "cycleCompleted",
            },
          ],
        ],
      ]
    `)
    expect(state.status).toBe('starting')
    expect(state.totals.cycles).toBe(1)
  })

  test('behavior: stop loss sells at market', () => {
    const config = { ...SMALL, stopLossPercentage: '5' }
    const { log } = drive(config, [
      started(),
      fill(1024, '100', '0.428'),
      price('95.1'),
      price('95'),
    ])
    expect(
      log.slice(2).map((l) => [l.status, l.commands]),
    ).toMatchInlineSnapshot(`
      [
        [
          "inPosition",
          [],
        ],
        [
          "exiting",
          [
            {
              "clientIds": [
                1025,
                1026,
              ],
              "symbol": "BTC_USDC",
              "type": "cancelOrders",
            },
            {
              "clientId": 1536,
              "orderType": "market",
              "price": "95",
              "quantity": "0.428",
              "reason": "stopLoss",
              "symbol": "BTC_USDC",
              "type": "sellPosition",
            },
          ],
        ],
      ]
    `)
  })

  test('behavior: trailing take profit follows the peak', () => {
    const config = { ...SMALL, trailingTakeProfitPercentage: '0.5' }
    const { log } = drive(config, [
      started(),
      fill(1024, '100', '0.428'),
      price('101'),
      price('103'),
      price('102.6'),
      price('102.4'),
    ])
    expect(
      log.slice(2).map((l) => [l.status, l.commands]),
    ).toMatchInlineSnapshot(`
      [
        [
          "inPosition",
          [
            {
              "message": "take-profit 101 reached at 101; trailing, stop at 101",
              "type": "log",
            },
          ],
        ],
        [
          "inPosition",
          [],
        ],
        [
          "inPosition",
          [],
        ],
        [
          "exiting",
          [
            {
              "clientIds": [
                1025,
                1026,
              ],
              "symbol": "BTC_USDC",
              "type": "cancelOrders",
            },
            {
              "clientId": 1536,
              "orderType": "market",
              "price": "102.4",
              "quantity": "0.428",
              "reason": "trailingTakeProfit",
              "symbol": "BTC_USDC",
              "type": "sellPosition",
            },
          ],
        ],
      ]
    `)
  })

  test('behavior: cool-down, cycle cap and no restart', () => {
    const cooled = drive({ ...SMALL, coolDownMinutes: 5 }, [
      started(),
      fill(1024, '100', '0.428'),
      price('101'),
      { type: 'orderCanceled', at: 3, clientId: 1025 },
      { type: 'orderCanceled', at: 3, clientId: 1026 },
      fill(1536, '101', '0.428', '0', 4),
      { type: 'timerFired', at: 300_003, timer: 'coolDown' },
      { type: 'timerFired', at: 300_004, timer: 'coolDown' },
    ])
    expect(
      cooled.log.slice(5).map((l) => [l.status, l.commands]),
    ).toMatchInlineSnapshot(`
      [
        [
          "coolingDown",
          [
            {
              "carriedCost": "0",
              "carriedQuantity": "0",
              "cycle": 1,
              "fees": "0",
              "profit": "0.428",
              "reason": "takeProfit",
              "type": "cycleCompleted",
            },
            {
              "at": 300004,
              "timer": "coolDown",
              "type": "scheduleTimer",
            },
          ],
        ],
        [
          "coolingDown",
          [
            {
              "event": "timerFired",
              "message": "ignored a coolDown timer that is not due",
              "type": "warning",
            },
          ],
        ],
        [
          "starting",
          [
            {
              "message": "cool-down over, laddering at the next price",
              "type": "log",
            },
          ],
        ],
      ]
    `)
    const capped = drive({ ...SMALL, maxCycles: 1 }, [
      started(),
      fill(1024, '100', '0.428'),
      price('101'),
      { type: 'orderCanceled', at: 3, clientId: 1025 },
      { type: 'orderCanceled', at: 3, clientId: 1026 },
      fill(1536, '101', '0.428', '0', 4),
    ])
    expect(capped.state).toMatchObject({
      status: 'stopped',
      reason: 'maxCycles',
    })
    const once = drive({ ...SMALL, restartAfterTakeProfit: false }, [
      started(),
      fill(1024, '100', '0.428'),
      price('101'),
      { type: 'orderCanceled', at: 3, clientId: 1025 },
      { type: 'orderCanceled', at: 3, clientId: 1026 },
      fill(1536, '101', '0.428', '0', 4),
    ])
    expect(once.state).toMatchObject({
      status: 'stopped',
      reason: 'takeProfitNoRestart',
    })
  })

  test('behavior: reconcile adopts unknown fills and forgets missing orders', () => {
    const { log, state } = drive(SMALL, [
      started(),
      {
        type: 'reconciled',
        at: 10,
        openOrders: [
          {
            clientId: 1026,
            orderId: 'C',
            side: 'buy',
            price: '90',
            quantity: '1.904',
            filledQuantity: '0',
          },
          {
            clientId: 9 * 1024,
            orderId: 'X',
            side: 'buy',
            price: '1',
            quantity: '1',
            filledQuantity: '0',
          },
        ],
        fills: [
          {
            clientId: 1024,
            side: 'buy',
            price: '100',
            quantity: '0.428',
            fee: '0.04',
          },
        ],
      },
    ])
    expect(log[1]).toMatchInlineSnapshot(`
      {
        "commands": [
          {
            "event": "reconciled",
            "message": "adopted 0.428 filled on order 1024 that the state did not know",
            "type": "warning",
          },
          {
            "event": "reconciled",
            "message": "forgot order 1025: the exchange does not have it open (not placed again)",
            "type": "warning",
          },
          {
            "event": "reconciled",
            "message": "left open order 9216 alone: not one of this strategy's client ids",
            "type": "warning",
          },
          {
            "timer": "noFill",
            "type": "cancelTimer",
          },
        ],
        "event": "reconciled",
        "status": "inPosition",
      }
    `)
    expect(state.status).toBe('inPosition')
    expect(state.orders.map((o) => [o.clientId, o.status])).toEqual([
      [1024, 'filled'],
      [1025, 'canceled'],
      [1026, 'open'],
    ])
  })

  test('behavior: stop requested, selling the position', () => {
    const { log, state } = drive(SMALL, [
      started(),
      fill(1024, '100', '0.428'),
      { type: 'stopRequested', at: 5, sellPosition: true },
      { type: 'orderCanceled', at: 6, clientId: 1025 },
      { type: 'orderCanceled', at: 6, clientId: 1026 },
      fill(1536, '99', '0.428', '0', 7),
      price('99', 8),
    ])
    expect(
      log.slice(2).map((l) => [l.status, l.commands]),
    ).toMatchInlineSnapshot(`
      [
        [
          "exiting",
          [
            {
              "clientIds": [
                1025,
                1026,
              ],
              "symbol": "BTC_USDC",
              "type": "cancelOrders",
            },
            {
              "clientId": 1536,
              "orderType": "market",
              "price": "101",
              "quantity": "0.428",
              "reason": "stopRequested",
              "symbol": "BTC_USDC",
              "type": "sellPosition",
            },
          ],
        ],
        [
          "exiting",
          [],
        ],
        [
          "exiting",
          [],
        ],
        [
          "stopped",
          [
            {
              "carriedCost": "0",
              "carriedQuantity": "0",
              "cycle": 1,
              "fees": "0",
              "profit": "-0.428",
              "reason": "stopRequested",
              "type": "cycleCompleted",
            },
            {
              "heldCost": "0",
              "heldQuantity": "0",
              "reason": "stopRequested",
              "type": "stopped",
            },
          ],
        ],
        [
          "stopped",
          [],
        ],
      ]
    `)
    expect(state).toMatchObject({ status: 'stopped', reason: 'stopRequested' })
  })

  test('behavior: events that make no sense change nothing and warn', () => {
    const state = initialState(SMALL, MARKET)
    const cases: LadderEvent[] = [
      fill(1024, '100', '1'),
      { type: 'timerFired', at: 1, timer: 'noFill' },
    ]
    for (const event of cases) {
      const [next, commands] = step(state, event)
      expect(next).toBe(state)
      expect(commands).toMatchObject([{ type: 'warning' }])
    }
    const [running] = step(state, started())
    for (const event of [
      started(),
      fill(999, '100', '1'),
      fill(1024, 'abc', '1'),
      { type: 'orderCanceled', at: 1, clientId: 5 } as LadderEvent,
      { type: 'priceUpdated', at: Number.NaN, price: '1' } as LadderEvent,
      { type: 'orderExploded', at: 1 } as unknown as LadderEvent,
    ]) {
      const [next, commands] = step(running, event)
      expect(next).toBe(running)
      expect(commands).toMatchObject([{ type: 'warning' }])
    }
  })

  test('behavior: a rejected exit sell is placed again for what is held', () => {
    const { log } = drive(SMALL, [
      started(),
      fill(1024, '100', '0.428'),
      price('101'),
      { type: 'orderCanceled', at: 3, clientId: 1025 },
      { type: 'orderCanceled', at: 3, clientId: 1026 },
      { type: 'orderRejected', at: 4, clientId: 1536, reason: 'exchange busy' },
    ])
    expect(log.at(-1)?.commands).toMatchObject([
      {
        type: 'warning',
        message: 'order 1536 (sell 0.428 @ 101) was rejected: exchange busy',
      },
      {
        type: 'sellPosition',
        clientId: 1537,
        quantity: '0.428',
        orderType: 'market',
      },
    ])
  })

  test('behavior: a no-op price update returns the same state and no commands', () => {
    const [running] = step(initialState(SMALL, MARKET), started())
    const [next, commands] = step(running, price('100.5'))
    expect(next).toBe(running)
    expect(commands).toEqual([])
  })
})
