/**
 * The error of an order placement whose outcome the SDK could not settle
 * (a timeout, a network failure or a 5xx, and a lookup by `clientId` that
 * did not find the order), with what the lookup learned.
 */
import type { Order } from '../types/private.js'
import { BackpackError } from './backpackError.js'
import { hasName } from './guards.js'
import type { HttpError, NetworkError, TimeoutError } from './httpErrors.js'

/**
 * What `executeOrder` / `executeOrders` learned when looking an order up by
 * its `clientId` after an ambiguous failure (timeout, network error, 5xx).
 */
export interface OrderLookup {
  /** The order's `clientId`. */
  clientId: number
  /**
   * - `found`: the order exists (resting, open or in history): see `order`.
   * - `notFound`: every lookup answered and none has it; the original
   *   request's signing window has passed, so it can no longer execute.
   *   Re-placing it (ideally with the same `clientId`) is safe.
   * - `failed`: a lookup itself failed; the order's state is unknown.
   * - `skipped`: the caller aborted, so no lookup was made.
   */
  outcome: 'found' | 'notFound' | 'failed' | 'skipped'
  /** The order, when `outcome` is `found`. */
  order?: Order | undefined
}

/**
 * `executeOrder` / `executeOrders` failed ambiguously (timeout, network
 * error or 5xx: the order may exist) and looking the orders up by
 * `clientId` did not find them all. `orderLookups` has one entry per
 * order; the failure itself is `cause`.
 *
 * - `notFound`: the order cannot execute any more; placing it again (with
 *   the same `clientId`) is safe.
 * - `failed` / `skipped`: its state is unknown; look it up with
 *   `findOrderByClientId` before placing it again.
 *
 * @example
 * ```ts
 * import { isOrderStateUnknownError } from '@rung/backpack-sdk'
 *
 * try {
 *   await client.executeOrder({ symbol: 'SOL_USDC', side: 'Bid', orderType: 'Limit', price: '100', quantity: '1', clientId: 7 })
 * } catch (error) {
 *   if (isOrderStateUnknownError(error)) {
 *     for (const lookup of error.orderLookups) console.warn(lookup.clientId, lookup.outcome)
 *   }
 * }
 * ```
 */
export class OrderStateUnknownError extends BackpackError {
  override name = 'OrderStateUnknownError' as const
  /** What the lookup by `clientId` found for each order, in submission order. */
  readonly orderLookups: readonly OrderLookup[]
  /** The ambiguous failure of the placement request itself. */
  override readonly cause: TimeoutError | NetworkError | HttpError

  /**
   * @param options - The placement's failure (`cause`) and the lookups.
   */
  constructor(options: {
    cause: TimeoutError | NetworkError | HttpError
    orderLookups: readonly OrderLookup[]
  }) {
    const { cause, orderLookups } = options
    super(
      `An order may or may not have been placed (${cause.name}); see \`orderLookups\`: "notFound" is safe to place again with the same clientId, otherwise look the order up first.`,
      {
        cause,
        details: cause.shortMessage,
        metaMessages: [
          `Request: ${cause.method} ${cause.path}`,
          ...orderLookups.map(
            (l) => `Order: clientId ${l.clientId} ${l.outcome}`,
          ),
        ],
      },
    )
    this.cause = cause
    this.orderLookups = orderLookups
  }
}

/**
 * True for an {@link OrderStateUnknownError}, judged by `name`.
 *
 * @param value - Anything caught.
 * @returns Whether `value` is an {@link OrderStateUnknownError}.
 * @example
 * ```ts
 * import { isOrderStateUnknownError } from '@rung/backpack-sdk'
 *
 * try { await client.executeOrder(order) } catch (e) { if (isOrderStateUnknownError(e)) console.warn(e.orderLookups) }
 * ```
 */
export function isOrderStateUnknownError(
  value: unknown,
): value is OrderStateUnknownError {
  return hasName(value, ['OrderStateUnknownError'])
}
