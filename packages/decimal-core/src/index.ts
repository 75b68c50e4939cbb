/**
 * Rung's one decimal core: exact decimal arithmetic on scaled bigints, and
 * the allocation-free text scanners the hot paths need. Private: each
 * published package bundles it at build time (tsup `noExternal`), so no
 * published type or import ever names it.
 *
 * A value is a {@link Decimal}: an integer coefficient and a scale, meaning
 * `coef x 10^-scale`. Addition, subtraction and multiplication are exact;
 * division and quantizing round once, in a direction every caller names
 * ({@link Rounding}). Nothing here ever goes through a binary float except
 * {@link parseUnits} / {@link formatUnits}, whose integers are checked to be
 * safe (below 2^53, so exact in a float64).
 *
 * The packages differ on purpose in what text they accept ({@link Grammar})
 * and in how they report bad input (the SDK throws its `ValidationError`
 * naming the field, the strategy returns config issues, the simulator
 * answers Backpack's error body); the arithmetic below is the same for all.
 *
 * @packageDocumentation
 */

/** An exact decimal: `coef x 10^-scale` (scale >= 0). */
export interface Decimal {
  /** The integer coefficient (signed). */
  readonly coef: bigint
  /** Digits after the point (an integer >= 0). */
  readonly scale: number
}

/**
 * A rounding direction, always named by the caller.
 *
 * - `'down'`: toward negative infinity (floor).
 * - `'up'`: toward positive infinity (ceiling).
 * - `'nearest'`: to the nearest; exact halves away from zero.
 */
export type Rounding = 'down' | 'up' | 'nearest'

/**
 * Which decimal text a package accepts.
 *
 * - `'strict'`: `-?digits(.digits)?` (the SDK: what Backpack signs).
 * - `'unsigned'`: `digits(.digits)?` (the strategy's config and candles).
 * - `'lenient'`: also `"1."`, `".5"`, `"-.5"` (the simulator, which answers
 *   what a lenient server would rather than reject a client's `"1."`).
 *
 * None accepts exponents, blanks, `"+"`, `"."`, `NaN` or `Infinity`.
 */
export type Grammar = 'strict' | 'unsigned' | 'lenient'

const DOT = 46
const MINUS = 45
const isDigit = (c: number): boolean => c >= 48 && c <= 57

/**
 * Whether `text` is decimal text in `grammar`; allocation-free (it runs on
 * every price of a backtest and every field of a request).
 */
export function isDecimalText(
  text: unknown,
  grammar: Grammar = 'strict',
): text is string {
  if (typeof text !== 'string') return false
  const len = text.length
  let i = 0
  if (grammar !== 'unsigned' && text.charCodeAt(0) === MINUS) i = 1
  const intStart = i
  while (i < len && isDigit(text.charCodeAt(i))) i++
  const intDigits = i - intStart
  if (i === len) return intDigits > 0
  if (text.charCodeAt(i) !== DOT) return false
  i++
  const fracStart = i
  while (i < len && isDigit(text.charCodeAt(i))) i++
  if (i !== len) return false
  const fracDigits = i - fracStart
  if (grammar === 'lenient') return intDigits + fracDigits > 0
  return intDigits > 0 && fracDigits > 0
}

/** Parses decimal text in `grammar`, or `null` when it is not. */
export function parseDecimal(
  text: unknown,
  grammar: Grammar = 'strict',
): Decimal | null {
  if (!isDecimalText(text, grammar)) return null
  const negative = text.charCodeAt(0) === MINUS
  const body = negative ? text.slice(1) : text
  const dot = body.indexOf('.')
  if (dot < 0) {
    const coef = BigInt(body)
    return { coef: negative ? -coef : coef, scale: 0 }
  }
  const digits = body.slice(0, dot) + body.slice(dot + 1)
  const coef = digits.length === 0 ? 0n : BigInt(digits)
  return { coef: negative ? -coef : coef, scale: body.length - dot - 1 }
}

/** 10^k as a bigint (k an integer >= 0). */
export function pow10(k: number): bigint {
  return k < POW10.length ? (POW10[k] as bigint) : 10n ** BigInt(k)
}
const POW10: bigint[] = Array.from({ length: 41 }, (_, k) => 10n ** BigInt(k))

/**
 * 10^k as a number (k an integer >= 0), from a table for k <= 22, where
 * each is exact (5^22 < 2^53).
 */
export function pow10Number(k: number): number {
  return POW10_NUMBER[k] ?? 10 ** k
}
const POW10_NUMBER: number[] = Array.from({ length: 23 }, (_, k) =>
  Number(`1e${k}`),
)

/** Greatest common divisor of two bigints (non-negative result). */
export function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a
  let y = b < 0n ? -b : b
  while (y !== 0n) {
    const t = x % y
    x = y
    y = t
  }
  return x
}

/**
 * `n / d` rounded to an integer in the named direction, exactly, for any
 * signs (`d` must not be zero).
 */
export function divRound(n: bigint, d: bigint, rounding: Rounding): bigint {
  const q = n / d // truncates toward zero
  const r = n % d
  if (r === 0n) return q
  const positive = n < 0n === d < 0n
  if (rounding === 'down') return positive ? q : q - 1n
  if (rounding === 'up') return positive ? q + 1n : q
  const absR = r < 0n ? -r : r
  const absD = d < 0n ? -d : d
  if (absR * 2n < absD) return q
  return positive ? q + 1n : q - 1n
}

/** The coefficient of `a` written at `scale` digits, rounded in the named direction. */
export function quantize(
  a: Decimal,
  scale: number,
  rounding: Rounding,
): bigint {
  if (scale >= a.scale) return a.coef * pow10(scale - a.scale)
  return divRound(a.coef, pow10(a.scale - scale), rounding)
}

function aligned(a: Decimal, b: Decimal): [bigint, bigint, number] {
  if (a.scale === b.scale) return [a.coef, b.coef, a.scale]
  if (a.scale > b.scale)
    return [a.coef, b.coef * pow10(a.scale - b.scale), a.scale]
  return [a.coef * pow10(b.scale - a.scale), b.coef, b.scale]
}

/** a + b, exact. */
export function add(a: Decimal, b: Decimal): Decimal {
  const [x, y, scale] = aligned(a, b)
  return { coef: x + y, scale }
}

/** a - b, exact. */
export function sub(a: Decimal, b: Decimal): Decimal {
  const [x, y, scale] = aligned(a, b)
  return { coef: x - y, scale }
}

/** a x b, exact. */
export function mul(a: Decimal, b: Decimal): Decimal {
  return { coef: a.coef * b.coef, scale: a.scale + b.scale }
}

/** Compares a and b exactly. */
export function compare(a: Decimal, b: Decimal): -1 | 0 | 1 {
  const [x, y] = aligned(a, b)
  return x < y ? -1 : x > y ? 1 : 0
}

/**
 * a / b rounded to `places` fraction digits in the named direction (`b`
 * must not be zero). The remainder is tested exactly, so `'up'` sees a
 * remainder of any size.
 */
export function divide(
  a: Decimal,
  b: Decimal,
  places: number,
  rounding: Rounding,
): Decimal {
  // a / b = a.coef * 10^b.scale / (b.coef * 10^a.scale); in units of 10^-places:
  const n = a.coef * pow10(b.scale + places)
  const d = b.coef * pow10(a.scale)
  return { coef: divRound(n, d, rounding), scale: places }
}

/** `a` rounded to a multiple of `increment` (> 0) in the named direction. */
export function roundToIncrement(
  a: Decimal,
  increment: Decimal,
  rounding: Rounding,
): Decimal {
  const steps = divRound(
    a.coef * pow10(increment.scale),
    increment.coef * pow10(a.scale),
    rounding,
  )
  return { coef: steps * increment.coef, scale: increment.scale }
}

/** Canonical text of `a`: no exponent, no trailing fractional zeros, no `-0`. */
export function formatDecimal(a: Decimal): string {
  return formatUnits(a.coef, a.scale)
}

/**
 * Writes an integer count of 10^-scale units as decimal text. Without
 * `places`, canonical (trailing fractional zeros trimmed); with `places`,
 * exactly that many fraction digits (extra digits are cut, so round first).
 * `units` may be a bigint or a safe-integer number.
 */
export function formatUnits(
  units: number | bigint,
  scale: number,
  places?: number,
): string {
  if (places === undefined && typeof units === 'number') {
    const text = formatSafeUnits(units, scale)
    if (text !== null) return text
  }
  const negative = units < 0
  let digits = (negative ? -units : units).toString()
  if (scale > 0 && digits.length <= scale)
    digits = '0'.repeat(scale + 1 - digits.length) + digits
  const dot = digits.length - scale
  let end = digits.length
  if (places === undefined) {
    while (end > dot && digits.charCodeAt(end - 1) === 48) end--
  } else end = Math.min(end, dot + places)
  let text =
    end === dot
      ? digits.slice(0, dot)
      : `${digits.slice(0, dot)}.${digits.slice(dot, end)}`
  if (places !== undefined && end - dot < places)
    text += `${end === dot ? '.' : ''}${'0'.repeat(places - (end - dot))}`
  if (!negative) return text
  // No "-0": a negative value whose printed digits are all zero prints as 0.
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c !== 48 && c !== DOT) return `-${text}`
  }
  return text
}

const ZEROS: string[] = Array.from({ length: 23 }, (_, k) => '0'.repeat(k))

/**
 * {@link formatUnits} without `places` for a safe-integer number, with
 * number arithmetic only: the integer and the fraction digits are written
 * separately (each a shorter integer, whose text the engine often has
 * cached), the fraction's trailing zeros divided away first. Every step is
 * exact: `units % 10^scale` and the quotient of the difference are exact
 * integers below 2^53. `null` when it does not apply (not a safe integer,
 * a scale outside 0..22): the caller takes the general path.
 */
function formatSafeUnits(units: number, scale: number): string | null {
  if (!Number.isSafeInteger(units) || !Number.isInteger(scale)) return null
  if (scale < 0 || scale > 22) return null
  // Also -0: no "-0".
  if (units === 0) return '0'
  if (units < 0) return `-${formatSafeUnits(-units, scale) as string}`
  if (scale === 0) return `${units}`
  const unit = POW10_NUMBER[scale] as number
  let fraction = units % unit
  const whole = (units - fraction) / unit
  if (fraction === 0) return `${whole}`
  let digits = scale
  while (fraction % 10 === 0) {
    fraction /= 10
    digits--
  }
  const text = `${fraction}`
  return `${whole}.${ZEROS[digits - text.length] as string}${text}`
}

/**
 * Parses non-negative decimal text (`digits(.digits)?`) into an integer count
 * of 10^-scale units as a float64 number, rounding extra digits in the named
 * direction (`'exact'`: extra non-zero digits give `null`). Returns `null`
 * for malformed text or a result above 2^53. Allocation-free: it runs on
 * every price and fill of a backtest.
 */
export function parseUnits(
  text: string,
  scale: number,
  rounding: 'down' | 'up' | 'exact',
): number | null {
  const len = text.length
  if (len === 0) return null
  let value = 0
  let i = 0
  let digits = 0
  for (; i < len; i++) {
    const c = text.charCodeAt(i)
    if (c === DOT) break
    if (!isDigit(c)) return null
    value = value * 10 + (c - 48)
    digits++
  }
  if (digits === 0) return null
  let frac = 0
  let inexact = false
  if (i < len) {
    i++ // the dot
    if (i === len) return null
    for (; i < len; i++) {
      const c = text.charCodeAt(i)
      if (!isDigit(c)) return null
      if (frac < scale) {
        value = value * 10 + (c - 48)
        frac++
      } else if (c !== 48) inexact = true
    }
  }
  for (; frac < scale; frac++) value *= 10
  if (inexact) {
    if (rounding === 'exact') return null
    if (rounding === 'up') value += 1
  }
  return Number.isSafeInteger(value) ? value : null
}

/**
 * Compares two non-negative decimal texts (`digits(.digits)?`) exactly,
 * without allocating (the backtest compares prices this way).
 */
export function compareUnsignedText(a: string, b: string): -1 | 0 | 1 {
  let ia = 0
  let ib = 0
  // Skip leading zeros of the integer parts.
  while (ia < a.length - 1 && a.charCodeAt(ia) === 48 && a[ia + 1] !== '.') ia++
  while (ib < b.length - 1 && b.charCodeAt(ib) === 48 && b[ib + 1] !== '.') ib++
  let da = a.indexOf('.', ia)
  let db = b.indexOf('.', ib)
  if (da < 0) da = a.length
  if (db < 0) db = b.length
  const la = da - ia
  const lb = db - ib
  if (la !== lb) return la < lb ? -1 : 1
  for (let k = 0; k < la; k++) {
    const ca = a.charCodeAt(ia + k)
    const cb = b.charCodeAt(ib + k)
    if (ca !== cb) return ca < cb ? -1 : 1
  }
  // Fractions: a missing digit counts as 0.
  const fa = a.length - da - 1
  const fb = b.length - db - 1
  const fl = Math.max(fa, fb)
  for (let k = 1; k <= fl; k++) {
    const ca = k <= fa ? a.charCodeAt(da + k) : 48
    const cb = k <= fb ? b.charCodeAt(db + k) : 48
    if (ca !== cb) return ca < cb ? -1 : 1
  }
  return 0
}
