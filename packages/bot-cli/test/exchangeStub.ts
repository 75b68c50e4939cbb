/**
 * Fixtures of the executor tests: a market, a clock, a state with its first
 * ladder, a stub of the SDK client and a live executor over it.
 */
import { ApiError } from '@rung/backpack-sdk'
import {
  initialState,
  type LadderState,
  type PlaceOrdersCommand,
  step,
  validateConfig,
} from '@rung/ladder-strategy'
import { vi } from 'vitest'
import type { ExchangeClient } from '../src/runtime/exchange/exchange.js'
import { createLiveExecutor } from '../src/runtime/exchange/liveExecutor.js'
import { silentLogger } from '../src/ui/logger.js'

/** The market of the executor tests. */
export const market = {
  symbol: 'BTC_USDC',
  tickSize: '0.1',
  stepSize: '0.00001',
  minQuantity: '0.00001',
}
/** The fixed clock of the executor tests (ms). */
export const now = () => 1_700_000_000_000

/** A state with the first ladder placed (8 pending rungs, client ids 1024..1031). */
export function ladderState(): LadderState {
  const { config } = validateConfig({})
  const [state] = step(initialState(config, market), {
    type: 'started',
    at: now(),
    price: '60000',
  })
  return state
}

/** The `placeOrders` command for the state's first `count` rungs. */
export function placeCommand(
  state: LadderState,
  count = 8,
): PlaceOrdersCommand {
  const orders = state.orders.slice(0, count).map((o) => ({
    clientId: o.clientId,
    rung: o.rung,
    price: o.price,
    quantity: o.quantity,
  }))
  return {
    type: 'placeOrders',
    symbol: 'BTC_USDC',
    side: 'buy',
    timeInForce: 'GTC',
    postOnly: false,
    orders,
  }
}

/** An open limit bid as the SDK returns it, with `extra` fields over it. */
export const order = (
  clientId: number,
  extra: Record<string, unknown> = {},
) => ({
  id: `o${clientId}`,
  clientId,
  side: 'Bid',
  orderType: 'Limit',
  price: '60000',
  quantity: '0.001',
  executedQuantity: '0',
  status: 'New',
  ...extra,
})

/** A stub of the SDK client: every method a `vi.fn` with a plausible answer, `overrides` over them. */
export function stubClient(
  overrides: Partial<Record<keyof ExchangeClient, unknown>> = {},
) {
  return {
    executeOrder: vi.fn(async (p: { clientId?: number }) =>
      order(p.clientId ?? 0),
    ),
    getOpenOrders: vi.fn(async () => []),
    cancelOrder: vi.fn(async (p: { clientId: number }) =>
      order(p.clientId, { status: 'Cancelled' }),
    ),
    cancelOpenOrders: vi.fn(async () => []),
    getFillHistory: vi.fn(async () => []),
    getBalances: vi.fn(async () => ({})),
    getDepth: vi.fn(async () => ({
      bids: [
        ['59990.1', '1'],
        ['59999.9', '2'],
      ],
      asks: [],
    })),
    getTicker: vi.fn(async () => ({ lastPrice: '60001' })),
    ...overrides,
  } as unknown as ExchangeClient
}

/** A live executor over `client` on {@link market}, cancel-all on, silent. */
export const live = (client: ExchangeClient) =>
  createLiveExecutor({
    client,
    market,
    markets: [],
    cancelAllOrders: true,
    logger: silentLogger,
    now,
  })

/** An `ApiError` of POST /api/v1/order with this status and code. */
export const apiError = (status: number, code: string) =>
  new ApiError({
    status,
    method: 'POST',
    path: '/api/v1/order',
    code,
    message: 'refused',
    body: '',
  } as never)
