// Shaped like every endpoint file on purpose (check, then one request; one
// tree-shakable, documented function per file): see docs/contributing.md.
import {
  HISTORY_KEYS,
  historyHead,
  historyPaging,
  optionalEnum,
  optionalInteger,
  optionalObject,
  optionalSymbol,
  rejectUnknownKeys,
} from '../../internal/validate.js'
import type { BackpackRequester, RequestErrorType } from '../../rest/request.js'
import type { RequestOptions } from '../../types/common.js'
import type {
  FillType,
  GetFillHistoryParameters,
  GetFillHistoryReturnType,
} from '../../types/private.js'

const FILL_TYPES: readonly FillType[] = [
  'User',
  'BookLiquidation',
  'Adl',
  'Backstop',
  'Liquidation',
  'AllLiquidation',
  'CollateralConversion',
  'CollateralConversionAndSpotLiquidation',
]

/**
 * The errors {@link getFillHistory} can throw: those of any REST call
 * ({@link RequestErrorType}).
 */
export type GetFillHistoryErrorType = RequestErrorType

/**
 * Pages through fills (`GET /wapi/v1/history/fills`, instruction `fillHistoryQueryAll`).
 *
 * Includes system fills (liquidations, conversions) unless `fillType: 'User'`. `from`/`to` are in ms; `timestamp` on rows is a naive UTC datetime string.
 *
 * @param client - A client from `createBackpackClient` (or any {@link BackpackRequester}).
 * @param params - Optional filters.
 * @param options - Abort signal and per-call timeout.
 * @returns A page of fills.
 * @throws {GetFillHistoryErrorType} one of the errors listed here.
 * @throws {ValidationError} before any I/O when a parameter is malformed or the client has no `secretKey`.
 * @throws {ApiError} when Backpack answers with its JSON error body.
 * @throws {HttpError} on any other non-2xx answer.
 * @throws {TimeoutError} / {NetworkError} when no answer arrives (GETs are retried first).
 * @see https://docs.backpack.exchange/#tag/History/operation/get_fills
 * @example
 * ```ts
 * import { createBackpackClient, getFillHistory } from '@rung/backpack-sdk'
 *
 * const client = createBackpackClient({ secretKey: process.env.BACKPACK_API_SECRET })
 * const fills = await getFillHistory(client, { symbol: 'SOL_USDC', fillType: 'User' })
 * ```
 */
export async function getFillHistory(
  client: BackpackRequester,
  params?: GetFillHistoryParameters | undefined,
  options?: RequestOptions,
): Promise<GetFillHistoryReturnType> {
  const p = optionalObject(params)
  rejectUnknownKeys(p, [
    ...HISTORY_KEYS.head,
    'from',
    'to',
    'symbol',
    'fillType',
    ...HISTORY_KEYS.paging,
  ])
  const query = {
    ...historyHead(p),
    from: optionalInteger(p.from, 'from', 0),
    to: optionalInteger(p.to, 'to', 0),
    symbol: optionalSymbol(p.symbol),
    fillType: optionalEnum(p.fillType, FILL_TYPES, 'fillType'),
    ...historyPaging(p),
  }
  return client.request<GetFillHistoryReturnType>(
    { method: 'GET', path: '/wapi/v1/history/fills', query: query, auth: true },
    options,
  )
}
