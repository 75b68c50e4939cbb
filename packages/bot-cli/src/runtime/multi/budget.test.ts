import { compareDecimals } from '@rung/backpack-sdk'
import {
  initialState,
  type LadderCommand,
  type LadderEvent,
  type LadderState,
  step,
  validateConfig,
} from '@rung/ladder-strategy'
import { describe, expect, test } from 'vitest'
import { createRedactor } from '../../redact.js'
import { createLogger } from '../../ui/logger.js'
import type { Executor } from '../ports.js'
import { committedQuote, createBudget } from './budget.js'

const logger = createLogger({
  format: 'plain',
  write: false,
  dir: false,
  redactor: createRedactor(),
})

const market = (symbol: string) => ({
  symbol,
  tickSize: '0.01',
  stepSize: '0.01',
  minQuantity: '0.01',
})

/** A ladder of `totalAmount` on `symbol`, started at `price`: its state and the commands of its start. */
function ladder(symbol: string, totalAmount: string, price = '100') {
  const { config } = validateConfig({
    symbol,
    totalAmount,
    orderCount: 4,
    minOrderAmount: '1',
    autoRestartNoFill: false,
  })
  let state = initialState(config, market(symbol))
  const commands: LadderCommand[] = []
  let out: readonly LadderCommand[]
  ;[state, out] = step(state, { type: 'started', at: 0, price })
  commands.push(...out)
  if (out.some((c) => c.type === 'cancelOrders')) {
    ;[state, out] = step(state, {
      type: 'ordersCanceled',
      at: 1,
      clientIds: [],
    })
    commands.push(...out)
  }
  return { state, commands }
}

/** An executor that accepts every order it is given and records them. */
function recordingExecutor() {
  const sent: number[] = []
  const executor = {
    async run(commands: readonly LadderCommand[]) {
      const events: LadderEvent[] = []
      for (const c of commands)
        if (c.type === 'placeOrders')
          for (const o of c.orders) {
            sent.push(o.clientId)
            events.push({
              type: 'orderAccepted',
              at: 2,
              clientId: o.clientId,
              orderId: String(o.clientId),
            })
          }
      return { events, reconcile: false }
    },
  } as unknown as Executor
  return { executor, sent }
}

const placed = (commands: readonly LadderCommand[]) =>
  commands.flatMap((c) => (c.type === 'placeOrders' ? c.orders : []))

describe('committedQuote', () => {
  test('behavior: counts every bid of the cycle at its limit price, unchanged by a fill', () => {
    const { state, commands } = ladder('SOL_USDC', '400')
    const bids = placed(commands)
    expect(bids).toHaveLength(4)
    const total = committedQuote(state)
    // The ladder never commits more than its budget.
    expect(compareDecimals(total, '400')).toBeLessThanOrEqual(0)
    expect(compareDecimals(total, '390')).toBeGreaterThan(0)
    const first = bids[0]
    if (first === undefined) throw new Error('no bid')
    let s: LadderState = state
    ;[s] = step(s, {
      type: 'orderAccepted',
      at: 2,
      clientId: first.clientId,
      orderId: 'x',
    })
    ;[s] = step(s, {
      type: 'orderFilled',
      at: 3,
      clientId: first.clientId,
      price: first.price,
      quantity: first.quantity,
      fee: '0',
    })
    expect(s.position.fills).toBe(1)
    expect(committedQuote(s)).toBe(total)
  })
})

describe('createBudget', () => {
  test('behavior: bids past maxTotalAmount are not sent but rejected; the rest go through', async () => {
    const budget = createBudget('500', () => 9)
    const sol = ladder('SOL_USDC', '400')
    const eth = ladder('ETH_USDC', '400')
    budget.register('SOL_USDC', () => sol.state)
    budget.register('ETH_USDC', () => undefined)
    const solExec = recordingExecutor()
    const guardedSol = budget.guard('SOL_USDC', solExec.executor, logger)
    const solResult = await guardedSol.run(sol.commands, sol.state)
    // SOL alone fits the cap: all four bids sent.
    expect(solExec.sent).toHaveLength(4)
    expect(solResult.events.every((e) => e.type === 'orderAccepted')).toBe(true)

    // ETH's ladder sees SOL's committed quote: only what fits is sent.
    budget.register('ETH_USDC', () => eth.state)
    const ethExec = recordingExecutor()
    const result = await budget
      .guard('ETH_USDC', ethExec.executor, logger)
      .run(eth.commands, eth.state)
    const rejected = result.events.filter((e) => e.type === 'orderRejected')
    expect(rejected.length).toBeGreaterThan(0)
    expect(ethExec.sent.length + rejected.length).toBe(4)
    // The bids sent, with SOL's, stay within the cap.
    let next = eth.state
    for (const e of result.events) [next] = step(next, e)
    budget.register('ETH_USDC', () => next)
    const { total, bySymbol } = budget.committed()
    expect(bySymbol.SOL_USDC).toBe(committedQuote(sol.state))
    expect(compareDecimals(total, '500')).toBeLessThanOrEqual(0)
    expect(rejected[0]).toMatchObject({
      type: 'orderRejected',
      at: 9,
      reason: expect.stringContaining('over maxTotalAmount 500'),
    })
    // The strategy drops the rejected rungs and keeps the others.
    expect(next.orders.filter((o) => o.status === 'rejected')).toHaveLength(
      rejected.length,
    )
  })

  test('behavior: a batch without bids (a take profit: cancels and a sell) goes through as it is, without reading the other ladders', async () => {
    const budget = createBudget('500', () => 9)
    const sol = ladder('SOL_USDC', '400')
    let reads = 0
    budget.register('SOL_USDC', () => sol.state)
    budget.register('ETH_USDC', () => {
      reads += 1
      return ladder('ETH_USDC', '400').state
    })
    const exit: LadderCommand[] = [
      {
        type: 'cancelOrders',
        symbol: 'SOL_USDC',
        clientIds: [placed(sol.commands)[1]?.clientId ?? 0],
      },
      {
        type: 'sellPosition',
        symbol: 'SOL_USDC',
        clientId: 9,
        orderType: 'market',
        quantity: '1',
        price: '101',
        reason: 'takeProfit',
      },
    ]
    const seen: (readonly LadderCommand[])[] = []
    const executor = {
      async run(commands: readonly LadderCommand[]) {
        seen.push(commands)
        return { events: [], reconcile: false }
      },
    } as unknown as Executor
    const result = await budget
      .guard('SOL_USDC', executor, logger)
      .run(exit, sol.state)
    expect(seen).toEqual([exit])
    expect(result.events).toEqual([])
    expect(reads).toBe(0)
    // A batch with bids reads them.
    await budget
      .guard('SOL_USDC', executor, logger)
      .run(sol.commands, sol.state)
    expect(reads).toBe(1)
  })

  test('default: no cap sends everything', async () => {
    const budget = createBudget(undefined, () => 0)
    const a = ladder('SOL_USDC', '400')
    const b = ladder('ETH_USDC', '400')
    budget.register('SOL_USDC', () => a.state)
    budget.register('ETH_USDC', () => b.state)
    const exec = recordingExecutor()
    await budget
      .guard('ETH_USDC', exec.executor, logger)
      .run(b.commands, b.state)
    expect(exec.sent).toHaveLength(4)
    expect(budget.committed().bySymbol.SOL_USDC).toBe(committedQuote(a.state))
  })
})
