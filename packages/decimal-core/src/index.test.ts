import { fc, test as propTest } from '@fast-check/vitest'
import BigJs from 'big.js'
import { describe, expect, test } from 'vitest'
import {
  add,
  compare,
  compareUnsignedText,
  type Decimal,
  divide,
  divRound,
  formatDecimal,
  formatUnits,
  gcd,
  isDecimalText,
  mul,
  parseDecimal,
  parseUnits,
  quantize,
  roundToIncrement,
  sub,
} from './index.js'

// big.js is the independent oracle here (a devDependency of this package
// only): an isolated constructor with enough places that no test divides
// past them.
const Oracle = BigJs()
Oracle.DP = 80
Oracle.RM = Oracle.roundDown
Oracle.NE = -1_000_000
Oracle.PE = 1_000_000
const oracle = (text: string) => new Oracle(text)
const canon = (b: BigJs.Big) => (b.eq(0) ? '0' : b.toFixed())

const d = (text: string): Decimal => {
  const r = parseDecimal(text, 'lenient')
  if (r === null) throw new Error(`bad test decimal ${text}`)
  return r
}

const decimalText = fc
  .tuple(
    fc.boolean(),
    fc.bigInt({ min: 0n, max: 10n ** 30n }),
    fc.integer({ min: 0, max: 20 }),
  )
  .map(([neg, coef, scale]) => {
    const s = coef.toString().padStart(scale + 1, '0')
    const text = scale === 0 ? s : `${s.slice(0, -scale)}.${s.slice(-scale)}`
    return neg ? `-${text}` : text
  })
const positiveText = decimalText
  .map((t) => t.replace('-', ''))
  .filter((t) => !/^[0.]+$/.test(t))
const rounding = fc.constantFrom(
  'down' as const,
  'up' as const,
  'nearest' as const,
)

describe('isDecimalText', () => {
  test('behavior: each grammar accepts its own text and nothing more', () => {
    const cases: [string, boolean, boolean, boolean][] = [
      // text, strict, unsigned, lenient
      ['0', true, true, true],
      ['141.50', true, true, true],
      ['007.1', true, true, true],
      ['-3', true, false, true],
      ['-0.5', true, false, true],
      ['1.', false, false, true],
      ['.5', false, false, true],
      ['-.5', false, false, true],
      ['.', false, false, false],
      ['-', false, false, false],
      ['-.', false, false, false],
      ['', false, false, false],
      ['1e-7', false, false, false],
      ['+1', false, false, false],
      [' 1', false, false, false],
      ['1 ', false, false, false],
      ['NaN', false, false, false],
      ['Infinity', false, false, false],
      ['1.2.3', false, false, false],
      ['--1', false, false, false],
    ]
    for (const [text, strict, unsigned, lenient] of cases) {
      expect([text, isDecimalText(text, 'strict')]).toEqual([text, strict])
      expect([text, isDecimalText(text, 'unsigned')]).toEqual([text, unsigned])
      expect([text, isDecimalText(text, 'lenient')]).toEqual([text, lenient])
    }
  })

  test('behavior: non-strings are not decimal text', () => {
    expect(isDecimalText(1)).toBe(false)
    expect(isDecimalText(null)).toBe(false)
    expect(isDecimalText(undefined)).toBe(false)
  })
})

describe('parseDecimal', () => {
  test('default', () => {
    expect(parseDecimal('141.50')).toEqual({ coef: 14150n, scale: 2 })
    expect(parseDecimal('-0.5')).toEqual({ coef: -5n, scale: 1 })
    expect(parseDecimal('-0')).toEqual({ coef: 0n, scale: 0 })
    expect(parseDecimal('1e-7')).toBeNull()
  })

  test('args: lenient grammar reads "1." and ".5"', () => {
    expect(parseDecimal('1.', 'lenient')).toEqual({ coef: 1n, scale: 0 })
    expect(parseDecimal('-.5', 'lenient')).toEqual({ coef: -5n, scale: 1 })
    expect(parseDecimal('1.', 'strict')).toBeNull()
  })

  propTest.prop([decimalText])(
    'behavior: parse then format is the canonical text',
    (text) => {
      expect(formatDecimal(d(text))).toBe(canon(oracle(text)))
    },
  )
})

describe('formatUnits', () => {
  test('default', () => {
    expect(formatUnits(14150n, 2)).toBe('141.5')
    expect(formatUnits(5, 3)).toBe('0.005')
    expect(formatUnits(-5n, 1)).toBe('-0.5')
    expect(formatUnits(0n, 4)).toBe('0')
    expect(formatUnits(120, 0)).toBe('120')
  })

  test('args: places pads or cuts to exactly that many digits', () => {
    expect(formatUnits(15n, 1, 3)).toBe('1.500')
    expect(formatUnits(15n, 0, 2)).toBe('15.00')
    expect(formatUnits(123456n, 5, 2)).toBe('1.23')
    expect(formatUnits(7n, 0, 0)).toBe('7')
  })

  test('behavior: never prints -0', () => {
    expect(formatUnits(-1n, 3, 2)).toBe('0.00')
    expect(formatUnits(-0, 2)).toBe('0')
  })

  test('edges: the number path at the ends of the safe integers and scales', () => {
    expect(formatUnits(Number.MAX_SAFE_INTEGER, 22)).toBe(
      '0.0000009007199254740991',
    )
    expect(formatUnits(-Number.MAX_SAFE_INTEGER, 0)).toBe('-9007199254740991')
    expect(formatUnits(1200, 2)).toBe('12')
    expect(formatUnits(1205, 2)).toBe('12.05')
    expect(formatUnits(-1050, 3)).toBe('-1.05')
    expect(formatUnits(10, 23)).toBe('0.0000000000000000000001')
    expect(formatUnits(2 ** 53, 2)).toBe('90071992547409.92')
  })

  // A safe-integer number takes a number-only path; a bigint the general
  // one: both must write the same text.
  propTest.prop([fc.maxSafeInteger(), fc.integer({ min: 0, max: 30 })])(
    'behavior: a number writes as the same bigint',
    (n, scale) => {
      expect(formatUnits(n, scale)).toBe(formatUnits(BigInt(n), scale))
    },
  )
})

describe('add, sub, mul, compare', () => {
  propTest.prop([decimalText, decimalText])(
    'behavior: exact, as the oracle',
    (a, b) => {
      expect(formatDecimal(add(d(a), d(b)))).toBe(canon(oracle(a).plus(b)))
      expect(formatDecimal(sub(d(a), d(b)))).toBe(canon(oracle(a).minus(b)))
      expect(formatDecimal(mul(d(a), d(b)))).toBe(canon(oracle(a).times(b)))
      expect(compare(d(a), d(b))).toBe(oracle(a).cmp(b))
    },
  )
})

describe('divRound', () => {
  test('behavior: floor, ceiling and half away from zero, for every sign', () => {
    const rows: [bigint, bigint, bigint, bigint, bigint][] = [
      // n, d, down, up, nearest
      [7n, 2n, 3n, 4n, 4n],
      [-7n, 2n, -4n, -3n, -4n],
      [7n, -2n, -4n, -3n, -4n],
      [-7n, -2n, 3n, 4n, 4n],
      [5n, 3n, 1n, 2n, 2n],
      [4n, 3n, 1n, 2n, 1n],
      [-4n, 3n, -2n, -1n, -1n],
      [6n, 3n, 2n, 2n, 2n],
      [0n, 5n, 0n, 0n, 0n],
    ]
    for (const [n, den, down, up, nearest] of rows) {
      expect([n, den, divRound(n, den, 'down')]).toEqual([n, den, down])
      expect([n, den, divRound(n, den, 'up')]).toEqual([n, den, up])
      expect([n, den, divRound(n, den, 'nearest')]).toEqual([n, den, nearest])
    }
  })
})

describe('divide', () => {
  propTest.prop([
    decimalText,
    positiveText,
    fc.integer({ min: 0, max: 12 }),
    rounding,
    fc.boolean(),
  ])(
    'behavior: rounds the exact quotient once, as the oracle',
    (a, b, places, r, negate) => {
      const divisor = negate ? `-${b}` : b
      // The operands' ranges keep every non-zero fraction of the quotient
      // above 10^-50, so the oracle's 80 places decide each rounding.
      const exact = oracle(a).div(divisor)
      // big.js rounds by magnitude; 'down' and 'up' here are floor and
      // ceiling, so the oracle's mode depends on the quotient's sign.
      const towardZero = (r === 'down') !== exact.lt(0)
      const mode =
        r === 'nearest'
          ? Oracle.roundHalfUp
          : towardZero
            ? Oracle.roundDown
            : Oracle.roundUp
      expect(formatDecimal(divide(d(a), d(divisor), places, r))).toBe(
        canon(exact.round(places, mode)),
      )
    },
  )

  test('behavior: up sees a remainder beyond 40 digits', () => {
    const tiny = `0.${'0'.repeat(45)}1`
    expect(formatDecimal(divide(d(tiny), d('1'), 2, 'up'))).toBe('0.01')
    expect(formatDecimal(divide(d(tiny), d('1'), 2, 'down'))).toBe('0')
  })
})

describe('roundToIncrement', () => {
  test('default', () => {
    expect(
      formatDecimal(roundToIncrement(d('141.537'), d('0.01'), 'down')),
    ).toBe('141.53')
    expect(
      formatDecimal(roundToIncrement(d('0.3'), d('0.25'), 'nearest')),
    ).toBe('0.25')
    expect(
      formatDecimal(roundToIncrement(d('-0.375'), d('0.25'), 'nearest')),
    ).toBe('-0.5')
    expect(formatDecimal(roundToIncrement(d('-1.001'), d('0.5'), 'up'))).toBe(
      '-1',
    )
  })

  propTest.prop([decimalText, positiveText, rounding])(
    'behavior: a multiple of the increment, within one increment, on the named side',
    (a, inc, r) => {
      const out = roundToIncrement(d(a), d(inc), r)
      const x = oracle(a)
      const y = oracle(formatDecimal(out))
      expect(y.div(inc).mod(1).eq(0)).toBe(true)
      expect(y.minus(x).abs().lt(inc)).toBe(true)
      if (r === 'down') expect(y.lte(x)).toBe(true)
      if (r === 'up') expect(y.gte(x)).toBe(true)
      if (r === 'nearest') expect(y.minus(x).abs().times(2).lte(inc)).toBe(true)
    },
  )
})

describe('quantize', () => {
  test('default', () => {
    expect(quantize(d('1.25'), 1, 'down')).toBe(12n)
    expect(quantize(d('1.25'), 1, 'up')).toBe(13n)
    expect(quantize(d('-1.25'), 1, 'nearest')).toBe(-13n)
    expect(quantize(d('1.5'), 3, 'down')).toBe(1500n)
  })
})

describe('gcd', () => {
  test('default', () => {
    expect(gcd(12n, 18n)).toBe(6n)
    expect(gcd(-12n, 18n)).toBe(6n)
    expect(gcd(0n, 7n)).toBe(7n)
  })
})

describe('parseUnits', () => {
  test('default', () => {
    expect(parseUnits('141.5', 2, 'exact')).toBe(14150)
    expect(parseUnits('0.005', 2, 'down')).toBe(0)
    expect(parseUnits('0.005', 2, 'up')).toBe(1)
    expect(parseUnits('0.005', 2, 'exact')).toBeNull()
    expect(parseUnits('0.0050', 3, 'exact')).toBe(5)
  })

  test('error: malformed text or an unsafe integer', () => {
    for (const bad of ['', '.', '1.', '.5', '-1', '1e3', '1 '])
      expect([bad, parseUnits(bad, 2, 'down')]).toEqual([bad, null])
    expect(parseUnits('90071992547409.93', 2, 'exact')).toBeNull()
  })
})

describe('parseUnits and formatUnits', () => {
  propTest.prop([decimalText, fc.integer({ min: 0, max: 3 })])(
    'behavior: format(parse(x)) is the canonical value, at any wider scale',
    (signed, extra) => {
      const text = signed.replace('-', '')
      const places = text.includes('.')
        ? text.length - text.indexOf('.') - 1
        : 0
      const units = parseUnits(text, places + extra, 'exact')
      // Only values below 2^53 units are representable as numbers.
      if (units === null)
        expect(
          BigInt(text.replace('.', '')) * 10n ** BigInt(extra),
        ).toBeGreaterThan(BigInt(Number.MAX_SAFE_INTEGER))
      else expect(formatUnits(units, places + extra)).toBe(canon(oracle(text)))
    },
  )
})

describe('compareUnsignedText', () => {
  propTest.prop([decimalText, decimalText])(
    'behavior: as the oracle',
    (a, b) => {
      const x = a.replace('-', '')
      const y = b.replace('-', '')
      expect(compareUnsignedText(x, y)).toBe(oracle(x).cmp(y))
    },
  )

  test('behavior: leading and trailing zeros do not matter', () => {
    expect(compareUnsignedText('007.50', '7.5')).toBe(0)
    expect(compareUnsignedText('0.1', '0.10000')).toBe(0)
    expect(compareUnsignedText('10', '9.999')).toBe(1)
  })
})
