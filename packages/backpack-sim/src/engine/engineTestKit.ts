/**
 * What the engine's tests share: an engine with three paper accounts and a
 * listener that logs order events, balances as text, a limit order request,
 * and the code and message of a rejection.
 *
 * @internal
 */
import { formatDecimal } from '../decimal.js'
import { ApiFailure } from '../errors.js'
import { DEFAULT_MARKETS, toMarket } from '../markets.js'
import { Engine } from './engine.js'
import type { Account, OrderRequest } from './types.js'

/** An engine on the default markets with alice, bob and carol, and an event log. */
export function setup(fees = { maker: '0', taker: '0' }) {
  const engine = new Engine({
    markets: DEFAULT_MARKETS.map(toMarket),
    now: () => 1_700_000_000_000,
    makerFeeBps: fees.maker,
    takerFeeBps: fees.taker,
    initialBalances: { USDC: '100000', BTC: '1', SOL: '1000' },
  })
  const events: string[] = []
  engine.addListener({
    orderEvent: (o, e, f) =>
      events.push(
        `${o.account.key}:${e}:${o.status}${f ? `:${formatDecimal(f.quantity)}@${formatDecimal(f.price)}` : ''}`,
      ),
    trade: () => {},
    depth: () => {},
  })
  const a = engine.account('alice')
  const b = engine.account('bob')
  const c = engine.account('carol')
  return { engine, a, b, c, events }
}

/** An account's balance of an asset as decimal text. */
export const bal = (e: Engine, acc: Account, asset: string) => {
  const b = e.balance(acc, asset)
  return {
    available: formatDecimal(b.available),
    locked: formatDecimal(b.locked),
  }
}

/** A BTC_USDC limit order request. */
export function limit(
  side: 'Bid' | 'Ask',
  price: string,
  quantity: string,
  extra: OrderRequest = {},
): OrderRequest {
  return {
    symbol: 'BTC_USDC',
    side,
    orderType: 'Limit',
    price,
    quantity,
    ...extra,
  }
}

/** The code and message of the ApiFailure `fn` throws. */
export function rejects(fn: () => unknown): { code: string; message: string } {
  try {
    fn()
  } catch (e) {
    if (e instanceof ApiFailure) return { code: e.code, message: e.message }
    throw e
  }
  throw new Error('expected a rejection')
}
