/**
 * One side of a local order book: levels kept sorted best-first in a plain
 * array, found by binary search.
 *
 * Why this shape: a depth delta mostly changes the size of an existing level
 * (binary search, O(log n), in place); inserts and removals shift the array
 * (a memmove of a few hundred pointers). Reads of the best level are O(1)
 * and reads of the top N are a slice, with no re-sorting.
 *
 * Price identity (reference §6.8 rule 7): "18.70" and "18.7" are the same
 * price, so levels are keyed by the *normalized* decimal string (no leading
 * zeros in the integer part, no trailing zeros in the fraction). Normalized
 * non-negative decimals compare exactly by (integer-part length, then the
 * string's code units), so ordering needs no arithmetic and no floats.
 */
import type { WsLevel } from '../types/ws.js'
import { MalformedPayload } from '../ws/parse.js'

/** @internal One price level. `price` is the last spelling the exchange sent. */
export interface Level {
  /** Normalized price: the identity and sort key. */
  key: string
  /** Length of the integer part of `key` (where its '.' is, or its length). */
  intLength: number
  /** The price as last received, e.g. "18.70". */
  price: string
  /** The absolute quantity as last received. */
  quantity: string
}

const ZERO = 48
const NINE = 57
const DOT = 46

/**
 * @internal Normalizes a non-negative decimal price string ("018.70" ->
 * "18.7", "5.000" -> "5", "0.50" -> "0.5") and validates it on the way.
 *
 * @throws {MalformedPayload} when the string is not a plain decimal.
 */
export function normalizePrice(p: string): string {
  const n = p.length
  let dot = -1
  for (let i = 0; i < n; i++) {
    const c = p.charCodeAt(i)
    if (c === DOT && dot === -1) dot = i
    else if (c < ZERO || c > NINE) throw malformed(p)
  }
  if (n === 0 || dot === 0 || dot === n - 1) throw malformed(p)
  let end = n
  if (dot !== -1) {
    while (p.charCodeAt(end - 1) === ZERO) end--
    if (end === dot + 1) end = dot
  }
  const intEnd = dot === -1 ? n : dot
  let start = 0
  while (start < intEnd - 1 && p.charCodeAt(start) === ZERO) start++
  return start === 0 && end === n ? p : p.slice(start, end)
}

function malformed(p: string): MalformedPayload {
  return new MalformedPayload(
    `price "${p}" must be a plain non-negative decimal`,
  )
}

/** @internal True for "0", "0.000", "00.0" and the like (remove the level). */
export function isZeroQuantity(q: string): boolean {
  for (let i = 0; i < q.length; i++) {
    const c = q.charCodeAt(i)
    if (c !== ZERO && c !== DOT) return false
  }
  return q.length > 0
}

function intLengthOf(key: string): number {
  const dot = key.indexOf('.')
  return dot === -1 ? key.length : dot
}

/**
 * @internal Compares two normalized keys: negative when `a < b`.
 * Same integer-part length => lexicographic order equals numeric order,
 * because the '.' (if any) sits at the same index in both.
 */
export function compareKeys(
  a: string,
  aInt: number,
  b: string,
  bInt: number,
): number {
  if (aInt !== bInt) return aInt - bInt
  return a < b ? -1 : a > b ? 1 : 0
}

/** @internal A sorted side of the book. */
export class BookSide {
  /** Levels, best first (bids descending, asks ascending). */
  readonly levels: Level[] = []
  /** Levels by the exact spelling last received (`Level.price`). */
  readonly #byPrice = new Map<string, Level>()
  readonly #sign: 1 | -1

  /** @param descending - `true` for bids (best = highest price). */
  constructor(descending: boolean) {
    this.#sign = descending ? -1 : 1
  }

  /**
   * Index of `key` if present, else `-(insertionPoint + 1)`.
   */
  #search(key: string, intLength: number): number {
    const levels = this.levels
    const sign = this.#sign
    let lo = 0
    let hi = levels.length - 1
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1
      const l = levels[mid]!
      const c = sign * compareKeys(l.key, l.intLength, key, intLength)
      if (c < 0) lo = mid + 1
      else if (c > 0) hi = mid - 1
      else return mid
    }
    return -(lo + 1)
  }

  /**
   * Sets a level to an absolute quantity, removing it when the quantity is
   * zero (reference §6.5: quantities are absolute, "0" removes).
   *
   * @throws {MalformedPayload} on a malformed price.
   */
  apply(price: string, quantity: string): void {
    // Fast path: most deltas resize a level the exchange spelled the same
    // way before; a hash lookup skips normalizing and searching.
    const known = this.#byPrice.get(price)
    if (known !== undefined && !isZeroQuantity(quantity)) {
      known.quantity = quantity
      return
    }
    const key = normalizePrice(price)
    const intLength = intLengthOf(key)
    const i = this.#search(key, intLength)
    if (isZeroQuantity(quantity)) {
      if (i >= 0) {
        this.#byPrice.delete(this.levels[i]!.price)
        this.levels.splice(i, 1)
      }
    } else if (i >= 0) {
      // Same price, new spelling ("18.7" after "18.70"): re-key the index.
      const l = this.levels[i]!
      this.#byPrice.delete(l.price)
      l.quantity = quantity
      l.price = price
      this.#byPrice.set(price, l)
    } else {
      const l = { key, intLength, price, quantity }
      this.levels.splice(-i - 1, 0, l)
      this.#byPrice.set(price, l)
    }
  }

  /** Replaces all levels (a snapshot); unsorted input is fine. */
  load(levels: readonly (readonly [string, string])[]): void {
    const sign = this.#sign
    const all: Level[] = []
    for (const [price, quantity] of levels) {
      if (isZeroQuantity(quantity)) continue
      const key = normalizePrice(price)
      all.push({ key, intLength: intLengthOf(key), price, quantity })
    }
    all.sort(
      (a, b) => sign * compareKeys(a.key, a.intLength, b.key, b.intLength),
    )
    this.levels.length = 0
    for (const l of all) {
      const last = this.levels[this.levels.length - 1]
      // Two spellings of one price in a snapshot: keep the later one.
      if (last !== undefined && last.key === l.key)
        this.levels[this.levels.length - 1] = l
      else this.levels.push(l)
    }
    this.#byPrice.clear()
    for (const l of this.levels) this.#byPrice.set(l.price, l)
  }

  /** Removes every level. */
  clear(): void {
    this.levels.length = 0
    this.#byPrice.clear()
  }

  /** Top `limit` levels as fresh `[price, quantity]` tuples, best first. */
  toArray(limit = Number.POSITIVE_INFINITY): WsLevel[] {
    const n = Math.min(limit, this.levels.length)
    const out: WsLevel[] = new Array(n)
    for (let i = 0; i < n; i++) {
      const l = this.levels[i]!
      out[i] = [l.price, l.quantity]
    }
    return out
  }
}
