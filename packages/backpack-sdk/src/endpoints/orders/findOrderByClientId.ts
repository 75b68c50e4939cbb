import {
  ApiError,
  HttpError,
  NetworkError,
  TimeoutError,
} from '../../errors/httpErrors.js'
import type { ValidationError } from '../../errors/inputErrors.js'
import type { OrderLookup } from '../../errors/orderStateUnknownError.js'
import {
  MAX_CLIENT_ID,
  requireInteger,
  requireObject,
  requireSymbol,
} from '../../internal/validate.js'
import type { BackpackRequester } from '../../rest/request.js'
import type { RequestOptions } from '../../types/common.js'
import type { Order, OrderHistoryEntry } from '../../types/private.js'

/** Parameters of {@link findOrderByClientId}. */
export interface FindOrderByClientIdParameters {
  /** Market symbol. */
  symbol: string
  /** The uint32 `clientId` the order was placed with. */
  clientId: number
}

/** Return type of {@link findOrderByClientId}. */
export type FindOrderByClientIdReturnType = OrderLookup

/**
 * The errors {@link findOrderByClientId} can throw: only bad input (a
 * failed lookup is the outcome `failed`, not an error).
 */
export type FindOrderByClientIdErrorType = ValidationError

/**
 * Finds an order by `clientId` wherever it is: resting on the book, among the
 * open orders, or in order history (filled, cancelled, expired).
 *
 * Steps, stopping at the first hit:
 * 1. `GET /api/v1/order?symbol&clientId` (resting orders; 404 otherwise);
 * 2. `GET /api/v1/orders?symbol` (open orders, incl. pending triggers);
 * 3. `GET /wapi/v1/history/orders?symbol&limit=1000&sortDirection=Desc`.
 *
 * The result is `found` (with the order), `notFound` (every step answered
 * and none has it) or `failed` (some step errored, so the order may exist).
 * No step is retried blindly; none places anything.
 *
 * @param client - A client with a `secretKey`.
 * @param params - Symbol and clientId.
 * @param options - Abort signal and timeout per lookup request.
 * @returns The lookup outcome; never throws for lookup failures.
 * @throws {FindOrderByClientIdErrorType} one of the errors listed here.
 * @throws {ValidationError} when the parameters are malformed or the client
 *   has no secret key.
 * @example
 * ```ts
 * import { createBackpackClient, findOrderByClientId } from '@rung/backpack-sdk'
 *
 * const client = createBackpackClient({ secretKey: process.env.BACKPACK_API_SECRET })
 * const lookup = await findOrderByClientId(client, { symbol: 'SOL_USDC', clientId: 42 })
 * if (lookup.outcome === 'found') console.log(lookup.order?.status)
 * ```
 */
export async function findOrderByClientId(
  client: BackpackRequester,
  params: FindOrderByClientIdParameters,
  options?: RequestOptions,
): Promise<FindOrderByClientIdReturnType> {
  const p = requireObject(params)
  const symbol = requireSymbol(p.symbol)
  const clientId = requireInteger(p.clientId, 'clientId', 0, MAX_CLIENT_ID)
  const [lookup] = await lookupOrders(client, symbol, [clientId], options)
  return lookup!
}

/**
 * The same lookup for several clientIds of one symbol, sharing the open-orders
 * and history requests. @internal
 */
export async function lookupOrders(
  client: BackpackRequester,
  symbol: string,
  clientIds: readonly number[],
  options?: RequestOptions,
): Promise<OrderLookup[]> {
  const results = new Map<number, OrderLookup>()
  const failed = new Set<number>()
  const pending = () => clientIds.filter((id) => !results.has(id))

  // 1. Resting orders, one request each.
  for (const clientId of clientIds) {
    try {
      const order = await client.request<Order>(
        {
          method: 'GET',
          path: '/api/v1/order',
          query: { symbol, clientId },
          auth: true,
          retry: false,
        },
        options,
      )
      results.set(clientId, { clientId, outcome: 'found', order })
    } catch (error) {
      if (!isNotFound(error)) {
        if (!isTransportFailure(error)) throw error
        failed.add(clientId)
      }
    }
  }

  /**
   * Looks the ids still pending up in one list of orders: a row whose
   * clientId is pending is found (as `toOrder` makes it an Order); when the
   * list cannot be fetched, every pending id is marked failed.
   */
  const scan = async <Row extends { clientId?: number | null | undefined }>(
    path: string,
    query: Record<string, unknown>,
    toOrder: (row: Row) => Order,
  ): Promise<void> => {
    if (pending().length === 0) return
    try {
      const rows = await client.request<Row[]>(
        { method: 'GET', path, query, auth: true, retry: false },
        options,
      )
      for (const row of Array.isArray(rows) ? rows : []) {
        const id = row.clientId
        if (typeof id === 'number' && pending().includes(id)) {
          results.set(id, {
            clientId: id,
            outcome: 'found',
            order: toOrder(row),
          })
        }
      }
    } catch (error) {
      if (!isTransportFailure(error)) throw error
      for (const id of pending()) failed.add(id)
    }
  }

  // 2. Open orders (also lists pending trigger orders).
  await scan<Order>('/api/v1/orders', { symbol }, (order) => order)
  // 3. History: filled, cancelled or expired orders.
  await scan<OrderHistoryEntry>(
    '/wapi/v1/history/orders',
    { symbol, limit: 1000, sortDirection: 'Desc' },
    historyToOrder,
  )

  return clientIds.map(
    (clientId) =>
      results.get(clientId) ?? {
        clientId,
        outcome: failed.has(clientId) ? 'failed' : 'notFound',
      },
  )
}

function isNotFound(error: unknown): boolean {
  return (
    (error instanceof HttpError && error.status === 404) ||
    (error instanceof ApiError && error.code === 'RESOURCE_NOT_FOUND')
  )
}

/** Errors that leave the lookup inconclusive (vs. programming errors). */
function isTransportFailure(error: unknown): boolean {
  return (
    error instanceof TimeoutError ||
    error instanceof NetworkError ||
    error instanceof HttpError
  )
}

/**
 * History rows carry `createdAt` as a naive UTC datetime string; an Order
 * carries ms. Converted so callers get one shape.
 */
function historyToOrder(row: OrderHistoryEntry): Order {
  const createdAt = Date.parse(
    /[zZ]|[+-]\d\d:?\d\d$/.test(row.createdAt)
      ? row.createdAt
      : `${row.createdAt}Z`,
  )
  const common = {
    id: row.id,
    clientId: row.clientId ?? null,
    symbol: row.symbol,
    side: row.side,
    createdAt: Number.isNaN(createdAt) ? 0 : createdAt,
    executedQuantity: row.executedQuantity ?? '0',
    executedQuoteQuantity: row.executedQuoteQuantity ?? '0',
    timeInForce: row.timeInForce,
    selfTradePrevention: row.selfTradePrevention,
    status: row.status,
    triggerPrice: row.triggerPrice ?? null,
    triggerQuantity: row.triggerQuantity ?? null,
  }
  if (row.orderType === 'Limit') {
    return {
      ...common,
      orderType: 'Limit',
      price: row.price ?? '0',
      quantity: row.quantity ?? '0',
      postOnly: row.postOnly ?? false,
    }
  }
  return {
    ...common,
    orderType: 'Market',
    quantity: row.quantity ?? null,
    quoteQuantity: row.quoteQuantity ?? null,
  }
}
