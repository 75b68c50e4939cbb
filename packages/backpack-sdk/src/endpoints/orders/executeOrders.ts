// Shaped like every endpoint file on purpose (check, then one request; one
// tree-shakable, documented function per file): see docs/contributing.md.
import type { ApiError, HttpError } from '../../errors/httpErrors.js'
import { type SigningError, ValidationError } from '../../errors/inputErrors.js'
import {
  type OrderLookup,
  OrderStateUnknownError,
} from '../../errors/orderStateUnknownError.js'
import { describeValue } from '../../internal/validate.js'
import type { BackpackRequester } from '../../rest/request.js'
import type { RequestOptions } from '../../types/common.js'
import type {
  BatchOrderResult,
  ExecuteOrdersParameters,
  ExecuteOrdersReturnType,
} from '../../types/private.js'
import { isAmbiguous, resolveAmbiguous } from './executeOrder.js'
import { type OrderBody, orderBody } from './orderBody.js'

/** The errors {@link executeOrders} can throw (as {@link ExecuteOrderErrorType}). */
export type ExecuteOrdersErrorType =
  | ValidationError
  | SigningError
  | HttpError
  | ApiError
  | OrderStateUnknownError

/**
 * Places several orders in one request (`POST /api/v1/orders`; signed as one
 * `instruction=orderExecute&…` block per order, reference §2.4).
 *
 * The answer has one element per order, in the same order: the order, or a
 * {@link BatchOrderError} `{ code, message, operation: 'Err' }` for an order
 * the exchange refused. Each element is judged by whether it has `code`
 * (whether successful items carry `operation: 'Ok'` is UNCONFIRMED).
 *
 * Every order gets a `clientId` (yours or generated; duplicates in one batch
 * are rejected). On an ambiguous failure the batch is resolved like
 * {@link executeOrder}: wait out the signing window, look each order up by
 * clientId; if all are found their orders are returned, otherwise an
 * {@link OrderStateUnknownError} is thrown with every order's lookup.
 *
 * @param client - A client created with a `secretKey`.
 * @param orders - One to many order requests.
 * @param options - Abort signal and timeout.
 * @returns One result per order, in submission order.
 * @throws {ExecuteOrdersErrorType} one of the errors listed here.
 * @throws {ValidationError} before any I/O when `orders` is empty, not an
 *   array, holds a malformed order (the field path names its index), or
 *   repeats a clientId.
 * @throws {ApiError} when Backpack rejects the batch as a whole.
 * @throws {HttpError} for a 4xx without Backpack's JSON body.
 * @throws {SigningError} when a custom signer fails.
 * @throws {OrderStateUnknownError} on an unresolved ambiguous failure (see
 *   its `orderLookups`).
 * @see https://docs.backpack.exchange/#tag/Order/operation/execute_order_batch
 * @example
 * ```ts
 * import { createBackpackClient, executeOrders } from '@rung/backpack-sdk'
 *
 * const client = createBackpackClient({ secretKey: process.env.BACKPACK_API_SECRET })
 * const results = await executeOrders(client, [
 *   { symbol: 'SOL_USDC', side: 'Bid', orderType: 'Limit', price: '141', quantity: '1' },
 *   { symbol: 'SOL_USDC', side: 'Bid', orderType: 'Limit', price: '140', quantity: '1' },
 * ])
 * for (const r of results) if ('code' in r) console.warn(r.code, r.message)
 * ```
 */
export async function executeOrders(
  client: BackpackRequester,
  orders: ExecuteOrdersParameters,
  options?: RequestOptions,
): Promise<ExecuteOrdersReturnType> {
  if (!Array.isArray(orders) || orders.length === 0) {
    throw new ValidationError(
      `\`orders\` must be a non-empty array of order requests; got ${Array.isArray(orders) ? 'an empty array' : describeValue(orders)}.`,
      { field: 'orders' },
    )
  }
  const bodies: OrderBody[] = orders.map((o, i) => orderBody(o, `orders[${i}]`))
  const seen = new Set<number>()
  bodies.forEach((b, i) => {
    if (seen.has(b.clientId)) {
      throw new ValidationError(
        `\`orders[${i}].clientId\` ${b.clientId} repeats an earlier order's clientId; each order needs its own.`,
        { field: `orders[${i}].clientId` },
      )
    }
    seen.add(b.clientId)
  })

  try {
    return await client.request<BatchOrderResult[]>(
      { method: 'POST', path: '/api/v1/orders', body: bodies, auth: true },
      options,
    )
  } catch (error) {
    if (!isAmbiguous(error)) throw error
    const symbols = [...new Set(bodies.map((b) => b.symbol))]
    const found: BatchOrderResult[] = []
    const lookups: OrderLookup[] = []
    for (const [index, symbol] of symbols.entries()) {
      const ids = bodies
        .filter((b) => b.symbol === symbol)
        .map((b) => b.clientId)
      // Only the first symbol waits out the signing window; it has passed
      // for the rest by then.
      lookups.push(
        ...(await resolveAmbiguous(
          client,
          error,
          symbol,
          ids,
          options,
          index === 0,
        )),
      )
    }
    for (const body of bodies) {
      const lookup = lookups.find((l) => l.clientId === body.clientId)
      if (lookup?.outcome !== 'found' || !lookup.order) {
        throw new OrderStateUnknownError({
          cause: error,
          orderLookups: lookups,
        })
      }
      found.push(lookup.order)
    }
    return found
  }
}
