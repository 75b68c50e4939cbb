import { describe, expect, test } from 'vitest'
import { MARKET } from '../../test/fixtures.js'
import { DEFAULT_LADDER_CONFIG, validateConfig } from '../config.js'
import type { LadderConfig, LadderState } from '../types.js'
import type { LadderCommand } from './commands.js'
import type { LadderEvent } from './events.js'
import { initialState } from './state.js'
import { step } from './step.js'

/** Two rungs 100 x 1.000 and 90 x 2.222; steps: half at +1 %, 30 % at +2 %, the rest at +3 %. */
const STEPS: LadderConfig = {
  ...DEFAULT_LADDER_CONFIG,
  orderCount: 2,
  maxDropPercentage: '10',
  totalAmount: '300',
  incrementPercentage: '100',
  takeProfitSteps: [
    { share: '0.5', profitPercent: '1' },
    { share: '0.3', profitPercent: '2' },
    { share: '0.2', profitPercent: '3' },
  ],
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
const price = (p: string, at = 2) =>
  ({ type: 'priceUpdated', at, price: p }) as const
const sells = (cmds: readonly LadderCommand[]) =>
  cmds.flatMap((c) =>
    c.type === 'sellPosition'
      ? [[c.clientId, c.orderType, c.quantity, c.price, c.step]]
      : [],
  )

describe('takeProfitSteps (market mode)', () => {
  test('behavior: each step sells its share at its target; the last one ends the cycle', () => {
    const { state, all } = run(STEPS, [
      { type: 'started', at: 0, price: '100' },
      fill(1024, '100', '1'),
      price('100.9'), // below step 1's target 101: nothing
      price('101'), // step 1: half at market, rung 1 canceled
      fill(1536, '101', '0.5'),
      { type: 'orderCanceled', at: 3, clientId: 1025 },
      price('103.5'), // steps 2 and 3 at once
      fill(1537, '102', '0.3'),
      fill(1538, '103', '0.2'),
    ])
    expect(all[2]).toEqual([])
    expect(all[3]).toMatchInlineSnapshot(`
      [
        {
          "clientIds": [
            1025,
          ],
          "symbol": "BTC_USDC",
          "type": "cancelOrders",
        },
        {
          "message": "take-profit step 1 of 3 reached at 101: selling 0.5 at 101",
          "type": "log",
        },
        {
          "clientId": 1536,
          "orderType": "market",
          "price": "101",
          "quantity": "0.5",
          "reason": "takeProfit",
          "step": 0,
          "symbol": "BTC_USDC",
          "type": "sellPosition",
        },
      ]
    `)
    // The step's fill is booked; the machine waits for the next target.
    expect(all[4]?.map((c) => c.type)).toEqual(['fillBooked'])
    expect(all[4]?.[0]).toMatchObject({ step: 0, takeProfitPrice: '102' })
    expect(sells(all[6] ?? [])).toEqual([
      [1537, 'market', '0.3', '102', 1],
      [1538, 'market', '0.2', '103', 2],
    ])
    // 0.5 x 101 + 0.3 x 102 + 0.2 x 103 - 100 = 1.7
    expect(all[8]?.find((c) => c.type === 'cycleCompleted')).toMatchObject({
      profit: '1.7',
      reason: 'takeProfit',
    })
    expect(state.status).toBe('starting')
  })

  test('behavior: the rest keeps its average cost; the band follows the next step', () => {
    const { state } = run(STEPS, [
      { type: 'started', at: 0, price: '100' },
      fill(1024, '100', '1'),
      price('101'),
      fill(1536, '101', '0.5'),
    ])
    expect(state).toMatchObject({
      status: 'inPosition',
      takeProfitStep: 1,
      stepBaseLots: 1000,
      takeProfitPrice: '102',
    })
  })

  test('behavior: trailing applies to the last step only', () => {
    const { state, all } = run(
      { ...STEPS, trailingTakeProfitPercentage: '1' },
      [
        { type: 'started', at: 0, price: '100' },
        fill(1024, '100', '1'),
        price('102.5'), // steps 1 and 2 (market), not the last
        price('105'), // last step reached: trailing, stop at 103.9
        price('103.9'), // trailing stop: the rest at market
      ],
    )
    expect(sells(all[2] ?? [])).toEqual([
      [1536, 'market', '0.5', '101', 0],
      [1537, 'market', '0.3', '102', 1],
    ])
    expect(sells(all[3] ?? [])).toEqual([])
    expect(sells(all[4] ?? [])).toEqual([[1538, 'market', '0.2', '103.9', 2]])
    expect(state).toMatchObject({
      status: 'exiting',
      reason: 'trailingTakeProfit',
    })
  })
})

describe('takeProfitSteps (limit mode)', () => {
  const LIMIT: LadderConfig = { ...STEPS, takeProfitOrder: 'limit' }

  test('behavior: one resting sell per step, re-placed when a buy moves the targets', () => {
    const { all } = run(LIMIT, [
      { type: 'started', at: 0, price: '100' },
      fill(1024, '100', '1'),
      fill(1025, '90', '2.222'),
      { type: 'ordersCanceled', at: 2, clientIds: [1536, 1537, 1538] },
    ])
    expect(sells(all[1] ?? [])).toEqual([
      [1536, 'limit', '0.5', '101', 0],
      [1537, 'limit', '0.3', '102', 1],
      [1538, 'limit', '0.2', '103', 2],
    ])
    // Average (100 + 199.98) / 3.222 = 93.10...: every target moves; the
    // new sells wait for the cancels' acknowledgement.
    expect(all[2]?.filter((c) => c.type !== 'fillBooked')).toEqual([
      {
        type: 'cancelOrders',
        symbol: 'BTC_USDC',
        clientIds: [1536, 1537, 1538],
      },
    ])
    // 0.5 x 3.222 = 1.611; floor(0.8 x 3222) = 2577 -> 0.966; the rest 0.645.
    expect(sells(all[3] ?? [])).toMatchInlineSnapshot(`
      [
        [
          1539,
          "limit",
          "1.611",
          "94.1",
          0,
        ],
        [
          1540,
          "limit",
          "0.966",
          "95",
          1,
        ],
        [
          1541,
          "limit",
          "0.645",
          "95.9",
          2,
        ],
      ]
    `)
  })

  test('behavior: the first step sold cancels the rungs; the last one ends the cycle', () => {
    const { state, all } = run(LIMIT, [
      { type: 'started', at: 0, price: '100' },
      fill(1024, '100', '1'),
      fill(1536, '101', '0.2'), // part of step 1
      fill(1536, '101', '0.3'), // step 1 done
      fill(1537, '102', '0.3'),
      fill(1538, '103', '0.2'),
      { type: 'orderCanceled', at: 3, clientId: 1025 },
    ])
    expect(all[2]?.filter((c) => c.type !== 'fillBooked')).toEqual([
      { type: 'cancelOrders', symbol: 'BTC_USDC', clientIds: [1025] },
    ])
    expect(all[3]?.filter((c) => c.type === 'log')).toEqual([
      {
        type: 'log',
        message: 'take-profit step 1 of 3 sold; next target 102',
      },
    ])
    expect(sells(all.flat())).toHaveLength(3) // nothing re-placed
    // Sold out: the exit waits for the rung's cancel, then completes.
    expect(all[5]?.find((c) => c.type === 'cycleCompleted')).toBeUndefined()
    expect(all[6]?.find((c) => c.type === 'cycleCompleted')).toMatchObject({
      profit: '1.7',
    })
    expect(state.status).toBe('starting')
  })
})

describe('takeProfitSteps across a stop and resume', () => {
  // Step 1 sold (0.5 of 1 at 101), then a stop that keeps the position.
  const stoppedAfterStep1 = (config: LadderConfig) =>
    run(config, [
      { type: 'started', at: 0, price: '100' },
      fill(1024, '100', '1'),
      ...(config.takeProfitOrder === 'limit'
        ? [fill(1536, '101', '0.5')]
        : [price('101'), fill(1536, '101', '0.5')]),
      { type: 'orderCanceled', at: 3, clientId: 1025 },
      { type: 'stopRequested', at: 4 },
    ])

  test('behavior: the stopped state keeps the steps sold and their base', () => {
    const { state } = stoppedAfterStep1(STEPS)
    expect(state).toMatchObject({
      status: 'stopped',
      reason: 'stopRequested',
      takeProfitStep: 1,
      stepBaseLots: 1000,
    })
  })

  test('behavior: market mode resumes at the next step, not the first', () => {
    const stopped = stoppedAfterStep1(STEPS).state
    let state = stopped
    const out: LadderCommand[][] = []
    for (const e of [
      { type: 'started', at: 5 },
      price('101.5', 6), // above step 1's target, below step 2's: nothing
      price('102', 7), // step 2: 0.3 at market
    ] as LadderEvent[]) {
      const [next, cmds] = step(state, e)
      state = next
      out.push([...cmds])
    }
    expect(out[0]?.find((c) => c.type === 'log')).toEqual({
      type: 'log',
      message:
        'cycle 1 resumed: 0.5 BTC held at average 100, take profit at 102',
    })
    expect(sells(out[1] ?? [])).toEqual([])
    expect(sells(out[2] ?? [])).toEqual([[1537, 'market', '0.3', '102', 1]])
    expect(state).toMatchObject({
      status: 'inPosition',
      takeProfitStep: 2,
      stepBaseLots: 1000,
      takeProfitPrice: '103',
    })
  })

  test('behavior: limit mode places the sells of the steps left again', () => {
    const limit: LadderConfig = { ...STEPS, takeProfitOrder: 'limit' }
    const { state: stopped, all } = stoppedAfterStep1(limit)
    // The stop canceled the two resting sells of steps 2 and 3.
    expect(all[4]).toContainEqual({
      type: 'cancelOrders',
      symbol: 'BTC_USDC',
      clientIds: [1537, 1538],
    })
    let state = stopped
    for (const e of [
      { type: 'ordersCanceled', at: 5, clientIds: [1537, 1538] },
    ] as LadderEvent[])
      state = step(state, e)[0]
    const [resumed, cmds] = step(state, { type: 'started', at: 6 })
    expect(sells(cmds)).toEqual([
      [1539, 'limit', '0.3', '102', 1],
      [1540, 'limit', '0.2', '103', 2],
    ])
    expect(resumed).toMatchObject({
      status: 'inPosition',
      takeProfitStep: 1,
      takeProfitPrice: '102',
    })
  })
})

describe('validateConfig (takeProfitSteps)', () => {
  test('args: up to four { share, profitPercent }, numbers or strings', () => {
    expect(validateConfig({}).config).not.toHaveProperty('takeProfitSteps')
    expect(
      validateConfig({
        strategy: {
          takeProfitSteps: [
            { share: 0.5, profitPercent: 1 },
            { share: '0.50', profitPercent: '2.5' },
          ],
        },
      }).config.takeProfitSteps,
    ).toEqual([
      { share: '0.5', profitPercent: '1' },
      { share: '0.5', profitPercent: '2.5' },
    ])
    expect(
      validateConfig({ strategy: { takeProfitSteps: false } }).config
        .takeProfitSteps,
    ).toBe(false)
  })
  test('error: shares that do not add up to 1, profits out of order, bad fields', () => {
    const bad = (takeProfitSteps: unknown) => () =>
      validateConfig({ strategy: { takeProfitSteps } })
    expect(
      bad([
        { share: '0.5', profitPercent: '1' },
        { share: '0.4', profitPercent: '2' },
      ]),
    ).toThrowErrorMatchingInlineSnapshot(`
      [LadderConfigError: The ladder config has 1 invalid field.
      - strategy.takeProfitSteps: the shares must add up to exactly 1 (they add up to 0.9): adjust the shares, got [{"share":"0.5","profitPercent":"1"},{"share":"0.4","profitPercent":"2"}]]
    `)
    expect(
      bad([
        { share: '0.5', profitPercent: '2' },
        { share: '0.5', profitPercent: '2' },
      ]),
    ).toThrowErrorMatchingInlineSnapshot(`
      [LadderConfigError: The ladder config has 1 invalid field.
      - strategy.takeProfitSteps[1].profitPercent: must be above the previous step's (2): list the steps by increasing profit, got "2"]
    `)
    expect(
      bad([{ share: 0, profitPercent: '1', sharePercent: 5 }]),
    ).toThrowErrorMatchingInlineSnapshot(`
      [LadderConfigError: The ladder config has 2 invalid fields.
      - strategy.takeProfitSteps[0].sharePercent: is not a step field: use share and profitPercent, got 5
      - strategy.takeProfitSteps[0].share: must be a fraction of the position > 0 and <= 1, e.g. "0.5" for half, got 0]
    `)
    expect(bad([])).toThrowErrorMatchingInlineSnapshot(`
      [LadderConfigError: The ladder config has 1 invalid field.
      - strategy.takeProfitSteps: must be a list of 1 to 4 steps like [{ "share": "0.5", "profitPercent": "1" }, { "share": "0.5", "profitPercent": "2" }], or false for the single take profit, got []]
    `)
  })
})
