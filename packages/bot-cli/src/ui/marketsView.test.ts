import { describe, expect, test } from 'vitest'
import type { StatusFileContent } from '../runtime/statusFile.js'
import { isMarketsStatus, renderMarketsStatus } from './marketsView.js'
import type { StatusSnapshot } from './statusView.js'

const market = (over: Partial<StatusSnapshot>): StatusSnapshot => ({
  symbol: 'BTC_USDC',
  mode: 'paper',
  status: 'inPosition',
  price: '57000.5',
  tickSize: '0.1',
  stepSize: '0.00001',
  rungsFilled: 2,
  rungsTotal: 4,
  position: '0.01234',
  realisedProfit: '1.234',
  cycles: 1,
  connection: 'open',
  events: [],
  ...over,
})

const top: StatusFileContent = {
  ...market({}),
  symbol: 'BTC_USDC, ETH_USDC, SOL_USDC',
  status: '1 trading, 1 paused, 1 stopped',
  position: '-',
  realisedProfit: '3.5',
  cycles: 3,
  events: ['10:00:01 BTC_USDC ladder placed', '10:00:02 SOL_USDC stopped'],
  pid: 1,
  lockToken: 't',
  updatedAt: '2026-12-03T10:00:02.000Z',
  markets: [
    market({}),
    {
      ...market({ symbol: 'ETH_USDC', price: '2850', tickSize: '0.01' }),
      paused: 'Order book is closed for ETH_USDC, so no order is accepted',
    },
    {
      ...market({ symbol: 'SOL_USDC', price: '142', status: 'idle' }),
      stopped: true,
    },
  ],
  total: {
    realisedProfit: '3.5',
    cycles: 3,
    committedQuote: '3400',
    maxTotalAmount: '3500',
  },
}

describe('renderMarketsStatus', () => {
  test('default: a line per market, paused and stopped ones marked, and the total against the cap', () => {
    expect(isMarketsStatus(top)).toBe(true)
    if (!isMarketsStatus(top)) return
    expect(renderMarketsStatus(top, 100)).toMatchInlineSnapshot(`
      [
        "rung paper 3 markets  1 trading, 1 paused, 1 stopped  stream open",
        "market    status                        price    rungs  position  profit",
        "BTC_USDC  in position                   57000.5  2/4    0.01234   1.23",
        "ETH_USDC  paused: Order book is close…  2850.00  2/4    0.01234   1.23",
        "SOL_USDC  stopped                       142.0    2/4    0.01234   1.23",
        "total  profit realised 3.50   cycles 3   committed 3400.00 of 3500.00",
        "------------------------------------------------------------",
        "10:00:01 BTC_USDC ladder placed",
        "10:00:02 SOL_USDC stopped",
      ]
    `)
  })

  test('behavior: a single-market status is not a markets status', () => {
    expect(
      isMarketsStatus({ ...top, markets: undefined, total: undefined }),
    ).toBe(false)
  })

  test('behavior: lines are cut to the terminal width', () => {
    if (!isMarketsStatus(top)) throw new Error('not a markets status')
    for (const line of renderMarketsStatus(top, 40))
      expect(line.length).toBeLessThanOrEqual(39)
  })
})
