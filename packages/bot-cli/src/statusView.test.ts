import { describe, expect, test, vi } from 'vitest'
import {
  createStatusView,
  describeStatus,
  renderStatus,
  type StatusSnapshot,
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

  test('args: width truncates', () => {
    expect(renderStatus(snapshot, 20).every((l) => l.length <= 20)).toBe(true)
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
