import {
  initialState,
  type LadderState,
  step,
  validateConfig,
} from '@rung/ladder-strategy'
import { describe, expect, test } from 'vitest'
import { renderStatus } from '../ui/statusView.js'
import { summarizeState } from './summary.js'

const market = {
  symbol: 'BTC_USDC',
  tickSize: '0.1',
  stepSize: '0.00001',
  minQuantity: '0.00001',
}
const base = initialState(validateConfig({}).config, market)
const withPosition = (
  position: Partial<LadderState['position']>,
): LadderState => ({ ...base, position: { ...base.position, ...position } })

describe('summarizeState', () => {
  test('default: nothing held', () => {
    expect(summarizeState(base, '0', undefined)).toMatchObject({
      symbol: 'BTC_USDC',
      position: '0',
      carried: '0',
      averageEntry: undefined,
      tickSize: '0.1',
      stepSize: '0.00001',
    })
  })

  test('behavior: the position is exact: fills, less base-asset fees, plus the carried-in remainder', () => {
    // Two fills of 0.00030 BTC at 65000.0 and 64000.1 (in tick-lots), a
    // base fee of 0.0000006 BTC (base-fee units are 10^-13 here), and
    // 0.00000703 BTC carried in from the previous cycle.
    const state = withPosition({
      boughtLots: 60,
      costTickLots: 30 * 650000 + 30 * 640001,
      baseFeeUnits: 6_000_000,
      carriedLots: 0,
      carriedFineUnits: 70_300_000,
    })
    const summary = summarizeState(state, '0.41', '65049.8')
    expect(summary.position).toBe('0.00060643')
    expect(summary.carried).toBe('0.00000703')
    // This cycle's fills only: (65000 + 64000.1) / 2.
    expect(summary.averageEntry).toBe('64500.05')
  })

  test('behavior: a sell that took more than the fills leaves nothing (never negative)', () => {
    const state = withPosition({
      boughtLots: 10,
      costTickLots: 10 * 650000,
      soldLots: 10,
      baseFeeUnits: 1_000_000,
    })
    expect(summarizeState(state, '0', undefined).position).toBe('0')
  })

  test('behavior: the view shows the carried-in part beside the position', () => {
    const state = withPosition({
      boughtLots: 64,
      costTickLots: 64 * 631286,
      carriedFineUnits: 58_300_000,
    })
    const lines = renderStatus(
      {
        ...summarizeState(state, '4.7', '62780'),
        mode: 'paper',
        connection: 'open',
        events: [],
      },
      100,
    )
    expect(lines[1]).toBe('price 62780.0   avg entry 63128.6   take profit -')
    expect(lines[2]).toBe(
      'rungs 0/0   position 0.00064583 (0.00000583 carried in)   cycles 0',
    )
  })

  test('behavior: the view shows the price band, and says when the bot waits outside it', () => {
    const banded = initialState(
      validateConfig({ strategy: { maxPrice: '50000' } }).config,
      market,
    )
    const [waiting] = step(banded, { type: 'started', at: 0, price: '60000' })
    const summary = summarizeState(waiting, '0', '60000')
    expect(summary).toMatchObject({
      statusText: 'waiting: price outside the band',
      priceBand: '- .. 50000',
    })
    const lines = renderStatus({
      ...summary,
      mode: 'paper',
      connection: 'open',
      events: [],
    })
    expect(lines[0]).toContain('status waiting: price outside the band')
    expect(lines[1]).toContain('band - .. 50000')
    expect(summarizeState(base, '0', undefined)).not.toHaveProperty('priceBand')
  })
})

describe('summarizeState (model v2 options)', () => {
  const tick = {
    symbol: 'BTC_USDC',
    tickSize: '1',
    stepSize: '0.001',
    minQuantity: '0.001',
  }
  test('behavior: rolling rungs show K of n resting, and the queued rungs count in the ladder', () => {
    const { config } = validateConfig({
      trading: { orderCount: 4, totalAmount: 400, incrementPercentage: 0 },
      strategy: { activeOrderCount: 2 },
    })
    let [state] = step(initialState(config, tick), {
      type: 'started',
      at: 0,
      price: '100',
    })
    expect(summarizeState(state, '0', '100')).toMatchObject({
      rungsFilled: 0,
      rungsTotal: 4,
      rollingRungs: '2 of 4 resting',
    })
    ;[state] = step(state, {
      type: 'orderFilled',
      at: 1,
      clientId: 1024,
      price: '100',
      quantity: '1',
      fee: '0',
    })
    const summary = summarizeState(state, '0', '100')
    expect(summary).toMatchObject({
      rungsFilled: 1,
      rungsTotal: 4,
      rollingRungs: '2 of 4 resting',
    })
    expect(
      renderStatus({
        ...summary,
        mode: 'paper',
        connection: 'open',
        events: [],
      })[2],
    ).toBe('rungs 1/4 (2 of 4 resting)   position 1.000   cycles 0')
  })

  test('behavior: the take-profit steps say which sold and which is next', () => {
    const { config } = validateConfig({
      trading: { orderCount: 1, totalAmount: 100, maxDropPercentage: 0 },
      strategy: {
        takeProfitSteps: [
          { share: '0.5', profitPercent: '1' },
          { share: '0.5', profitPercent: '3' },
        ],
      },
    })
    let [state] = step(initialState(config, tick), {
      type: 'started',
      at: 0,
      price: '100',
    })
    ;[state] = step(state, {
      type: 'orderFilled',
      at: 1,
      clientId: 1024,
      price: '100',
      quantity: '1',
      fee: '0',
    })
    expect(summarizeState(state, '0', '100').takeProfitSteps).toBe(
      '+1% x0.5 next at 101, +3% x0.5',
    )
    ;[state] = step(state, { type: 'priceUpdated', at: 2, price: '101' })
    const summary = summarizeState(state, '0', '101')
    expect(summary.takeProfitSteps).toBe('+1% x0.5 sold, +3% x0.5 next at 103')
    expect(
      renderStatus({
        ...summary,
        mode: 'paper',
        connection: 'open',
        events: [],
      })[3],
    ).toBe('take-profit steps +1% x0.5 sold, +3% x0.5 next at 103')
    expect(summarizeState(base, '0', undefined)).not.toHaveProperty(
      'takeProfitSteps',
    )
  })
})
