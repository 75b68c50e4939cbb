import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { BTC_MARKET, MARKET, SMALL } from '../../test/fixtures.js'
import { DEFAULT_LADDER_CONFIG } from '../config.js'
import { LadderConfigError } from '../errors.js'
import type { LadderConfig, LadderState } from '../types.js'
import { clientIdFor, parseClientId } from './clientIds.js'
import type { LadderCommand } from './commands.js'
import type { LadderEvent } from './events.js'
import { initialState } from './state.js'
import { advance, step } from './step.js'

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
              "adopted": false,
              "averageEntry": "100",
              "clientId": 1024,
              "cycle": 1,
              "fee": "0.0428",
              "feeAsset": "quote",
              "held": "0.428",
              "orderFilled": true,
              "price": "100",
              "quantity": "0.428",
              "rung": 0,
              "side": "buy",
              "takeProfitPrice": "101",
              "type": "fillBooked",
            },
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
              "adopted": false,
              "averageEntry": "100",
              "clientId": 1536,
              "cycle": 1,
              "fee": "0.043228",
              "feeAsset": "quote",
              "held": "0",
              "orderFilled": true,
              "price": "101",
              "quantity": "0.428",
              "rung": -1,
              "side": "sell",
              "takeProfitPrice": "101",
              "type": "fillBooked",
            },
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
              "adopted": false,
              "averageEntry": "100",
              "clientId": 1024,
              "cycle": 1,
              "fee": "0",
              "feeAsset": "quote",
              "held": "0.428",
              "orderFilled": true,
              "price": "100",
              "quantity": "0.428",
              "rung": 0,
              "side": "buy",
              "takeProfitPrice": "101",
              "type": "fillBooked",
            },
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
              "adopted": false,
              "averageEntry": "96.609022557",
              "clientId": 1025,
              "cycle": 1,
              "fee": "0",
              "feeAsset": "quote",
              "held": "1.33",
              "orderFilled": true,
              "price": "95",
              "quantity": "0.902",
              "rung": 1,
              "side": "buy",
              "takeProfitPrice": "97.6",
              "type": "fillBooked",
            },
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
          [
            {
              "adopted": false,
              "averageEntry": "96.609022557",
              "clientId": 1537,
              "cycle": 1,
              "fee": "0",
              "feeAsset": "quote",
              "held": "0.428",
              "orderFilled": true,
              "price": "97.6",
              "quantity": "0.902",
              "rung": -1,
              "side": "sell",
              "takeProfitPrice": "97.6",
              "type": "fillBooked",
            },
          ],
        ],
        [
          "orderFilled",
          "exiting",
          [
            {
              "adopted": false,
              "averageEntry": "96.609022557",
              "clientId": 1538,
              "cycle": 1,
              "fee": "0",
              "feeAsset": "quote",
              "held": "0",
              "orderFilled": true,
              "price": "97.6",
              "quantity": "0.428",
              "rung": -1,
              "side": "sell",
              "takeProfitPrice": "97.6",
              "type": "fillBooked",
            },
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

  test('behavior: a stop loss with a resting limit take profit sells only after the sell is canceled, never more than held', () => {
    const config = {
      ...SMALL,
      takeProfitOrder: 'limit' as const,
      stopLossPercentage: '5',
    }
    const canceled = (clientId: number, at = 3): LadderEvent => ({
      type: 'orderCanceled',
      at,
      clientId,
    })
    const sellsOf = (cmds: readonly LadderCommand[]) =>
      cmds.flatMap((c) =>
        c.type === 'sellPosition' ? [[c.orderType, c.quantity]] : [],
      )
    const opening = [started(), fill(1024, '100', '0.428'), price('95')]
    // The resting sell (1536, 0.428 @ 101) is canceled with the rungs; the
    // market sell waits for that cancel: the resting sell may still fill.
    const stop = drive(config, opening).log[2]
    expect(stop?.status).toBe('exiting')
    expect(stop?.commands).toContainEqual({
      type: 'cancelOrders',
      symbol: 'BTC_USDC',
      clientIds: [1025, 1026, 1536],
    })
    expect(sellsOf(stop?.commands ?? [])).toEqual([])
    // The cancel lands: the position is sold at market.
    const sold = drive(config, [
      ...opening,
      canceled(1025),
      canceled(1026),
      canceled(1536),
    ])
    expect(sold.log.flatMap((l) => sellsOf(l.commands))).toEqual([
      ['limit', '0.428'],
      ['market', '0.428'],
    ])
    // The resting sell filled while its cancel was on the way: nothing is
    // left to sell, and no market sell goes out.
    const filled = drive(config, [
      ...opening,
      fill(1536, '101', '0.428', '0', 3),
      canceled(1025),
      canceled(1026),
    ])
    expect(filled.log.flatMap((l) => sellsOf(l.commands))).toEqual([
      ['limit', '0.428'],
    ])
    expect(filled.state.totals.cycles).toBe(1)
    const p = filled.state.position
    expect(p.boughtLots - p.soldLots).toBe(0)
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
              "adopted": false,
              "averageEntry": "100",
              "clientId": 1536,
              "cycle": 1,
              "fee": "0",
              "feeAsset": "quote",
              "held": "0",
              "orderFilled": true,
              "price": "101",
              "quantity": "0.428",
              "rung": -1,
              "side": "sell",
              "takeProfitPrice": "101",
              "type": "fillBooked",
            },
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
            "adopted": true,
            "averageEntry": "100",
            "clientId": 1024,
            "cycle": 1,
            "fee": "0.04",
            "feeAsset": "quote",
            "held": "0.428",
            "orderFilled": true,
            "price": "100",
            "quantity": "0.428",
            "rung": 0,
            "side": "buy",
            "takeProfitPrice": "101",
            "type": "fillBooked",
          },
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
              "adopted": false,
              "averageEntry": "100",
              "clientId": 1536,
              "cycle": 1,
              "fee": "0",
              "feeAsset": "quote",
              "held": "0",
              "orderFilled": true,
              "price": "99",
              "quantity": "0.428",
              "rung": -1,
              "side": "sell",
              "takeProfitPrice": "101",
              "type": "fillBooked",
            },
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
    // The shared empty list: frozen, so no caller can push into it.
    expect(Object.isFrozen(commands)).toBe(true)
    expect(step(running, price('100.4'))[1]).toBe(commands)
  })

  test('behavior: advance returns null for a no-op and the step result otherwise', () => {
    const idle = initialState(SMALL, MARKET)
    const [running, commands] = step(idle, started())
    expect(advance(idle, started())).toEqual([running, commands])
    expect(advance(running, price('100.5'))).toBeNull()
    // A price update while idle changes nothing either.
    expect(advance(idle, price('100.5'))).toBeNull()
  })

  test('behavior: the remainder a base-asset fee leaves is carried, not booked as a loss', () => {
    // The paper-trading case: one rung of 0.00062 BTC at 81450, the 0.08 %
    // buy fee taken in BTC (0.00062 x 0.0008 = 0.000000496), take profit
    // 0.25 %: 81450 x 1.0025 = 81653.625, rounded UP to 81653.63.
    const config: LadderConfig = {
      ...DEFAULT_LADDER_CONFIG,
      orderCount: 1,
      totalAmount: '50.5', // 50.5 / 81450 = 0.00062001..., DOWN to 0.00062
    }
    const baseFill = (clientId: number, at: number): LadderEvent => ({
      type: 'orderFilled',
      at,
      clientId,
      price: '81450',
      quantity: '0.00062',
      fee: '0.000000496',
      feeAsset: 'base',
    })
    const events: LadderEvent[] = [
      { type: 'started', at: 0, price: '81450' },
      baseFill(1024, 1),
      { type: 'priceUpdated', at: 2, price: '81653.63' },
      // 0.00061 x 81653.63 = 49.8087143; fee 0.08 % = 0.0398469714 (sent rounded)
      fill(1536, '81653.63', '0.00061', '0.03984697', 3),
      { type: 'priceUpdated', at: 4, price: '81450' },
      baseFill(2048, 5),
      { type: 'priceUpdated', at: 6, price: '81653.63' },
      // 0.00062 x 81653.63 = 50.6252506; fee 0.08 % = 0.04050020048 (sent rounded)
      fill(2560, '81653.63', '0.00062', '0.0405002', 7),
    ]
    let state: LadderState = initialState(config, BTC_MARKET)
    const commands: LadderCommand[] = []
    const states: LadderState[] = []
    for (const event of events) {
      const [next, out] = step(state, event)
      state = next
      states.push(state)
      commands.push(...out)
    }
    const sells = commands.filter((c) => c.type === 'sellPosition')
    const cycles = commands.filter((c) => c.type === 'cycleCompleted')
    // Cycle 1: 0.00062 - 0.000000496 = 0.000619504 held, 0.00061 sellable
    // (DOWN to the step); cycle 2 sells its own 0.00061 + the carried lot.
    expect(sells.map((c) => c.quantity)).toEqual(['0.00061', '0.00062'])
    // Cycle 1 (the old accounting booked 49.8087143 - 50.499 - 0.03984697
    // = -0.73013267):
    //   cost 0.00062 x 81450 = 50.499; left 0.000619504 - 0.00061 = 0.000009504
    //   carried cost = 50.499 x 0.000009504 / 0.000619504
    //                = 0.774720576461168935..., DOWN to the money unit
    //                  (10^-11 here: 50.5 x 1000 x 10^11 is still a safe integer)
    //                = 0.77472057646
    //   profit = 49.8087143 - (50.499 - 0.77472057646) - 0.03984697
    //          = 0.04458790646
    // Cycle 2: held 0.000009504 + 0.000619504 = 0.000629008, sold 0.00062
    //   cost 0.77472057646 + 50.499 = 51.27372057646; left 0.000009008
    //   carried cost = 51.27372057646 x 0.000009008 / 0.000629008
    //                = 0.734289031224963243..., DOWN: 0.73428903122
    //   profit = 50.6252506 - (51.27372057646 - 0.73428903122) - 0.0405002
    //          = 0.04531885476
    expect(cycles).toEqual([
      {
        type: 'cycleCompleted',
        cycle: 1,
        reason: 'takeProfit',
        profit: '0.04458790646',
        fees: '0.03984697',
        carriedQuantity: '0.000009504',
        carriedCost: '0.77472057646',
      },
      {
        type: 'cycleCompleted',
        cycle: 2,
        reason: 'takeProfit',
        profit: '0.04531885476',
        fees: '0.0405002',
        carriedQuantity: '0.000009008',
        carriedCost: '0.73428903122',
      },
    ])
    // The take-profit target is over the cycle's own fills: the carried
    // remainder does not move it (81450 x 1.0025, UP to the tick).
    const inPosition = states[5]
    expect(inPosition).toMatchObject({
      status: 'inPosition',
      takeProfitPrice: '81653.63',
      position: {
        carriedLots: 0,
        carriedFineUnits: 95_040_000, // 0.000009504 in 10^-13 BTC
        carriedCostUnits: 77_472_057_646,
      },
    })
    expect(state.totals.realisedUnits).toBe(
      4_458_790_646 + 4_531_885_476, // 10^-11 USDC
    )
  })

  test('behavior: stopping reports what is still held and its cost', () => {
    const config: LadderConfig = {
      ...DEFAULT_LADDER_CONFIG,
      orderCount: 1,
      totalAmount: '50.5',
      maxCycles: 1,
    }
    let state: LadderState = initialState(config, BTC_MARKET)
    const out: LadderCommand[] = []
    for (const event of [
      { type: 'started', at: 0, price: '81450' },
      {
        type: 'orderFilled',
        at: 1,
        clientId: 1024,
        price: '81450',
        quantity: '0.00062',
        fee: '0.000000496',
        feeAsset: 'base',
      },
      { type: 'priceUpdated', at: 2, price: '81653.63' },
      fill(1536, '81653.63', '0.00061', '0.03984697', 3),
    ] satisfies LadderEvent[]) {
      const [next, commands] = step(state, event)
      state = next
      out.push(...commands)
    }
    expect(out.at(-1)).toEqual({
      type: 'stopped',
      reason: 'maxCycles',
      heldQuantity: '0.000009504',
      heldCost: '0.77472057646',
    })
    // Stopping in position without selling reports the whole position:
    // 0.00062 - 0.000000496 held at cost 50.499 (nothing sold).
    const [running] = step(initialState(config, BTC_MARKET), {
      type: 'started',
      at: 0,
      price: '81450',
    })
    const [holding] = step(running, {
      type: 'orderFilled',
      at: 1,
      clientId: 1024,
      price: '81450',
      quantity: '0.00062',
      fee: '0.000000496',
      feeAsset: 'base',
    })
    const [, stopCommands] = step(holding, { type: 'stopRequested', at: 2 })
    expect(stopCommands.at(-1)).toEqual({
      type: 'stopped',
      reason: 'stopRequested',
      heldQuantity: '0.000619504',
      heldCost: '50.499',
    })
    // Stopping (even with sellPosition) in the next cycle's ladder, before
    // any fill: the carried remainder is reported, not sold.
    let next: LadderState = initialState(
      { ...config, maxCycles: false },
      BTC_MARKET,
    )
    for (const event of [
      { type: 'started', at: 0, price: '81450' },
      {
        type: 'orderFilled',
        at: 1,
        clientId: 1024,
        price: '81450',
        quantity: '0.00062',
        fee: '0.000000496',
        feeAsset: 'base',
      },
      { type: 'priceUpdated', at: 2, price: '81653.63' },
      fill(1536, '81653.63', '0.00061', '0.03984697', 3),
      { type: 'priceUpdated', at: 4, price: '81450' },
    ] satisfies LadderEvent[])
      [next] = step(next, event)
    expect(next.status).toBe('laddering')
    const [stopped, last] = step(next, {
      type: 'stopRequested',
      at: 5,
      sellPosition: true,
    })
    expect(stopped.status).toBe('stopped')
    expect(last.filter((c) => c.type === 'sellPosition')).toEqual([])
    expect(last.at(-1)).toEqual({
      type: 'stopped',
      reason: 'stopRequested',
      heldQuantity: '0.000009504',
      heldCost: '0.77472057646',
    })
  })

  test('behavior: reconcile after a restart keeps the carried remainder', () => {
    const config: LadderConfig = {
      ...DEFAULT_LADDER_CONFIG,
      orderCount: 1,
      totalAmount: '50.5',
    }
    const events: LadderEvent[] = [
      { type: 'started', at: 0, price: '81450' },
      {
        type: 'orderFilled',
        at: 1,
        clientId: 1024,
        price: '81450',
        quantity: '0.00062',
        fee: '0.000000496',
        feeAsset: 'base',
      },
      { type: 'priceUpdated', at: 2, price: '81653.63' },
      fill(1536, '81653.63', '0.00061', '0.03984697', 3),
      { type: 'priceUpdated', at: 4, price: '81450' },
      { type: 'orderAccepted', at: 5, clientId: 2048, orderId: 'B1' },
    ]
    let state: LadderState = initialState(config, BTC_MARKET)
    for (const event of events) [state] = step(state, event)
    // Saved as JSON; a journal replay of the same events gives the same state.
    const saved = JSON.parse(JSON.stringify(state)) as LadderState
    let replayed: LadderState = initialState(config, BTC_MARKET)
    for (const event of events) [replayed] = step(replayed, event)
    expect(replayed).toEqual(saved)
    expect(saved.position).toMatchObject({
      boughtLots: 0,
      carriedLots: 0,
      carriedFineUnits: 95_040_000,
      carriedCostUnits: 77_472_057_646,
    })
    // While the bot was down, the rung filled (fee in BTC again).
    const [after, commands] = step(saved, {
      type: 'reconciled',
      at: 10,
      openOrders: [],
      fills: [
        {
          clientId: 2048,
          side: 'buy',
          price: '81450',
          quantity: '0.00062',
          fee: '0.000000496',
          feeAsset: 'base',
        },
      ],
    })
    expect(after).toMatchObject({
      status: 'inPosition',
      takeProfitPrice: '81653.63',
      position: { boughtLots: 62, carriedFineUnits: 95_040_000 },
    })
    expect(commands.filter((c) => c.type === 'warning')).toHaveLength(1)
    // The exit sells the cycle's fills and the carried remainder (0.00062).
    const [, exit] = step(after, {
      type: 'priceUpdated',
      at: 11,
      price: '81653.63',
    })
    expect(exit).toMatchObject([{ type: 'sellPosition', quantity: '0.00062' }])
  })

  test('behavior: a state saved before the carried remainder existed reads it as 0', () => {
    const [running] = step(initialState(SMALL, MARKET), started())
    const { carriedLots, carriedFineUnits, carriedCostUnits, ...old } =
      running.position
    const legacy = { ...running, position: old } as LadderState
    const [a, ca] = step(legacy, fill(1024, '100', '0.428'))
    const [b, cb] = step(running, fill(1024, '100', '0.428'))
    expect(ca).toEqual(cb)
    expect(a.status).toBe(b.status)
    const [, exitA] = step(a, price('101', 3))
    const [, exitB] = step(b, price('101', 3))
    expect(exitA).toEqual(exitB)
  })
})

describe('step: fillBooked', () => {
  const booked = (commands: readonly LadderCommand[]) =>
    commands.filter((c) => c.type === 'fillBooked')

  test('behavior: every fill applied is reported once, with the position after it', () => {
    const [s1, placed] = step(initialState(SMALL, MARKET), started('100'))
    const orders = placed.find((c) => c.type === 'placeOrders')?.orders
    expect(orders?.slice(0, 2)).toEqual([
      { clientId: 1024, rung: 0, price: '100', quantity: '0.428' },
      { clientId: 1025, rung: 1, price: '95', quantity: '0.902' },
    ])
    // Rung 0 fills in parts, the first with a fee.
    const partial: LadderEvent = {
      type: 'orderFilled',
      at: 1,
      clientId: 1024,
      price: '100',
      quantity: '0.2',
      fee: '0.02',
      cumulativeQuantity: '0.2',
    }
    const [s2, c2] = step(s1, partial)
    expect(booked(c2)).toEqual([
      {
        type: 'fillBooked',
        cycle: 1,
        clientId: 1024,
        side: 'buy',
        rung: 0,
        price: '100',
        quantity: '0.2',
        fee: '0.02',
        feeAsset: 'quote',
        orderFilled: false,
        adopted: false,
        held: '0.2',
        averageEntry: '100',
        takeProfitPrice: '101',
      },
    ])
    // The same fill again (cumulative already known): nothing booked.
    const [s3, c3] = step(s2, partial)
    expect(booked(c3)).toEqual([])
    // Rung 1 fills 0.3 @ 95: average (20 + 28.5) / 0.5 = 97, target
    // 97 x 1.01 = 97.97, UP to the tick: 98.
    const [, c4] = step(s3, fill(1025, '95', '0.3'))
    expect(booked(c4)).toMatchObject([
      {
        clientId: 1025,
        rung: 1,
        quantity: '0.3',
        orderFilled: false,
        held: '0.5',
        averageEntry: '97',
        takeProfitPrice: '98',
      },
    ])
  })

  test('behavior: the take-profit fill is booked before its cycleCompleted', () => {
    let [state] = step(initialState(SMALL, MARKET), started('100'))
    ;[state] = step(state, fill(1024, '100', '0.428'))
    let commands: readonly LadderCommand[]
    ;[state, commands] = step(state, price('101'))
    expect(commands).toMatchObject([
      { type: 'cancelOrders', clientIds: [1025, 1026] },
      { type: 'sellPosition', clientId: 1536, quantity: '0.428' },
    ])
    for (const id of [1025, 1026])
      [state] = step(state, { type: 'orderCanceled', at: 3, clientId: id })
    ;[, commands] = step(state, fill(1536, '101', '0.428', '0.0432'))
    expect(commands.map((c) => c.type).slice(0, 2)).toEqual([
      'fillBooked',
      'cycleCompleted',
    ])
    expect(booked(commands)).toEqual([
      {
        type: 'fillBooked',
        cycle: 1,
        clientId: 1536,
        side: 'sell',
        rung: -1,
        price: '101',
        quantity: '0.428',
        fee: '0.0432',
        feeAsset: 'quote',
        orderFilled: true,
        adopted: false,
        held: '0',
        averageEntry: '100',
        takeProfitPrice: '101',
      },
    ])
  })

  test('behavior: fills adopted by a reconcile are booked as adopted, fee and average included', () => {
    let [state] = step(initialState(SMALL, MARKET), started('100'))
    ;[state] = step(state, {
      type: 'orderAccepted',
      at: 1,
      clientId: 1024,
      orderId: 'a',
    })
    // Two exchange fills the stream never delivered: 0.2 @ 100 and 0.228 @
    // 99.9 (price improvement). Their average 99.9467... is booked UP to the
    // tick; the average entry keeps 9 decimals (UP).
    const [, commands] = step(state, {
      type: 'reconciled',
      at: 2,
      openOrders: [],
      fills: [
        {
          clientId: 1024,
          side: 'buy',
          price: '100',
          quantity: '0.2',
          fee: '0.01',
        },
        {
          clientId: 1024,
          side: 'buy',
          price: '99.9',
          quantity: '0.228',
          fee: '0.02',
        },
      ],
    })
    expect(booked(commands)).toEqual([
      {
        type: 'fillBooked',
        cycle: 1,
        clientId: 1024,
        side: 'buy',
        rung: 0,
        price: '100',
        quantity: '0.428',
        fee: '0.03',
        feeAsset: 'quote',
        orderFilled: true,
        adopted: true,
        held: '0.428',
        averageEntry: '99.946728972',
        takeProfitPrice: '101',
      },
    ])
  })
})

describe('step: started after a stop', () => {
  const ack = (state: LadderState, ids: number[]) => {
    for (const id of ids)
      [state] = step(state, { type: 'orderCanceled', at: 4, clientId: id })
    return state
  }

  test('behavior: a machine stopped while holding its cycle position resumes it to the take profit', () => {
    let [state] = step(initialState(SMALL, MARKET), started('100'))
    ;[state] = step(state, fill(1024, '100', '0.428'))
    expect(state).toMatchObject({
      status: 'inPosition',
      takeProfitPrice: '101',
    })
    let commands: readonly LadderCommand[]
    ;[state, commands] = step(state, { type: 'stopRequested', at: 3 })
    expect(state).toMatchObject({ status: 'stopped', reason: 'stopRequested' })
    expect(commands.at(-1)).toMatchObject({
      type: 'stopped',
      heldQuantity: '0.428',
    })
    state = ack(state, [1025, 1026])
    ;[state, commands] = step(state, { type: 'started', at: 10, price: '99.5' })
    expect(state).toMatchObject({
      status: 'inPosition',
      cycle: 1,
      takeProfitPrice: '101',
      placedAt: 10,
    })
    expect(commands).toEqual([
      {
        type: 'log',
        message:
          'cycle 1 resumed: 0.428 BTC held at average 100, take profit at 101',
      },
    ])
    // ...and the take profit ends the same cycle with its real profit.
    ;[state, commands] = step(state, price('101', 11))
    const sell = commands.find((c) => c.type === 'sellPosition')
    expect(sell).toMatchObject({ quantity: '0.428', reason: 'takeProfit' })
    ;[, commands] = step(
      state,
      fill(sell?.type === 'sellPosition' ? sell.clientId : 0, '101', '0.428'),
    )
    expect(commands.find((c) => c.type === 'cycleCompleted')).toMatchObject({
      cycle: 1,
      profit: '0.428',
    })
  })

  test('behavior: a resumed limit take profit places its resting sell again', () => {
    const config = { ...SMALL, takeProfitOrder: 'limit' as const }
    let [state] = step(initialState(config, MARKET), started('100'))
    ;[state] = step(state, fill(1024, '100', '0.428'))
    ;[state] = step(state, { type: 'stopRequested', at: 3 })
    state = ack(state, [1025, 1026, 1536])
    const [next, commands] = step(state, { type: 'started', at: 10 })
    expect(next.status).toBe('inPosition')
    expect(commands.find((c) => c.type === 'sellPosition')).toMatchObject({
      clientId: 1537,
      orderType: 'limit',
      price: '101',
      quantity: '0.428',
    })
  })

  test('behavior: a machine stopped with no position of its cycle ignores started', () => {
    let [state] = step(initialState(SMALL, MARKET), started('100'))
    ;[state] = step(state, { type: 'stopRequested', at: 3 })
    const [next, commands] = step(state, { type: 'started', at: 10 })
    expect(next).toBe(state)
    expect(commands).toMatchObject([{ type: 'warning', event: 'started' }])
  })
})

describe('step: ordersCanceled', () => {
  /** A state with live orders: laddering, in position, exiting, or a limit take profit replaced. */
  const stateArb = fc
    .record({
      takeProfitOrder: fc.constantFrom('market' as const, 'limit' as const),
      stopLossPercentage: fc.constantFrom(false as const, '5'),
      fills: fc.integer({ min: 0, max: 3 }),
      // After the fills: nothing, a stop request, a take-profit price, a stop-loss price.
      after: fc.constantFrom('none', 'stop', 'tp', 'sl'),
    })
    .map((o) => {
      const config = {
        ...SMALL,
        takeProfitOrder: o.takeProfitOrder,
        stopLossPercentage: o.stopLossPercentage,
      }
      const events: LadderEvent[] = [started()]
      const fills: [number, string, string][] = [
        [1024, '100', '0.428'],
        [1025, '95', '0.902'],
        [1026, '90', '1.904'],
      ]
      for (const [id, p, q] of fills.slice(0, o.fills))
        events.push(fill(id, p, q))
      if (o.after === 'stop')
        events.push({ type: 'stopRequested', at: 3, sellPosition: true })
      if (o.after === 'tp') events.push(price('120'))
      if (o.after === 'sl') events.push(price('50'))
      let state = initialState(config, MARKET)
      for (const e of events) state = step(state, e)[0]
      return state
    })

  test.prop([
    stateArb,
    // Client ids of the first cycle (some not placed), unknown ids, duplicates.
    fc.array(fc.constantFrom(1024, 1025, 1026, 1536, 1537, 1538, 2048, 77), {
      maxLength: 8,
    }),
  ])(
    'behavior: the same as one orderCanceled per client id, in order',
    (state, clientIds) => {
      const [batched, batchedCommands] = step(state, {
        type: 'ordersCanceled',
        at: 5,
        clientIds,
      })
      let single = state
      const singleCommands: LadderCommand[] = []
      for (const clientId of clientIds) {
        const [next, cmds] = step(single, {
          type: 'orderCanceled',
          at: 5,
          clientId,
        })
        single = next
        singleCommands.push(...cmds)
      }
      expect(batched).toEqual(single)
      const named = (cmds: readonly LadderCommand[]) =>
        cmds.map((c) =>
          c.type === 'warning'
            ? {
                ...c,
                event: 'x',
                message: c.message.replace('ordersCanceled', 'orderCanceled'),
              }
            : c,
        )
      expect(named(batchedCommands)).toEqual(named(singleCommands))
    },
  )

  test('behavior: a no-fill restart is acknowledged in one event, then re-ladders', () => {
    const { state, log } = drive(SMALL, [
      started(),
      { type: 'timerFired', at: 60_000, timer: 'noFill' },
      { type: 'ordersCanceled', at: 60_001, clientIds: [1024, 1025, 1026] },
      price('101', 60_002),
    ])
    expect(log.map((l) => [l.event, l.status])).toEqual([
      ['started', 'laddering'],
      ['timerFired', 'starting'],
      ['ordersCanceled', 'starting'],
      ['priceUpdated', 'laddering'],
    ])
    expect(log[2]?.commands).toEqual([])
    expect(state.cycle).toBe(2)
    expect(state.orders.every((o) => o.status === 'pending')).toBe(true)
  })

  test('error: an unknown client id in the list is warned about, the rest applied', () => {
    const { log } = drive(SMALL, [
      started(),
      { type: 'timerFired', at: 60_000, timer: 'noFill' },
      { type: 'ordersCanceled', at: 60_001, clientIds: [1024, 99] },
    ])
    expect(log[2]?.commands).toEqual([
      {
        type: 'warning',
        message: 'ignored ordersCanceled for unknown client id 99',
        event: 'ordersCanceled',
      },
    ])
  })
})

describe('step: price band', () => {
  const banded = { ...SMALL, minPrice: '92', maxPrice: '110' }

  test('behavior: no cycle starts outside the band; the wait is said once; back inside it ladders', () => {
    const { state, log } = drive(banded, [
      started('120'),
      price('115', 3),
      price('100', 4),
    ])
    expect(
      log.map((l) => [l.status, l.commands.filter((c) => c.type === 'log')]),
    ).toMatchInlineSnapshot(`
      [
        [
          "starting",
          [
            {
              "message": "waiting: price 120 is above maxPrice 110; no new cycle until the price is back inside the band",
              "type": "log",
            },
          ],
        ],
        [
          "starting",
          [],
        ],
        [
          "laddering",
          [
            {
              "message": "price 100 is back inside the band: laddering",
              "type": "log",
            },
            {
              "message": "cycle 1: dropped rung 2: belowMinPrice",
              "type": "log",
            },
          ],
        ],
      ]
    `)
    expect(log[1]?.commands).toEqual([])
    // Rungs below minPrice (rung 2 at 90) are not placed.
    expect(state.orders.map((o) => o.price)).toEqual(['100', '95'])
  })

  test('behavior: a price below minPrice waits too, and a repeated one is a no-op', () => {
    let state = initialState(banded, MARKET)
    ;[state] = step(state, started('91'))
    expect(state).toMatchObject({
      status: 'starting',
      waitingOutsideBand: true,
    })
    expect(advance(state, price('50'))).toBeNull()
    expect(JSON.parse(JSON.stringify(state))).toEqual(state)
  })
})
