import { describe, expect, test, vi } from 'vitest'
import {
  createStatusView,
  describeStatus,
  formatMoney,
  formatStatusNumbers,
  renderStatus,
  type StatusSnapshot,
  statusWords,
} from './statusView.js'

const snapshot: StatusSnapshot = {
  symbol: 'BTC_USDC',
  mode: 'paper',
  status: 'inPosition',
  price: '100',
  averageEntry: '98',
  takeProfitPrice: '98.25',
  rungsFilled: 2,
  rungsTotal: 8,
  position: '0.5',
  realisedProfit: '1.234',
  cycles: 1,
  connection: 'open',
  events: ['a', 'b'],
}

describe('describeStatus', () => {
  test('default: unrealised profit and take-profit distance', () => {
    expect(describeStatus(snapshot)).toEqual({
      unrealised: '1',
      tpDistance: '-1.75',
    })
  })

  test('behavior: nothing derived without a position or a price', () => {
    expect(
      describeStatus({ ...snapshot, position: '0', price: undefined }),
    ).toEqual({ unrealised: undefined, tpDistance: undefined })
  })
})

describe('renderStatus', () => {
  test('default', () => {
    expect(renderStatus(snapshot)).toMatchInlineSnapshot(`
      [
        "rung paper BTC_USDC  status inPosition  stream open",
        "price 100   avg entry 98   take profit 98.25 (-1.75%)",
        "rungs 2/8   position 0.5   cycles 1",
        "profit realised 1.23   unrealised 1.00   total 2.23",
        "------------------------------------------------------------",
        "a",
        "b",
      ]
    `)
  })

  test("args: the status in words and the all-time realised profit beside this session's", () => {
    const lines = renderStatus({
      ...snapshot,
      status: 'exiting',
      statusText: statusWords('exiting', 'takeProfit'),
      realisedAllTime: '12.345',
    })
    expect(lines[0]).toBe(
      'rung paper BTC_USDC  status taking profit  stream open',
    )
    expect(lines[3]).toBe(
      'profit realised 1.23 (all time 12.35)   unrealised 1.00   total 2.23',
    )
  })

  test('args: prices with the tick decimals, quantities with the step decimals, money with 2', () => {
    const live: StatusSnapshot = {
      ...snapshot,
      price: '65600',
      averageEntry: '65508.024914675767918088',
      takeProfitPrice: '65836.1',
      position: '0.0006',
      realisedProfit: '-0.587623',
      tickSize: '0.1',
      stepSize: '0.00001',
    }
    expect(renderStatus(live, 100).slice(1, 4)).toEqual([
      'price 65600.0   avg entry 65508.0   take profit 65836.1 (+0.36%)',
      'rungs 2/8   position 0.00060   cycles 1',
      'profit realised -0.59   unrealised 0.06   total -0.53',
    ])
  })

  test('behavior: the average entry rounds half up to the tick; the take profit is never rounded', () => {
    const base = { ...snapshot, tickSize: '0.01', stepSize: '0.001' }
    expect(
      formatStatusNumbers({ ...base, averageEntry: '98.125' }).averageEntry,
    ).toBe('98.13')
    expect(
      formatStatusNumbers({ ...base, averageEntry: '98.12499999' })
        .averageEntry,
    ).toBe('98.12')
    // As the strategy computed it, even off the tick (it never is).
    expect(
      formatStatusNumbers({ ...base, takeProfitPrice: '98.125' })
        .takeProfitPrice,
    ).toBe('98.125')
    expect(
      formatStatusNumbers({ ...base, takeProfitPrice: '98.2' }).takeProfitPrice,
    ).toBe('98.20')
    // A remainder finer than the step stays visible.
    expect(formatStatusNumbers({ ...base, position: '0.0015' }).position).toBe(
      '0.0015',
    )
    expect(formatStatusNumbers({ ...base, position: '2' }).position).toBe(
      '2.000',
    )
  })

  test('behavior: a status file without tick and step sizes shows the values as they are', () => {
    expect(
      formatStatusNumbers({ ...snapshot, averageEntry: '98.123456' }),
    ).toEqual({
      price: '100',
      averageEntry: '98.123456',
      takeProfitPrice: '98.25',
      position: '0.5',
    })
  })

  test('args: width truncates', () => {
    expect(renderStatus(snapshot, 20).every((l) => l.length <= 20)).toBe(true)
  })
})

describe('formatMoney', () => {
  test('default: 2 decimals, halves away from zero', () => {
    expect(formatMoney('-0.587623')).toBe('-0.59')
    expect(formatMoney('0.005')).toBe('0.01')
    expect(formatMoney('-0.005')).toBe('-0.01')
    expect(formatMoney('12')).toBe('12.00')
    expect(formatMoney(undefined)).toBe('-')
  })
})

describe('createStatusView', () => {
  test('behavior: redraws in place at a bounded rate and restores the cursor', () => {
    vi.useFakeTimers()
    const writes: string[] = []
    const stream = {
      write: (t: string) => writes.push(t),
      columns: 100,
    } as unknown as NodeJS.WriteStream
    const view = createStatusView(stream, { fps: 4 })
    expect(writes).toEqual(['\x1b[?25l'])
    view.update(snapshot)
    view.update({ ...snapshot, price: '101' })
    vi.advanceTimersByTime(250)
    // Two updates inside one frame: one draw, with the latest snapshot.
    expect(writes).toHaveLength(2)
    expect(writes[1]).toContain('price 101')
    view.update({ ...snapshot, price: '102' })
    vi.advanceTimersByTime(250)
    // The second frame moves up over the first block (7 lines) and clears it.
    expect(writes[2]?.startsWith('\x1b[7F\x1b[J')).toBe(true)
    view.stop()
    expect(writes.at(-1)).toBe('\x1b[?25h')
    vi.useRealTimers()
  })
})

describe('statusWords', () => {
  test('behavior: every status reads as what it means; an exit says what it is', () => {
    expect(
      [
        'idle',
        'starting',
        'laddering',
        'inPosition',
        'coolingDown',
        'stopped',
      ].map((s) => statusWords(s)),
    ).toEqual([
      'not started',
      'waiting for a price to ladder',
      'ladder placed',
      'in position',
      'cooling down',
      'stopped',
    ])
    expect(
      ['takeProfit', 'trailingTakeProfit', 'stopLoss', 'stopRequested'].map(
        (r) => statusWords('exiting', r),
      ),
    ).toEqual([
      'taking profit',
      'taking profit (trailing)',
      'stop loss: selling',
      'stopping: selling the position',
    ])
  })
})
