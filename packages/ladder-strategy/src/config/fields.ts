/**
 * The field readers of `validateConfig`: each reads one found value, checks
 * its type and range, and either writes the normalized value to the output
 * or pushes an issue (path, value, fix) to the shared issue list.
 */
import {
  compareTo,
  isDecimal,
  normalizeDecimal,
  numberToDecimal,
} from '../decimal.js'
import type { ConfigIssue } from '../errors.js'
import type { LadderConfig } from '../types.js'

/** A key of the normalized config. */
export type Key = keyof LadderConfig

/** A value found in the input, with the path it came from. */
export interface Found {
  path: string
  value: unknown
}

/** The readers `validateConfig` checks its fields with. */
export interface FieldReaders {
  /** A decimal (JSON number or decimal string), checked by `check`. */
  decimal(key: Key, check: (value: string) => string | null): void
  /** As `decimal`, or `false`/`null` for off. */
  optionalDecimal(key: Key, check: (value: string) => string | null): void
  /** `true` or `false`. */
  boolean(key: Key): void
  /** A number, checked by `check`; `false`/`null` for off when `allowFalse`. */
  number(
    key: Key,
    check: (value: number) => string | null,
    allowFalse?: boolean,
  ): void
}

/**
 * The readers over the values found, writing to `out` and `issues`. A key
 * not found is left alone (its default stays).
 */
export function fieldReaders(
  found: ReadonlyMap<string, Found>,
  out: Record<string, unknown>,
  issues: ConfigIssue[],
): FieldReaders {
  const decimal = (key: Key, check: (value: string) => string | null): void => {
    const f = found.get(key)
    if (!f) return
    let text: string | null = null
    if (typeof f.value === 'number') {
      text = numberToDecimal(f.value)
      if (text === null) {
        issues.push({
          ...f,
          message: !Number.isFinite(f.value)
            ? 'must be a finite number'
            : f.value < 0
              ? 'must not be negative'
              : 'must be written without an exponent: give it as a decimal string, e.g. "0.0000001"',
        })
        return
      }
    } else if (isDecimal(f.value)) text = normalizeDecimal(f.value)
    else {
      issues.push({
        ...f,
        message:
          'must be a non-negative decimal number or string, e.g. 7 or "7.5"',
      })
      return
    }
    const problem = check(text)
    if (problem) issues.push({ ...f, message: problem })
    else out[key] = text
  }
  const optionalDecimal = (
    key: Key,
    check: (value: string) => string | null,
  ): void => {
    const f = found.get(key)
    if (!f) return
    if (f.value === false || f.value === null) {
      out[key] = false
      return
    }
    decimal(key, check)
  }
  const boolean = (key: Key): void => {
    const f = found.get(key)
    if (!f) return
    if (typeof f.value === 'boolean') out[key] = f.value
    else issues.push({ ...f, message: 'must be true or false' })
  }
  const number = (
    key: Key,
    check: (value: number) => string | null,
    allowFalse = false,
  ): void => {
    const f = found.get(key)
    if (!f) return
    if (allowFalse && (f.value === false || f.value === null)) {
      out[key] = false
      return
    }
    const value =
      typeof f.value === 'number'
        ? f.value
        : isDecimal(f.value)
          ? Number(f.value)
          : Number.NaN
    const problem = Number.isFinite(value) ? check(value) : 'must be a number'
    if (problem) issues.push({ ...f, message: problem })
    else out[key] = value
  }
  return { decimal, optionalDecimal, boolean, number }
}

/** The check of an amount that must be > 0. */
export const gt0 = (v: string) => (compareTo(v, '0') > 0 ? null : 'must be > 0')
/** The check of a percentage > 0 and < 100. */
export const pct = (v: string) =>
  compareTo(v, '0') > 0 && compareTo(v, '100') < 0
    ? null
    : 'must be a percentage > 0 and < 100'
