/**
 * `@rung/backpack-sim`: a local Backpack exchange for end-to-end tests and
 * paper trading. One process serves the real REST paths (`/api/v1/…`,
 * `/wapi/v1/…`) and the WebSocket streams on loopback, with a matching engine
 * (price-time priority, limit/market, GTC/IOC/FOK, post-only, self-trade
 * prevention, fees, locked balances), a market feed (seeded random walk,
 * candle replay, or manual) and fault injection. Existing clients (this
 * project's SDK, ccxt, the official Rust client) work against it unchanged.
 *
 * - {@link startSim}: start a simulator; returns URLs and admin helpers.
 * - {@link SimOptions}, {@link SimFeedOptions}, {@link SimFaults}: options.
 * - {@link DEFAULT_MARKETS}: BTC_USDC, ETH_USDC and SOL_USDC with live-like filters.
 *
 * ```ts
 * import { startSim } from '@rung/backpack-sim'
 * import { createBackpackClient } from '@rung/backpack-sdk'
 *
 * const sim = await startSim({ seed: 7, feed: { mode: 'manual' } })
 * const client = createBackpackClient({ baseUrl: sim.url, apiKey, secretKey })
 * await client.executeOrder({ symbol: 'BTC_USDC', side: 'Bid', orderType: 'Limit', price: '60000', quantity: '0.001' })
 * sim.setPrice('BTC_USDC', '59000') // the market maker's new asks fill the bid
 * await sim.close()
 * ```
 *
 * @module
 */

export { SimError } from './errors.js'
export type { SimFaults } from './faults.js'
export type {
  Sim,
  SimBalance,
  SimBook,
  SimLedger,
  SimLedgerEntry,
} from './handle.js'
export type { OrderBookState, SimMarketConfig } from './markets.js'
export { DEFAULT_MARKETS } from './markets.js'
export type {
  MirrorFeedOptions,
  MirrorFillModel,
  MirrorStatus,
} from './mirror/mirror.js'
export type {
  SimFeedOptions,
  SimLiquidityOptions,
  SimLogger,
  SimOptions,
} from './options.js'
export { startSim } from './sim.js'
