import { ValidationError } from '../errors/inputErrors.js'

/**
 * Largest `X-Window` Backpack accepts (in ms), reference §2.2 (cap added
 * 2024-02-24).
 */
export const MAX_WINDOW_MS = 60_000

/** Request parameters as they go into the signing string. */
export type SigningParams = Record<string, unknown>

/** Arguments of {@link buildSigningPayload}. */
export interface BuildSigningPayloadArgs {
  /** The endpoint's instruction, e.g. `orderExecute` (see {@link instructionFor}). */
  instruction: string
  /**
   * The query parameters (GET) or the top-level JSON body keys (POST, DELETE,
   * PATCH). An array means a batch: one `instruction=…` block per element
   * (reference §2.4).
   */
  params?: SigningParams | readonly SigningParams[] | undefined
  /** `X-Timestamp`: Unix time in ms. */
  timestamp: number
  /** `X-Window`: validity window in ms, 1 to 60000. */
  windowMs: number
}

/** The errors {@link buildSigningPayload} can throw (bad input). */
export type BuildSigningPayloadErrorType = ValidationError

/**
 * Builds the exact string Backpack expects to be signed (reference §2.3, §2.4).
 *
 * Rules, in order:
 * 1. `undefined` and `null` values are dropped, as every reference client does.
 * 2. Keys are sorted by UTF-16 code units (default `Array#sort`, which equals
 *    Rust's `BTreeMap` order for the ASCII keys Backpack uses), never
 *    `localeCompare`.
 * 3. Values render as: strings raw (no quotes, no URL-encoding; `"141.50"`
 *    stays `141.50`), booleans `true`/`false`, integers (safe-integer numbers
 *    or bigints) as decimal text.
 * 4. Nested objects and arrays (e.g. `recipientInformation` on withdraw)
 *    render as their compact JSON text, which is what the official Rust client
 *    signs. The server's rule is UNCONFIRMED (reference §2.3); we follow the
 *    official client because it is the one Backpack maintains.
 * 5. `instruction=<instr>[&k=v…]`, once per batch element, joined by `&`, then
 *    `&timestamp=<ts>&window=<w>` once at the end.
 *
 * Non-integer numbers are rejected: a decimal must be sent as a string so the
 * signed text and the wire text agree exactly (reference §2.3 "Decimals as
 * JSON numbers").
 *
 * @param args - Instruction, params (object or batch array), timestamp and
 *   window.
 * @returns The canonical signing string.
 * @throws {BuildSigningPayloadErrorType} one of the errors listed here.
 * @throws {ValidationError} when the instruction is empty or not alphanumeric,
 *   the timestamp or window is not a non-negative safe integer (window 1 to
 *   60000), a batch is empty, or a value is a non-integer number, a symbol,
 *   a function or a non-serialisable nested value.
 * @example
 * ```ts
 * import { buildSigningPayload } from '@rung/backpack-sdk/signing'
 *
 * buildSigningPayload({
 *   instruction: 'orderCancel',
 *   params: { symbol: 'BTC_USDT', orderId: '28' },
 *   timestamp: 1614550000000,
 *   windowMs: 5000,
 * })
 * // 'instruction=orderCancel&orderId=28&symbol=BTC_USDT&timestamp=1614550000000&window=5000'
 * ```
 */
export function buildSigningPayload(args: BuildSigningPayloadArgs): string {
  if (typeof args !== 'object' || args === null) {
    throw new ValidationError(
      'buildSigningPayload expects an object { instruction, params, timestamp, windowMs }.',
    )
  }
  const { instruction, params, timestamp, windowMs } = args
  checkInstruction(instruction)
  checkTimestamp(timestamp)
  checkWindow(windowMs)
  const tail = `timestamp=${timestamp}&window=${windowMs}`

  if (Array.isArray(params)) {
    if (params.length === 0) {
      throw new ValidationError(
        'A batch needs at least one order; got an empty array for `params`.',
        { field: 'params' },
      )
    }
    const blocks = params.map((item: unknown, i) =>
      block(instruction, item, `params[${i}]`),
    )
    return `${blocks.join('&')}&${tail}`
  }
  return `${block(instruction, params, 'params')}&${tail}`
}

/** One `instruction=…&k=v…` block for one object of parameters. */
function block(instruction: string, params: unknown, path: string): string {
  if (params === undefined || params === null) {
    return `instruction=${instruction}`
  }
  if (typeof params !== 'object' || Array.isArray(params)) {
    throw new ValidationError(
      `\`${path}\` must be a plain object of request parameters.`,
      { field: path },
    )
  }
  const record = params as Record<string, unknown>
  // Default sort compares UTF-16 code units: the byte order the server uses
  // for ASCII keys. localeCompare would reorder e.g. `Zeta` and `alpha`.
  const keys = Object.keys(record).sort()
  let out = `instruction=${instruction}`
  for (const key of keys) {
    const value = record[key]
    if (value === undefined || value === null) continue
    out += `&${key}=${renderValue(value, `${path}.${key}`)}`
  }
  return out
}

function renderValue(value: unknown, path: string): string {
  switch (typeof value) {
    case 'string':
      return value
    case 'boolean':
      return value ? 'true' : 'false'
    case 'bigint':
      return value.toString()
    case 'number':
      if (Number.isSafeInteger(value)) return String(value)
      throw new ValidationError(
        `\`${path}\` is the number ${value}; send decimals as strings (e.g. "0.1") and integers as safe integers.`,
        { field: path },
      )
    case 'object': {
      // Nested values: compact JSON, as the official Rust client signs them
      // (UNCONFIRMED server rule, reference §2.3).
      let json: string | undefined
      try {
        json = JSON.stringify(value)
      } catch (cause) {
        throw new ValidationError(`\`${path}\` cannot be serialised as JSON.`, {
          field: path,
          cause,
        })
      }
      return json
    }
    default:
      throw new ValidationError(
        `\`${path}\` has type ${typeof value}; expected a string, boolean, integer or JSON object.`,
        { field: path },
      )
  }
}

function checkInstruction(instruction: unknown): asserts instruction is string {
  if (typeof instruction !== 'string' || !/^[A-Za-z0-9]+$/.test(instruction)) {
    throw new ValidationError(
      '`instruction` must be a non-empty alphanumeric string such as "orderExecute".',
      { field: 'instruction' },
    )
  }
}

function checkTimestamp(timestamp: unknown): asserts timestamp is number {
  if (
    typeof timestamp !== 'number' ||
    !Number.isSafeInteger(timestamp) ||
    timestamp < 0
  ) {
    throw new ValidationError(
      '`timestamp` must be a non-negative integer number of milliseconds since the Unix epoch.',
      { field: 'timestamp' },
    )
  }
}

/** @internal Shared with the REST client's option validation. */
export function checkWindow(
  windowMs: unknown,
  field = 'windowMs',
): asserts windowMs is number {
  if (
    typeof windowMs !== 'number' ||
    !Number.isSafeInteger(windowMs) ||
    windowMs < 1 ||
    windowMs > MAX_WINDOW_MS
  ) {
    throw new ValidationError(
      `\`${field}\` must be an integer from 1 to ${MAX_WINDOW_MS} (ms); Backpack's default is 5000.`,
      { field },
    )
  }
}
