/**
 * The parse stage of a request: what the exchange's payload types refuse
 * before anything else looks at the request (reference §5.1's "parse request
 * payload" errors). A body of the wrong JSON shape, or a non-integer where
 * an integer is expected, answers 400 `INVALID_CLIENT_REQUEST` naming the
 * field, before the signature is checked: such a body has no canonical
 * signing string to check it against.
 *
 * @internal
 */
import { type ApiFailure, bad } from './errors.js'

/** Largest `clientId` (uint32). */
export const U32_MAX = 4_294_967_295
const U16_MAX = 65_535

/** A value for an error message: JSON text, long strings cut short. */
export function shown(value: unknown): string {
  if (value === undefined) return 'undefined'
  if (typeof value === 'number' && !Number.isFinite(value)) {
    return String(value)
  }
  let text: string
  try {
    text = JSON.stringify(value) ?? String(value)
  } catch {
    text = String(value)
  }
  return text.length > 40 ? `${text.slice(0, 40)}…` : text
}

/** What a JSON value is, for "got …" in a message. */
export function describeJson(value: unknown): string {
  if (value === undefined) return 'no body'
  if (value === null) return 'null'
  if (Array.isArray(value)) {
    return value.length === 0 ? 'an empty array' : 'an array'
  }
  switch (typeof value) {
    case 'string':
      return 'a string'
    case 'number':
      return 'a number'
    case 'boolean':
      return 'a boolean'
    default:
      return 'an object'
  }
}

/** A JSON object (not null, not an array). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function invalid(message: string): ApiFailure {
  return bad('INVALID_CLIENT_REQUEST', message)
}

type IntegerRule = (value: unknown, field: string) => void

const integer =
  (max: number): IntegerRule =>
  (value, field) => {
    if (
      typeof value !== 'number' ||
      !Number.isInteger(value) ||
      value < 0 ||
      value > max
    ) {
      throw invalid(
        `\`${field}\` must be an integer from 0 to ${max}; got ${shown(value)}`,
      )
    }
  }

/** A JSON integer, or (as some clients send on cancel) a string of digits. */
const integerOrDigits =
  (max: number): IntegerRule =>
  (value, field) => {
    if (typeof value === 'string' && value !== '') {
      if (!/^\d+$/.test(value) || Number(value) > max) {
        throw invalid(
          `\`${field}\` must be an integer from 0 to ${max}; got ${shown(value)}`,
        )
      }
      return
    }
    if (value !== '') integer(max)(value, field)
  }

const orderId: IntegerRule = (value, field) => {
  if (value === '' || typeof value === 'string') return
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw invalid(
      `\`${field}\` must be an order id such as "1234" (a string or an integer); got ${shown(value)}`,
    )
  }
}

const ORDER_FIELDS: Record<string, IntegerRule> = {
  clientId: integer(U32_MAX),
  brokerId: integer(U16_MAX),
}

/** Integer-typed body fields of each simulated signed route. */
const BODY_FIELDS: Record<string, Record<string, IntegerRule>> = {
  'POST /api/v1/order': ORDER_FIELDS,
  'DELETE /api/v1/order': {
    clientId: integerOrDigits(U32_MAX),
    orderId,
  },
}

function checkFields(
  body: Record<string, unknown>,
  rules: Record<string, IntegerRule> | undefined,
  prefix: string,
): void {
  if (!rules) return
  for (const [field, rule] of Object.entries(rules)) {
    const value = body[field]
    if (value !== undefined && value !== null) rule(value, prefix + field)
  }
}

/**
 * Checks the JSON body of a signed, non-GET request: a non-empty array of
 * order objects for the batch route, an object (or no body) everywhere
 * else, and the integer fields of the simulated routes.
 *
 * @param route - `"<METHOD> <path>"`, path without a trailing slash.
 * @param body - The parsed JSON body, `undefined` when there was none.
 * @throws {ApiFailure} 400 `INVALID_CLIENT_REQUEST` naming the field.
 */
export function checkBody(route: string, body: unknown): void {
  if (route === 'POST /api/v1/orders') {
    if (!Array.isArray(body) || body.length === 0) {
      throw invalid(
        `The request body of ${route} must be a non-empty JSON array of order objects; got ${describeJson(body)}`,
      )
    }
    body.forEach((item: unknown, i) => {
      if (!isObject(item)) {
        throw invalid(
          `\`[${i}]\` of the batch must be an order object; got ${describeJson(item)}`,
        )
      }
      checkFields(item, ORDER_FIELDS, `[${i}].`)
    })
    return
  }
  if (body === undefined) return
  if (!isObject(body)) {
    throw invalid(
      `The request body of ${route} must be a JSON object; got ${describeJson(body)}`,
    )
  }
  checkFields(body, BODY_FIELDS[route], '')
}

/** `a`, `a or b`, `a, b or c`. */
export function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join('')
  return `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`
}

/** Whether `v` is an integer from `min` to `max`. */
export function isInt(v: unknown, min: number, max: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max
}
