/**
 * Parameter checks shared by the endpoint functions. Each throws a
 * {@link ValidationError} naming the field and the fix, before anything is
 * signed or sent.
 *
 * @internal
 * @module
 */
import { compareDecimals, isDecimalString } from '../decimal/decimal.js'
import { ValidationError } from '../errors/inputErrors.js'

/** Largest uint32: Backpack's `clientId` range is 0 to this. @internal */
export const MAX_CLIENT_ID = 4_294_967_295

/** @internal */
export function describeValue(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'string') {
    return value.length > 40
      ? `a ${value.length}-character string`
      : JSON.stringify(value)
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return `${typeof value} ${String(value)}`
  }
  return typeof value
}

/** The params argument must be a plain object. @internal */
export function requireObject(
  value: unknown,
  field = 'params',
): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ValidationError(
      `\`${field}\` must be an object; got ${describeValue(value)}.`,
      { field },
    )
  }
  return value as Record<string, unknown>
}

/** Optional params: `undefined` becomes `{}`. @internal */
export function optionalObject(
  value: unknown,
  field = 'params',
): Record<string, unknown> {
  return value === undefined ? {} : requireObject(value, field)
}

/** A market symbol such as `SOL_USDC` or `NVDA.US_USDC_PERP`. @internal */
export function requireSymbol(value: unknown, field = 'symbol'): string {
  if (typeof value !== 'string' || !/^[A-Za-z0-9._-]+$/.test(value)) {
    throw new ValidationError(
      `\`${field}\` must be a market symbol like "SOL_USDC"; got ${describeValue(value)}.`,
      { field },
    )
  }
  return value
}

/** @internal */
export function optionalSymbol(value: unknown, field = 'symbol') {
  return value === undefined ? undefined : requireSymbol(value, field)
}

/** A non-empty string without control characters. @internal */
export function optionalString(value: unknown, field: string) {
  if (value === undefined) return undefined
  if (typeof value !== 'string' || value === '' || hasControlCharacter(value)) {
    throw new ValidationError(
      `\`${field}\` must be a non-empty string; got ${describeValue(value)}.`,
      { field },
    )
  }
  return value
}

/** One of a fixed set of strings. @internal */
export function requireEnum<T extends string>(
  value: unknown,
  allowed: readonly T[],
  field: string,
): T {
  if (
    typeof value !== 'string' ||
    !(allowed as readonly string[]).includes(value)
  ) {
    throw new ValidationError(
      `\`${field}\` must be one of ${allowed.map((a) => `'${a}'`).join(', ')}; got ${describeValue(value)}.`,
      { field },
    )
  }
  return value as T
}

/** @internal */
export function optionalEnum<T extends string>(
  value: unknown,
  allowed: readonly T[],
  field: string,
): T | undefined {
  return value === undefined ? undefined : requireEnum(value, allowed, field)
}

/** An integer in `[min, max]`. @internal */
export function requireInteger(
  value: unknown,
  field: string,
  min: number,
  max: number = Number.MAX_SAFE_INTEGER,
): number {
  if (
    typeof value !== 'number' ||
    !Number.isSafeInteger(value) ||
    value < min ||
    value > max
  ) {
    throw new ValidationError(
      `\`${field}\` must be an integer from ${min} to ${max}; got ${describeValue(value)}.`,
      { field },
    )
  }
  return value
}

/** @internal */
export function optionalInteger(
  value: unknown,
  field: string,
  min: number,
  max?: number,
): number | undefined {
  return value === undefined
    ? undefined
    : requireInteger(value, field, min, max)
}

/** @internal */
export function optionalBoolean(
  value: unknown,
  field: string,
): boolean | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'boolean') {
    throw new ValidationError(
      `\`${field}\` must be true or false; got ${describeValue(value)}.`,
      { field },
    )
  }
  return value
}

/** A strictly positive decimal string. @internal */
export function requirePositiveDecimal(value: unknown, field: string): string {
  if (!isDecimalString(value) || compareDecimals(value, '0') <= 0) {
    throw new ValidationError(
      `\`${field}\` must be a positive decimal string like "141.50" (no exponent, no number type); got ${describeValue(value)}.`,
      { field },
    )
  }
  return value
}

/** @internal */
export function optionalPositiveDecimal(
  value: unknown,
  field: string,
): string | undefined {
  return value === undefined ? undefined : requirePositiveDecimal(value, field)
}

/**
 * The keys both history endpoints (orders, fills) take, in the order their
 * query sends them: the `head` filters first, the `paging` keys last (each
 * endpoint's own keys go between). @internal
 */
export const HISTORY_KEYS = {
  head: ['orderId', 'strategyId'],
  paging: ['marketType', 'limit', 'offset', 'sortDirection'],
} as const

/** The order and strategy filters of a history query. @internal */
export function historyHead(p: Record<string, unknown>) {
  return {
    orderId: optionalString(p.orderId, 'orderId'),
    strategyId: optionalString(p.strategyId, 'strategyId'),
  }
}

/**
 * The market type and paging of a history query: `limit` 1 to 1000,
 * `offset` from 0, `sortDirection` `Asc` or `Desc` (all optional).
 * @internal
 */
export function historyPaging(p: Record<string, unknown>) {
  return {
    marketType: optionalString(p.marketType, 'marketType'),
    limit: optionalInteger(p.limit, 'limit', 1, 1000),
    offset: optionalInteger(p.offset, 'offset', 0),
    sortDirection: optionalEnum(
      p.sortDirection,
      ['Asc', 'Desc'],
      'sortDirection',
    ),
  }
}

/** Rejects keys the endpoint does not know (catches typos like `qty`). @internal */
export function rejectUnknownKeys(
  params: Record<string, unknown>,
  known: readonly string[],
  field = 'params',
): void {
  for (const key of Object.keys(params)) {
    if (!known.includes(key)) {
      throw new ValidationError(
        `\`${field}\` has an unknown key \`${key}\`; expected only ${known.map((k) => `\`${k}\``).join(', ')}.`,
        { field: `${field}.${key}` },
      )
    }
  }
}

/** `orderId` xor `clientId`. @internal */
export function requireOrderIdentifier(
  params: Record<string, unknown>,
  field = 'params',
): { orderId?: string; clientId?: number } {
  const hasOrderId = params.orderId !== undefined
  const hasClientId = params.clientId !== undefined
  if (hasOrderId === hasClientId) {
    throw new ValidationError(
      `\`${field}\` needs exactly one of \`orderId\` or \`clientId\`.`,
      { field: `${field}.orderId` },
    )
  }
  if (hasOrderId) {
    const orderId = params.orderId
    if (typeof orderId !== 'string' || !/^\d+$/.test(orderId)) {
      throw new ValidationError(
        `\`orderId\` must be a string of digits like "4227701917"; got ${describeValue(orderId)}.`,
        { field: 'orderId' },
      )
    }
    return { orderId }
  }
  return {
    clientId: requireInteger(params.clientId, 'clientId', 0, MAX_CLIENT_ID),
  }
}

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++)
    if (text.charCodeAt(i) < 0x20) return true
  return false
}
