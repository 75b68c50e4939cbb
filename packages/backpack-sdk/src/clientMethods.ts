/**
 * The client's shape: its resolved configuration, and one method per
 * endpoint function with the requester (`base`) bound. A new endpoint gets
 * its member in {@link BackpackClient} and its line in `bindEndpoints`.
 */
import { getAccount } from './endpoints/account/getAccount.js'
import { getBalances } from './endpoints/account/getBalances.js'
import { getCollateral } from './endpoints/account/getCollateral.js'
import { getFillHistory } from './endpoints/history/getFillHistory.js'
import { getOrderHistory } from './endpoints/history/getOrderHistory.js'
import { cancelOpenOrders } from './endpoints/orders/cancelOpenOrders.js'
import { cancelOrder } from './endpoints/orders/cancelOrder.js'
import { executeOrder } from './endpoints/orders/executeOrder.js'
import { executeOrders } from './endpoints/orders/executeOrders.js'
import { findOrderByClientId } from './endpoints/orders/findOrderByClientId.js'
import { getOpenOrders } from './endpoints/orders/getOpenOrders.js'
import { getOrder } from './endpoints/orders/getOrder.js'
import { getAssets } from './endpoints/public/getAssets.js'
import { getDepth } from './endpoints/public/getDepth.js'
import { getHistoricalTrades } from './endpoints/public/getHistoricalTrades.js'
import { getKlines } from './endpoints/public/getKlines.js'
import { getMarket } from './endpoints/public/getMarket.js'
import { getMarkets } from './endpoints/public/getMarkets.js'
import { getRecentTrades } from './endpoints/public/getRecentTrades.js'
import { getServerTime } from './endpoints/public/getServerTime.js'
import { getStatus } from './endpoints/public/getStatus.js'
import { getTicker } from './endpoints/public/getTicker.js'
import { getTickers } from './endpoints/public/getTickers.js'
import { ping } from './endpoints/public/ping.js'
import type { BackpackRequester, RetryOptions } from './rest/request.js'
import type { Signer } from './signing/sign.js'

/** The resolved, frozen configuration of a client. No secrets. */
export interface BackpackClientConfig {
  /** The public key, when the client can sign. */
  readonly apiKey: string | undefined
  /** REST origin, without a trailing slash. */
  readonly baseUrl: string
  /** Signing window (in ms). */
  readonly windowMs: number
  /** Per-request timeout (in ms), or `false`. */
  readonly timeoutMs: number | false
  /** Retry policy, or `false`. */
  readonly retry:
    | Readonly<Required<{ [K in keyof RetryOptions]: number }>>
    | false
  /** Clock sync interval (in ms), or `false`. */
  readonly clockSyncIntervalMs: number | false
}

/**
 * A Backpack REST client: `request` plus one method per endpoint function,
 * each with the same name and the same `(params, options)` (or `(options)`)
 * arguments as the standalone function minus the client.
 */
export interface BackpackClient extends BackpackRequester {
  /** The resolved configuration (frozen, no secrets). */
  readonly config: BackpackClientConfig
  /** The signer, when the client was given a `secretKey`. */
  readonly signer: Signer | undefined
  /** Same as {@link getStatus}. */
  getStatus: Bound<typeof getStatus>
  /** Same as {@link ping}. */
  ping: Bound<typeof ping>
  /** Same as {@link getServerTime}. */
  getServerTime: Bound<typeof getServerTime>
  /** Same as {@link getAssets}. */
  getAssets: Bound<typeof getAssets>
  /** Same as {@link getMarkets}. */
  getMarkets: Bound<typeof getMarkets>
  /** Same as {@link getMarket}. */
  getMarket: Bound<typeof getMarket>
  /** Same as {@link getTicker}. */
  getTicker: Bound<typeof getTicker>
  /** Same as {@link getTickers}. */
  getTickers: Bound<typeof getTickers>
  /** Same as {@link getDepth}. */
  getDepth: Bound<typeof getDepth>
  /** Same as {@link getKlines}. */
  getKlines: Bound<typeof getKlines>
  /** Same as {@link getRecentTrades}. */
  getRecentTrades: Bound<typeof getRecentTrades>
  /** Same as {@link getHistoricalTrades}. */
  getHistoricalTrades: Bound<typeof getHistoricalTrades>
  /** Same as {@link getBalances}. */
  getBalances: Bound<typeof getBalances>
  /** Same as {@link getCollateral}. */
  getCollateral: Bound<typeof getCollateral>
  /** Same as {@link getAccount}. */
  getAccount: Bound<typeof getAccount>
  /** Same as {@link executeOrder}. */
  executeOrder: Bound<typeof executeOrder>
  /** Same as {@link executeOrders}. */
  executeOrders: Bound<typeof executeOrders>
  /** Same as {@link getOrder}. */
  getOrder: Bound<typeof getOrder>
  /** Same as {@link findOrderByClientId}. */
  findOrderByClientId: Bound<typeof findOrderByClientId>
  /** Same as {@link getOpenOrders}. */
  getOpenOrders: Bound<typeof getOpenOrders>
  /** Same as {@link cancelOrder}. */
  cancelOrder: Bound<typeof cancelOrder>
  /** Same as {@link cancelOpenOrders}. */
  cancelOpenOrders: Bound<typeof cancelOpenOrders>
  /** Same as {@link getOrderHistory}. */
  getOrderHistory: Bound<typeof getOrderHistory>
  /** Same as {@link getFillHistory}. */
  getFillHistory: Bound<typeof getFillHistory>
}

/**
 * An endpoint function with its first argument (the client) bound: `(params,
 * options)` or, for endpoints without parameters, `(options)`.
 */
export type Bound<F> = F extends (
  client: BackpackRequester,
  ...args: infer A
) => infer R
  ? (...args: A) => R
  : never

/**
 * The endpoint methods of a client: each endpoint function with `base` as
 * its client.
 */
export function bindEndpoints(
  base: BackpackRequester,
): Omit<BackpackClient, keyof BackpackRequester | 'config' | 'signer'> {
  return {
    // One bound line per endpoint function, alike on purpose: the client is
    // the endpoint files with `base` given (docs/contributing.md).
    getStatus: (o) => getStatus(base, o),
    ping: (o) => ping(base, o),
    getServerTime: (o) => getServerTime(base, o),
    getAssets: (p, o) => getAssets(base, p, o),
    getMarkets: (p, o) => getMarkets(base, p, o),
    getMarket: (p, o) => getMarket(base, p, o),
    getTicker: (p, o) => getTicker(base, p, o),
    getTickers: (p, o) => getTickers(base, p, o),
    getDepth: (p, o) => getDepth(base, p, o),
    getKlines: (p, o) => getKlines(base, p, o),
    getRecentTrades: (p, o) => getRecentTrades(base, p, o),
    getHistoricalTrades: (p, o) => getHistoricalTrades(base, p, o),
    getBalances: (o) => getBalances(base, o),
    getCollateral: (p, o) => getCollateral(base, p, o),
    getAccount: (o) => getAccount(base, o),
    executeOrder: (p, o) => executeOrder(base, p, o),
    executeOrders: (p, o) => executeOrders(base, p, o),
    getOrder: (p, o) => getOrder(base, p, o),
    findOrderByClientId: (p, o) => findOrderByClientId(base, p, o),
    getOpenOrders: (p, o) => getOpenOrders(base, p, o),
    cancelOrder: (p, o) => cancelOrder(base, p, o),
    cancelOpenOrders: (p, o) => cancelOpenOrders(base, p, o),
    getOrderHistory: (p, o) => getOrderHistory(base, p, o),
    getFillHistory: (p, o) => getFillHistory(base, p, o),
  }
}
