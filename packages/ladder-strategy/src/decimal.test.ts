import { fc, test } from '@fast-check/vitest'
import Big from 'big.js'
import { describe, expect } from 'vitest'
import {
  ceilDiv,
  compareDecimal,
  floorDiv,
  formatUnits,
  isDecimal,
  numberToDecimal,
} from './decimal.js'

/** Canonical decimal strings: digits, an optional fraction, no exponent. */
const decimalArb = fc
  .tuple(
    fc.bigInt({ min: 0n, max: 10n ** 12n }),
    fc.integer({ min: 0, max: 8 }),
  )
  .map(([m, s]) => formatUnits(m, s))

describe('isDecimal', () => {
  test('args: accepted and rejected forms', () => {
    const ok = ['0', '12', '12.5', '0.00001', '007', '1.50']
    const bad = ['', '.', '-.', '-1', '1e-7', '1.', '.5', ' 1', '1,5', 'NaN']
    expect(ok.map(isDecimal)).toEqual(ok.map(() => true))
    expect(bad.map(isDecimal)).toEqual(bad.map(() => false))
    expect(isDecimal(1)).toBe(false)
  })
})

describe('numberToDecimal', () => {
  test('args: JSON numbers by their shortest text', () => {
    expect(numberToDecimal(0.1)).toBe('0.1')
    expect(numberToDecimal(7)).toBe('7')
    expect(numberToDecimal(0.25)).toBe('0.25')
    expect(numberToDecimal(1e20)).toBe('100000000000000000000')
  })
  test('error: exponent, negative, non-finite', () => {
    expect(numberToDecimal(1e21)).toBeNull()
    expect(numberToDecimal(1e-7)).toBeNull()
    expect(numberToDecimal(-1)).toBeNull()
    expect(numberToDecimal(Number.NaN)).toBeNull()
    expect(numberToDecimal(Number.POSITIVE_INFINITY)).toBeNull()
  })
})

describe('compareDecimal', () => {
  test('args: leading and trailing zeros', () => {
    expect(compareDecimal('007.50', '7.5')).toBe(0)
    expect(compareDecimal('10', '9.99')).toBe(1)
    expect(compareDecimal('0.1', '0.10001')).toBe(-1)
  })
  test.prop([decimalArb, decimalArb])(
    'behavior: agrees with big.js',
    (a, b) => {
      expect(compareDecimal(a, b)).toBe(new Big(a).cmp(new Big(b)))
    },
  )
})

describe('floorDiv', () => {
  test.prop([
    fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
    fc.integer({ min: 1, max: 2 ** 40 }),
  ])('behavior: exact floor and ceil near 2^53', (a, b) => {
    const q = BigInt(a) / BigInt(b)
    expect(floorDiv(a, b)).toBe(Number(q))
    expect(ceilDiv(a, b)).toBe(Number(q * BigInt(b) === BigInt(a) ? q : q + 1n))
  })
})
