/**
 * Order placement after validation: number the order, lock its funds,
 * accept it, match it, then fill, expire or rest it; and `finish`, which
 * ends an order (placement and cancels both use it through the hooks).
 *
 * @internal
 */
import { lockOrder, releaseOrder } from './accounts.js'
import { filledAll, type MatchHooks, match, rest } from './matching.js'
import type { Book, EngineOrder, OrderStatus } from './types.js'

/**
 * Runs one validated order with sequence number `seq` against its book;
 * `lock` is what a limit order holds (from {@link checkTaking}).
 */
export function execute(
  order: EngineOrder,
  book: Book,
  seq: number,
  lock: bigint,
  hooks: MatchHooks,
): void {
  const acc = order.account
  order.id = String(1_000_000_000 + seq)
  order.seq = seq
  if (!acc.internal) acc.history.push(order)
  if (order.type === 'Limit') lockOrder(order, lock)
  hooks.emit(order, 'orderAccepted', undefined)
  if (order.expiryReason === 'FillOrKill') {
    hooks.finish(order, 'Expired', 'FillOrKill')
    return
  }
  const reason = match(order, book, hooks)
  if (reason !== undefined && reason !== 'done') {
    hooks.finish(order, 'Expired', reason)
    return
  }
  if (order.type === 'Market') {
    if (reason === 'done' || filledAll(order)) {
      hooks.finish(order, 'Filled', undefined)
    } else hooks.finish(order, 'Expired', 'InsufficientLiquidity')
    return
  }
  if (order.executedQty === order.quantity) {
    hooks.finish(order, 'Filled', undefined)
    return
  }
  if (order.timeInForce !== 'GTC') {
    hooks.finish(order, 'Expired', 'ImmediateOrCancel')
    return
  }
  rest(order, book, hooks)
}

/** Ends an order: releases what it still holds and emits the final event. */
export function finish(
  order: EngineOrder,
  status: OrderStatus,
  reason: string | undefined,
  emit: MatchHooks['emit'],
): void {
  releaseOrder(order)
  order.status = status
  order.expiryReason = reason
  if (status === 'Cancelled') emit(order, 'orderCancelled', undefined)
  else if (status === 'Expired') emit(order, 'orderExpired', undefined)
}
