/**
 * Input checks of the admin API (`/_sim/…`) and of the matching `Sim`
 * methods: every shape the admin API accepts is listed here, and anything
 * else throws a {@link SimError} naming the field (the admin API answers it
 * as 400 `INVALID_CLIENT_REQUEST`).
 *
 * @internal
 */
import { SimError } from './errors.js'
import { describeJson, isObject, shown } from './input.js'
import type { SimFaults } from './sim.js'

/** `a`, `a or b`, `a, b or c`. */
function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join('')
  return `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`
}

/**
 * The JSON object body of an admin route, with no key outside `allowed`
 * (any keys when `allowed` is undefined: the caller checks them). No body at
 * all is an empty object.
 */
export function adminBody(
  route: string,
  body: unknown,
  allowed: readonly string[] | undefined,
): Record<string, unknown> {
  if (body === undefined) return {}
  if (!isObject(body)) {
    throw new SimError(
      `The body of ${route} must be a JSON object; got ${describeJson(body)}`,
    )
  }
  for (const key of allowed === undefined ? [] : Object.keys(body)) {
    if (!allowed?.includes(key)) {
      throw new SimError(
        `\`${key}\` is not a field of ${route}: ${allowed?.length ? `use ${list(allowed)}` : 'it takes none'}`,
      )
    }
  }
  return body
}

/** Refuses query parameters outside `allowed`. */
export function adminQuery(
  route: string,
  query: URLSearchParams,
  allowed: readonly string[],
): void {
  for (const key of query.keys()) {
    if (!allowed.includes(key)) {
      throw new SimError(
        `\`${key}\` is not a query parameter of ${route}: ${allowed.length === 0 ? 'it takes none' : `use ${list(allowed)}`}`,
      )
    }
  }
}

const FAULTS = ['delayMs', 'failNext', 'loseResponses', 'splitFills'] as const
const FAIL_NEXT = ['count', 'status', 'retryAfterSec', 'path', 'method']
const LOSE = ['count', 'mode', 'path', 'method']
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']
/** setTimeout's largest delay; above it Node fires at once. */
const MAX_DELAY_MS = 2_147_483_647
/** Most partial fills one match may be split into. */
export const MAX_SPLIT_FILLS = 1000

function isInt(v: unknown, min: number, max: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max
}

function rule(
  value: unknown,
  name: string,
  example: string,
  keys: readonly string[],
): Record<string, unknown> {
  if (!isObject(value)) {
    throw new SimError(
      `\`${name}\` must be an object such as ${example}, or null to clear it; got ${shown(value)}`,
    )
  }
  const bare = name.slice(name.lastIndexOf('.') + 1)
  for (const key of Object.keys(value)) {
    if (!keys.includes(key)) {
      throw new SimError(
        `\`${name}.${key}\` is not a setting of ${bare}: use ${list(keys)}`,
      )
    }
  }
  const count = value.count
  if (!isInt(count, 1, Number.MAX_SAFE_INTEGER)) {
    throw new SimError(
      `\`${name}.count\` must be an integer of at least 1; got ${shown(count)}`,
    )
  }
  const { path, method } = value
  if (
    path !== undefined &&
    (typeof path !== 'string' || !path.startsWith('/'))
  ) {
    throw new SimError(
      `\`${name}.path\` must be a path starting with "/", such as "/api/v1/order"; got ${shown(path)}`,
    )
  }
  if (
    method !== undefined &&
    (typeof method !== 'string' || !METHODS.includes(method.toUpperCase()))
  ) {
    throw new SimError(
      `\`${name}.method\` must be one of ${METHODS.join(', ')}; got ${shown(method)}`,
    )
  }
  return value
}

/**
 * Checks fault settings and returns a copy holding only the set faults
 * (`null` or `undefined` leave a fault out).
 *
 * @param value - The settings, as given.
 * @param prefix - Put before every field name, e.g. `"faults."`.
 * @throws {SimError} naming the first bad field.
 */
export function checkFaults(value: unknown, prefix = ''): SimFaults {
  if (!isObject(value)) {
    throw new SimError(
      `\`${prefix ? prefix.slice(0, -1) : 'faults'}\` must be an object such as {"delayMs":100}; got ${shown(value)}`,
    )
  }
  for (const key of Object.keys(value)) {
    if (!(FAULTS as readonly string[]).includes(key)) {
      throw new SimError(
        `\`${prefix}${key}\` is not a fault: use ${list(FAULTS)}`,
      )
    }
  }
  const out: SimFaults = {}
  const { delayMs, splitFills, failNext, loseResponses } = value
  if (delayMs !== undefined && delayMs !== null) {
    if (!isInt(delayMs, 0, MAX_DELAY_MS)) {
      throw new SimError(
        `\`${prefix}delayMs\` must be an integer number of milliseconds from 0 to ${MAX_DELAY_MS}; got ${shown(delayMs)}`,
      )
    }
    out.delayMs = delayMs
  }
  if (splitFills !== undefined && splitFills !== null) {
    if (!isInt(splitFills, 1, MAX_SPLIT_FILLS)) {
      throw new SimError(
        `\`${prefix}splitFills\` must be an integer from 1 to ${MAX_SPLIT_FILLS}; got ${shown(splitFills)}`,
      )
    }
    out.splitFills = splitFills
  }
  if (failNext !== undefined && failNext !== null) {
    const name = `${prefix}failNext`
    const r = rule(failNext, name, '{"count":1,"status":429}', FAIL_NEXT)
    const { status, retryAfterSec } = r
    if (!(status === 429 || isInt(status, 500, 599))) {
      throw new SimError(
        `\`${name}.status\` must be 429 or an integer from 500 to 599; got ${shown(status)}`,
      )
    }
    if (
      retryAfterSec !== undefined &&
      !isInt(retryAfterSec, 0, Number.MAX_SAFE_INTEGER)
    ) {
      throw new SimError(
        `\`${name}.retryAfterSec\` must be an integer number of seconds of at least 0; got ${shown(retryAfterSec)}`,
      )
    }
    out.failNext = structuredClone(r) as NonNullable<SimFaults['failNext']>
  }
  if (loseResponses !== undefined && loseResponses !== null) {
    const name = `${prefix}loseResponses`
    const r = rule(loseResponses, name, '{"count":1}', LOSE)
    if (r.mode !== undefined && r.mode !== 'destroy' && r.mode !== '504') {
      throw new SimError(
        `\`${name}.mode\` must be "destroy" or "504"; got ${shown(r.mode)}`,
      )
    }
    out.loseResponses = structuredClone(r) as NonNullable<
      SimFaults['loseResponses']
    >
  }
  return out
}

/** Largest `steps` of one step call. */
export const MAX_STEPS = 10_000
/** Largest `seconds` of one step. */
export const MAX_STEP_SECONDS = 86_400

/**
 * Checks the arguments of a feed step.
 *
 * @throws {SimError} naming `steps` or `seconds`.
 */
export function checkStep(steps: unknown, seconds: unknown): void {
  if (!isInt(steps, 1, MAX_STEPS)) {
    throw new SimError(
      `\`steps\` must be an integer from 1 to ${MAX_STEPS}; got ${shown(steps)}`,
    )
  }
  if (
    typeof seconds !== 'number' ||
    !(seconds > 0 && seconds <= MAX_STEP_SECONDS)
  ) {
    throw new SimError(
      `\`seconds\` must be a number of simulated seconds above 0 and at most ${MAX_STEP_SECONDS}; got ${shown(seconds)}`,
    )
  }
}
