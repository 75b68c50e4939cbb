/**
 * The exchange as the executor sees it: the part of the SDK client it calls
 * and the SDK's order and fill types, derived from `@rung/backpack-sdk` so
 * they cannot drift from it.
 */
import type { BackpackClient, Fill, Order } from '@rung/backpack-sdk'

/** An order as the SDK returns it (the SDK's `Order`: a limit or a market order). */
export type ExchangeOrderLike = Order

/** A row of the fill history as the SDK returns it (the SDK's `Fill`). */
export type ExchangeFillLike = Fill

/**
 * The methods of the SDK client (`createBackpackClient`) the executors call:
 * `executeOrder`, `getOpenOrders`, `cancelOrder`, `cancelOpenOrders`,
 * `getFillHistory`, `getBalances`, `getDepth` and `getTicker`. Tests may
 * pass a stub with the same shape.
 */
export type ExchangeClient = Pick<
  BackpackClient,
  | 'executeOrder'
  | 'getOpenOrders'
  | 'cancelOrder'
  | 'cancelOpenOrders'
  | 'getFillHistory'
  | 'getBalances'
  | 'getDepth'
  | 'getTicker'
>

/** Market facts the executor needs. */
export interface ExecutorMarket {
  /** e.g. `BTC_USDC`. */
  symbol: string
  /** Quantity step. */
  stepSize: string
  /** Smallest quantity. */
  minQuantity: string
}
