/**
 * Cancels: finding an open order by id or client id, and taking resting
 * orders off the book. The engine wraps these in one depth batch.
 *
 * @internal
 */
import { type MatchHooks, unrest } from './matching.js'
import type { Account, Book, EngineOrder } from './types.js'

/** Finds an open order by id or client id. */
export function findOpen(
  acc: Account,
  symbol: string,
  orderId: string | undefined,
  clientId: number | undefined,
): EngineOrder | undefined {
  for (const o of acc.open.values()) {
    if (o.market.symbol !== symbol) continue
    if (orderId !== undefined && o.id === orderId) return o
    if (clientId !== undefined && o.clientId === clientId) return o
  }
  return undefined
}

/** The resting orders of an account in a market, in placement order. */
export function openIn(acc: Account, symbol: string): EngineOrder[] {
  return [...acc.open.values()]
    .filter((o) => o.market.symbol === symbol)
    .sort((a, b) => a.seq - b.seq)
}

/** Takes one resting order off the book and ends it as cancelled. */
export function cancelOrder(
  order: EngineOrder,
  book: Book,
  hooks: MatchHooks,
): void {
  unrest(order, book, hooks)
  hooks.finish(order, 'Cancelled', undefined)
}

/** Takes resting orders off the book and ends them as cancelled. */
export function cancelResting(
  orders: readonly EngineOrder[],
  book: Book,
  hooks: MatchHooks,
): void {
  for (const o of orders) {
    unrest(o, book, hooks)
    hooks.finish(o, 'Cancelled', undefined)
  }
}
