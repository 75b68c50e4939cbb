/**
 * The handle {@link startSim} returns: the {@link Sim} interface (what a
 * test or a script can do with a running simulator) and its implementation
 * over the engine, the feed, the faults and the stream hub. The admin API
 * (`admin/routes.ts`) answers over the same handle.
 *
 * @internal
 */

import { checkStep } from './admin/input.js'
import { formatDecimal, parseDecimal, toFloat } from './decimal.js'
import { ledgerEntries } from './engine/accounts.js'
import type { Engine } from './engine/engine.js'
import { SimError } from './errors.js'
import type { FaultState, SimFaults } from './faults.js'
import type { Feed } from './feed.js'
import { shown } from './input.js'
import {
  type Market,
  ORDER_BOOK_STATES,
  type OrderBookState,
} from './markets.js'
import type { Mirror, MirrorStatus } from './mirror/mirror.js'
import type { StreamHub } from './streams.js'
import { px, qty } from './wire.js'

/** One change of an account's total balance. */
export interface SimLedgerEntry {
  /** When, ms. */
  time: number
  /** Asset symbol. */
  asset: string
  /** Signed change, decimal string. */
  change: string
  /** `initial` paper balance, admin `credit`, `trade` leg, or `fee`. */
  kind: 'initial' | 'credit' | 'trade' | 'fee'
  /** Trade id the change belongs to, if any. */
  ref: string | null
}

/** One asset's balance. */
export interface SimBalance {
  /** Free to use, decimal string. */
  available: string
  /** Held by open orders, decimal string. */
  locked: string
}

/** A market's book as the simulator holds it. */
export interface SimBook {
  /** Bid levels `[price, quantity]`, best (highest) first. */
  bids: [string, string][]
  /** Ask levels `[price, quantity]`, best (lowest) first. */
  asks: [string, string][]
  /** The update counter (REST `lastUpdateId`, WS depth `U`/`u`). */
  lastUpdateId: number
}

/** An account's balances and ledger. */
export interface SimLedger {
  /** Base64 public key. */
  account: string
  /** Asset → available and locked. */
  balances: Record<string, SimBalance>
  /** Every change of the totals, oldest first. */
  entries: SimLedgerEntry[]
}

/** A running simulator. */
export interface Sim {
  /** REST origin, e.g. `http://127.0.0.1:41234`. */
  readonly url: string
  /** WebSocket URL, e.g. `ws://127.0.0.1:41234`. */
  readonly wsUrl: string
  /** The port in use. */
  readonly port: number
  /** Stops the feed, drops connections and closes the server. */
  close(): Promise<void>
  /**
   * Moves a market's fair price and re-quotes the market maker around it;
   * resting orders the new quotes cross are filled.
   *
   * @param symbol - Market, e.g. `"BTC_USDC"`.
   * @param price - Decimal string.
   * @throws {SimError} for an unknown market or a malformed price.
   */
  setPrice(symbol: string, price: string): void
  /**
   * Sets a market's order book state (`orderBookState` in
   * `GET /api/v1/markets`): `Closed` or `CancelOnly` refuse new orders with
   * 400 `TRADING_PAUSED` (nothing trades: the feed's quotes are refused too),
   * `LimitOnly` refuses market orders, `PostOnly` orders that are not
   * post-only; `Open` trades again. Cancels work in every state.
   *
   * @param symbol - Market, e.g. `"SOL_USDC"`.
   * @param state - The new state.
   * @throws {SimError} for an unknown market or state.
   */
  setMarketState(symbol: string, state: OrderBookState): void
  /**
   * Advances the feed by `steps` steps of `seconds` simulated seconds each
   * (generated path, re-quote, taker flow).
   *
   * @param steps - Number of steps, an integer from 1 to 10000. @defaultValue `1`
   * @param seconds - Simulated seconds per step, above 0 and at most 86400. @defaultValue `1`
   * @throws {SimError} when `steps` or `seconds` is out of range.
   */
  step(steps?: number, seconds?: number): void
  /**
   * Replaces the active faults.
   *
   * @param faults - The new fault settings.
   * @throws {SimError} naming the field, for an unknown fault or setting or
   *   a value out of range (the active faults are then kept).
   */
  setFaults(faults: SimFaults): void
  /** The active faults. @returns A copy of the settings. */
  faults(): SimFaults
  /** Terminates every WebSocket connection now. */
  dropConnections(): void
  /**
   * Balances and ledger of an account.
   *
   * @param account - Base64 public key.
   * @returns Balances and ledger (empty if the account never appeared).
   */
  ledger(account: string): SimLedger
  /**
   * Credits (or with a negative amount debits) an account's available funds.
   *
   * @param account - Base64 public key; created if new.
   * @param asset - Asset symbol of a listed market.
   * @param amount - Signed decimal string.
   * @throws {SimError} when the asset is not listed, or the amount is
   *   malformed or would go negative.
   */
  credit(account: string, asset: string, amount: string): void
  /**
   * The current book of a market.
   *
   * @param symbol - Market.
   * @returns Levels best first and the update id of the snapshot.
   */
  book(symbol: string): SimBook
  /** The feed's current fair price of a market. @param symbol - Market. @returns Decimal string. */
  fairPrice(symbol: string): string
  /** Fees collected by the exchange so far. @returns Asset → decimal string. */
  feesCollected(): Record<string, string>
  /** Base64 keys of the user accounts seen so far. @returns The keys. */
  accounts(): string[]
  /** Open WebSocket connections. @returns The count. */
  connections(): number
  /**
   * Active WebSocket subscriptions, e.g. to wait until a client has
   * subscribed before moving the price.
   *
   * @returns Stream name → number of connections subscribed to it.
   */
  subscriptions(): Record<string, number>
  /**
   * What the market data follows with `feed.mode: 'mirror'`: the upstream,
   * whether its data is live or stale, and the trades and paper fills seen.
   *
   * @param symbol - The market (several mirrored: `feed.symbols`). @defaultValue the first mirrored market
   * @returns That market's mirror status, or undefined for the other feed modes (or a market not mirrored).
   */
  marketData(symbol?: string): MirrorStatus | undefined
}

/** What the handle works over. */
export interface HandleDeps {
  /** `host:port` the server listens on (IPv6 in brackets). */
  origin: string
  /** The port in use. */
  port: number
  /** The exchange state. */
  engine: Engine
  /** The market feed; undefined with `feed.mode: 'off'`. */
  feed: Feed | undefined
  /** The active faults. */
  faults: FaultState
  /** The WebSocket side. */
  hub: StreamHub
  /** The listed markets. */
  markets: readonly Market[]
  /** The mirror feeds (`feed.mode: 'mirror'`), one per market. */
  mirrors?: readonly Mirror[] | undefined
  /** Stops everything (once). */
  close: () => Promise<void>
}

/** The running simulator's handle. */
export function createHandle(deps: HandleDeps): Sim {
  const { origin, port, engine, feed, faults, hub, markets, close } = deps
  const market = (symbol: string) => {
    const m = engine.markets.get(symbol)
    if (!m) {
      throw new SimError(
        `Unknown market ${symbol}: pick one of ${[...engine.markets.keys()].join(', ')}`,
      )
    }
    return m
  }
  const assets = [...new Set(markets.flatMap((m) => [m.base, m.quote]))]
  return {
    url: `http://${origin}`,
    wsUrl: `ws://${origin}`,
    port,
    close,
    setPrice(symbol, price) {
      const m = market(symbol)
      const r = typeof price === 'string' ? parseDecimal(price) : undefined
      if (!r?.ok || r.value <= 0n) {
        throw new SimError(
          `\`price\` must be a positive decimal string such as "60000"; got ${shown(price)}`,
        )
      }
      if (!feed) {
        throw new SimError(
          'setPrice needs a feed: start with feed.mode other than "off"',
        )
      }
      feed.paths.get(symbol)?.set(toFloat(r.value))
      feed.quote(m)
    },
    step(steps = 1, seconds = 1) {
      checkStep(steps, seconds)
      if (!feed) return
      for (let i = 0; i < steps; i++) feed.advance(seconds)
    },
    setMarketState(symbol, state) {
      const m = market(symbol)
      if (!ORDER_BOOK_STATES.includes(state))
        throw new SimError(
          `\`state\` must be one of ${ORDER_BOOK_STATES.join(', ')}; got ${shown(state)}`,
        )
      m.bookState = state
      // Reopened: the market maker quotes again at once.
      if (state !== 'Closed' && state !== 'CancelOnly') feed?.quote(m)
    },
    setFaults(f) {
      faults.set(f)
    },
    faults() {
      return faults.get()
    },
    dropConnections() {
      hub.dropAll()
    },
    ledger(account) {
      const acc = engine.accounts.get(account)
      const balances: SimLedger['balances'] = {}
      for (const [asset, b] of acc?.balances ?? []) {
        balances[asset] = {
          available: formatDecimal(b.available),
          locked: formatDecimal(b.locked),
        }
      }
      return {
        account,
        balances,
        entries: (acc ? ledgerEntries(acc) : []).map((e) => ({
          time: e.time,
          asset: e.asset,
          change: formatDecimal(e.change),
          kind: e.kind,
          ref: e.ref ?? null,
        })),
      }
    },
    credit(account, asset, amount) {
      if (typeof asset !== 'string' || !assets.includes(asset)) {
        throw new SimError(
          `\`asset\` must be an asset of a listed market: one of ${assets.join(', ')}; got ${shown(asset)}`,
        )
      }
      const r = typeof amount === 'string' ? parseDecimal(amount) : undefined
      if (!r?.ok) {
        throw new SimError(
          `\`amount\` must be a decimal string such as "100" (negative to debit); got ${shown(amount)}`,
        )
      }
      try {
        engine.credit(engine.account(account), asset, r.value)
      } catch (cause) {
        throw new SimError(
          `Cannot debit ${amount} ${asset}: the available balance is too small`,
          { cause },
        )
      }
    },
    book(symbol) {
      const m = market(symbol)
      const { bids, asks } = engine.levels(symbol, 1000)
      const f = ([p, q]: [bigint, bigint]): [string, string] => [
        px(m, p),
        qty(m, q),
      ]
      return {
        bids: bids.map(f),
        asks: asks.map(f),
        lastUpdateId: engine.book(symbol).updateId,
      }
    },
    fairPrice(symbol) {
      const m = market(symbol)
      const ref =
        engine.book(symbol).referencePrice ?? engine.book(symbol).lastPrice
      return ref === undefined ? m.config.initialPrice : px(m, ref)
    },
    feesCollected() {
      return Object.fromEntries(
        [...engine.feesCollected].map(([a, v]) => [a, formatDecimal(v)]),
      )
    },
    accounts() {
      return [...engine.accounts.values()]
        .filter((a) => !a.internal)
        .map((a) => a.key)
    },
    connections() {
      return hub.size
    },
    subscriptions() {
      return hub.subscriptions()
    },
    marketData(symbol) {
      const statuses = (deps.mirrors ?? []).map((m) => m.status())
      return symbol === undefined
        ? statuses[0]
        : statuses.find((s) => s.symbol === symbol)
    },
  }
}
