/**
 * Fault injection: the settings and their checks (wherever they come from:
 * `SimOptions.faults`, `Sim.setFaults`, `POST /_sim/faults`; anything
 * outside the shapes listed here throws a {@link SimError} naming the
 * field), the active faults, and for each request whether one fires (a
 * failed answer, a lost answer, a delay). The server asks
 * {@link FaultState} before and after it executes a request.
 *
 * @internal
 */
import { SimError } from './errors.js'
import { isInt, isObject, list, shown } from './input.js'

/** Fault injection settings; see `docs/simulator.md`. */
export interface SimFaults {
  /** Delay every REST response by this many ms (an integer). @defaultValue `0` */
  delayMs?: number | undefined
  /**
   * Answer the next `count` matching requests with `status` (429 adds
   * `Retry-After`; 5xx answers `SERVER_ERROR`, 503 `MAINTENANCE`), without
   * executing them.
   */
  failNext?:
    | {
        /** How many requests to fail. */
        count: number
        /** HTTP status: 429 or 5xx. */
        status: number
        /** Seconds for the `Retry-After` header of a 429. @defaultValue `1` */
        retryAfterSec?: number | undefined
        /** Only requests to this exact path (e.g. `/api/v1/order`). */
        path?: string | undefined
        /** Only requests with this method. */
        method?: string | undefined
      }
    | undefined
  /**
   * Execute the next `count` matching requests (the order IS placed) but
   * lose the answer: `destroy` closes the socket, `504` answers a gateway
   * timeout.
   */
  loseResponses?:
    | {
        /** How many responses to lose. */
        count: number
        /** How the answer is lost. @defaultValue `"destroy"` */
        mode?: 'destroy' | '504' | undefined
        /** Only requests to this exact path. */
        path?: string | undefined
        /** Only requests with this method. */
        method?: string | undefined
      }
    | undefined
  /** Split every match into this many partial fills (1 to 1000). @defaultValue `1` */
  splitFills?: number | undefined
}

const FAULTS = ['delayMs', 'failNext', 'loseResponses', 'splitFills'] as const
const FAIL_NEXT = ['count', 'status', 'retryAfterSec', 'path', 'method']
const LOSE = ['count', 'mode', 'path', 'method']
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']
/** setTimeout's largest delay; above it Node fires at once. */
const MAX_DELAY_MS = 2_147_483_647
/** Most partial fills one match may be split into. */
export const MAX_SPLIT_FILLS = 1000

/** A `failNext` or `loseResponses` rule: known keys, a count, and optionally a path and a method. */
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

/** Whether a rule's optional path and method match a request. */
function matches(
  rule: { path?: string | undefined; method?: string | undefined },
  method: string,
  path: string,
): boolean {
  return (
    (rule.path === undefined || rule.path === path) &&
    (rule.method === undefined || rule.method.toUpperCase() === method)
  )
}

/** The answer a `failNext` fault gives instead of executing a request. */
export interface FailedAnswer {
  /** HTTP status: 429 or 5xx. */
  status: number
  /** Seconds for the `Retry-After` header of a 429. */
  retryAfterSec: number | undefined
}

/** The active faults of one simulator. */
export class FaultState {
  private faults: SimFaults

  /**
   * @param initial - The faults active from the start (checked).
   * @param onSplitFills - Told the `splitFills` setting whenever it changes.
   */
  constructor(
    initial: unknown,
    private readonly onSplitFills: (parts: number) => void,
  ) {
    this.faults = checkFaults(initial, 'faults.')
    onSplitFills(this.faults.splitFills ?? 1)
  }

  /**
   * Replaces the active faults.
   *
   * @throws {SimError} naming the field; the active faults are then kept.
   */
  set(f: unknown): void {
    this.faults = checkFaults(f)
    this.onSplitFills(this.faults.splitFills ?? 1)
  }

  /** A copy of the active faults. */
  get(): SimFaults {
    return structuredClone(this.faults)
  }

  /** The delay before a REST request is executed, ms (0 for none). */
  delayMs(): number {
    return this.faults.delayMs ?? 0
  }

  /**
   * Whether a `failNext` fault fires for this request; if so it uses up one
   * of its count and returns the answer to give.
   */
  takeFailure(method: string, path: string): FailedAnswer | undefined {
    const fail = this.take('failNext', method, path)
    return fail && { status: fail.status, retryAfterSec: fail.retryAfterSec }
  }

  /**
   * Whether a `loseResponses` fault fires for this (executed) request; if so
   * it uses up one of its count and returns how the answer is lost.
   */
  takeLoss(method: string, path: string): 'destroy' | '504' | undefined {
    const lose = this.take('loseResponses', method, path)
    return lose && (lose.mode ?? 'destroy')
  }

  /** Uses up one count of a rule that matches the request (clearing it at 0). */
  private take<K extends 'failNext' | 'loseResponses'>(
    key: K,
    method: string,
    path: string,
  ): SimFaults[K] {
    const rule = this.faults[key]
    if (!(rule && rule.count > 0 && matches(rule, method, path))) {
      return undefined
    }
    rule.count -= 1
    if (rule.count <= 0) this.faults[key] = undefined
    return rule
  }
}
