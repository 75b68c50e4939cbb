/**
 * Issue 17: the exit's cancels of resting buy rungs and its market sell are
 * in flight together; a cancel of a sell never is with a market sell; the
 * answers come back in command order whatever order they arrive in.
 */
import {
  initialState,
  type LadderCommand,
  type LadderEvent,
  type LadderState,
  step,
  validateConfig,
} from '@rung/ladder-strategy'
import { describe, expect, test, vi } from 'vitest'
import {
  apiError,
  live,
  market,
  now,
  order,
  stubClient,
} from '../../../test/exchangeStub.js'
import { groupCommands } from './liveExecutor.js'

const CONFIG = { orderCount: 3, takeProfitPercentage: 0.3 }

const isIo = (c: LadderCommand) =>
  c.type === 'cancelOrders' ||
  c.type === 'sellPosition' ||
  c.type === 'placeOrders'

const accepted = (state: LadderState): LadderEvent[] =>
  state.orders
    .filter((o) => o.status === 'pending')
    .map((o) => ({
      type: 'orderAccepted',
      at: now(),
      clientId: o.clientId,
      orderId: `o${o.clientId}`,
    }))

/**
 * Through the machine: a ladder of 3 rungs, every order accepted, the top
 * rung filled (and, in limit mode, its resting take-profit sell accepted).
 */
function inPosition(config: Record<string, unknown>): LadderState {
  let state = initialState(validateConfig(config).config, market)
  const run = (events: readonly LadderEvent[]) => {
    for (const event of events) [state] = step(state, event)
  }
  run([{ type: 'started', at: now(), price: '60000' }])
  run(accepted(state))
  const top = state.orders[0]
  if (top === undefined) throw new Error('no rung')
  run([
    {
      type: 'orderFilled',
      at: now(),
      clientId: top.clientId,
      price: top.price,
      quantity: top.quantity,
      fee: '0',
      cumulativeQuantity: top.quantity,
    },
  ])
  run(accepted(state))
  if (state.status !== 'inPosition') throw new Error(state.status)
  return state
}

/** The machine's own step output at `price`: its state and I/O commands. */
function exitAt(held: LadderState, price: string) {
  const [state, commands] = step(held, {
    type: 'priceUpdated',
    at: now(),
    price,
  })
  return { state, io: commands.filter(isIo) }
}

/** The machine's take-profit exit: [cancel the 2 resting rungs, sell at market]. */
const takeProfitExit = () => exitAt(inPosition(CONFIG), '70000')

/**
 * A stub client whose cancels and orders each answer after `delay(call)` ms,
 * noting when each request starts and ends, and how many overlap.
 */
function recordingClient(delay: (what: string) => number) {
  const log: string[] = []
  let inFlight = 0
  let maxInFlight = 0
  const answer = async <T>(what: string, value: T): Promise<T> => {
    log.push(`start ${what}`)
    inFlight += 1
    maxInFlight = Math.max(maxInFlight, inFlight)
    await new Promise((r) => setTimeout(r, delay(what)))
    inFlight -= 1
    log.push(`end ${what}`)
    return value
  }
  const client = stubClient({
    cancelOrder: vi.fn((p: { clientId: number }) =>
      answer(`cancel ${p.clientId}`, order(p.clientId)),
    ),
    executeOrder: vi.fn(
      (p: { clientId: number; side: string; orderType: string }) =>
        answer(`${p.side} ${p.orderType} ${p.clientId}`, order(p.clientId)),
    ),
  })
  return { client, log, maxInFlight: () => maxInFlight }
}

describe('live executor: concurrent exit (issue 17)', () => {
  test('behavior: the exit cancels its resting buy rungs and sells at market with all three requests in flight at once, the sell started first', async () => {
    // Built by the machine itself: a take profit crossed with two rungs open.
    const { state, io } = takeProfitExit()
    expect(io.map((c) => c.type)).toEqual(['cancelOrders', 'sellPosition'])
    const cancel = io[0] as Extract<LadderCommand, { type: 'cancelOrders' }>
    const sell = io[1] as Extract<LadderCommand, { type: 'sellPosition' }>
    expect(cancel.clientIds).toHaveLength(2)
    // The sell answers first, the cancels in reverse order.
    const { client, log, maxInFlight } = recordingClient((what) =>
      what.startsWith('Ask') ? 1 : what.endsWith(String(1025)) ? 30 : 15,
    )
    const result = await live(client).run(io, state)
    expect(maxInFlight()).toBe(3)
    expect(log.slice(0, 3).every((l) => l.startsWith('start'))).toBe(true)
    // The sell, what the latency is about, leaves first.
    expect(log[0]).toBe(`start Ask Market ${sell.clientId}`)
    expect(log.indexOf(`end Ask Market ${sell.clientId}`)).toBeLessThan(
      log.indexOf(`end cancel ${cancel.clientIds[0]}`),
    )
    // The answers come back in command order, not in arrival order.
    expect(result).toEqual({
      events: [
        ...(cancel.clientIds as number[]).map((clientId) => ({
          type: 'orderCanceled',
          at: now(),
          clientId,
        })),
        {
          type: 'orderAccepted',
          at: now(),
          clientId: sell.clientId,
          orderId: `o${sell.clientId}`,
        },
      ],
      reconcile: false,
    })
  })

  test('behavior: the market sell is handed over a turn before the cancels are built, so it is written to its socket first', async () => {
    const { state, io } = takeProfitExit()
    const log: string[] = []
    const client = stubClient({
      cancelOrder: vi.fn(async (p: { clientId: number }) => {
        log.push(`cancel ${p.clientId}`)
        return order(p.clientId)
      }),
      executeOrder: vi.fn(async (p: { clientId: number }) => {
        log.push('sell')
        // node:http writes a request on the next tick, as this stands for.
        process.nextTick(() => log.push('sell written'))
        await new Promise((r) => setTimeout(r, 5))
        return order(p.clientId)
      }),
    })
    await live(client).run(io, state)
    const cancel = io[0] as Extract<LadderCommand, { type: 'cancelOrders' }>
    expect(log).toEqual([
      'sell',
      'sell written',
      ...(cancel.clientIds as number[]).map((id) => `cancel ${id}`),
    ])
  })

  test("behavior: a stop loss's cancel of the resting take-profit sell is answered before any market sell starts", async () => {
    const config = {
      ...CONFIG,
      takeProfitOrder: 'limit',
      stopLossPercentage: '5',
    }
    const held = inPosition(config)
    const restingSell = held.orders.find(
      (o) => o.side === 'sell' && o.status === 'open',
    )
    expect(restingSell).toBeDefined()
    const { state: exiting, io: cancels } = exitAt(held, '50000')
    expect(exiting.status).toBe('exiting')
    // The machine waits for the sell's cancel: no market sell in this output.
    expect(cancels.map((c) => c.type)).toEqual(['cancelOrders'])
    expect((cancels[0] as { clientIds: number[] }).clientIds).toContain(
      restingSell?.clientId,
    )
    // Even handed a market sell in the same batch, the executor sends it
    // only once the sell's cancel (and those beside it) are answered.
    const marketSell: LadderCommand = {
      type: 'sellPosition',
      symbol: market.symbol,
      clientId: 1600,
      orderType: 'market',
      quantity: restingSell?.quantity ?? '0',
      price: '50000',
      reason: 'stopLoss',
    }
    const { client, log } = recordingClient((what) =>
      what.startsWith('cancel') ? 10 : 1,
    )
    const result = await live(client).run([...cancels, marketSell], exiting)
    const sellStart = log.indexOf('start Ask Market 1600')
    expect(sellStart).toBeGreaterThan(
      log.indexOf(`end cancel ${restingSell?.clientId}`),
    )
    for (const l of log.slice(sellStart + 1))
      expect(l.startsWith('start')).toBe(false)
    expect(result.events.map((e) => e.type)).toEqual([
      ...(cancels[0] as { clientIds: number[] }).clientIds.map(
        () => 'orderCanceled',
      ),
      'orderAccepted',
    ])
  })

  test('behavior: a cancel without an answer still keeps the answers of the requests beside it, in command order, and asks for a reconcile', async () => {
    const { state, io } = takeProfitExit()
    const cancel = io[0] as Extract<LadderCommand, { type: 'cancelOrders' }>
    const sell = io[1] as Extract<LadderCommand, { type: 'sellPosition' }>
    const [first, second] = cancel.clientIds as number[]
    const client = stubClient({
      cancelOrder: vi.fn(async (p: { clientId: number }) => {
        if (p.clientId === first) throw apiError(503, 'SERVICE_UNAVAILABLE')
        return order(p.clientId)
      }),
    })
    const result = await live(client).run(io, state)
    expect(result).toEqual({
      events: [
        { type: 'orderCanceled', at: now(), clientId: second },
        {
          type: 'orderAccepted',
          at: now(),
          clientId: sell.clientId,
          orderId: `o${sell.clientId}`,
        },
      ],
      reconcile: true,
    })
  })

  test('args: groupCommands puts buy cancels with market sells, and keeps sell cancels, ladders and limit sells apart from market sells', () => {
    const { state, io } = takeProfitExit()
    const [cancelBuys, sell] = io as [LadderCommand, LadderCommand]
    const sellId = (sell as { clientId: number }).clientId
    // The sell's own record (pending) is a sell: canceling it is a sell cancel.
    const cancelSell: LadderCommand = {
      type: 'cancelOrders',
      symbol: market.symbol,
      clientIds: [sellId],
    }
    const unknown: LadderCommand = {
      type: 'cancelOrders',
      symbol: market.symbol,
      clientIds: [99],
    }
    const limitSell: LadderCommand = {
      ...(sell as Extract<LadderCommand, { type: 'sellPosition' }>),
      orderType: 'limit',
    }
    const all: LadderCommand = {
      type: 'cancelOrders',
      symbol: market.symbol,
      clientIds: 'all',
    }
    expect(groupCommands([cancelBuys, sell], state)).toEqual([
      [cancelBuys, sell],
    ])
    expect(groupCommands([cancelSell, sell], state)).toEqual([
      [cancelSell],
      [sell],
    ])
    expect(groupCommands([sell, cancelSell], state)).toEqual([
      [sell],
      [cancelSell],
    ])
    expect(groupCommands([cancelBuys, unknown, sell], state)).toEqual([
      [cancelBuys, unknown],
      [sell],
    ])
    expect(groupCommands([cancelBuys, limitSell], state)).toEqual([
      [cancelBuys],
      [limitSell],
    ])
    expect(groupCommands([all, cancelBuys, sell], state)).toEqual([
      [all],
      [cancelBuys, sell],
    ])
    expect(groupCommands([], state)).toEqual([])
  })
})
