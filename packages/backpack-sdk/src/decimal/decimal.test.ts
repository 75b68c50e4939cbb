import { fc, test as propTest } from '@fast-check/vitest'
import { describe, expect, test } from 'vitest'
import { ValidationError } from '../errors/inputErrors.js'
import {
  addDecimals,
  compareDecimals,
  divideDecimals,
  isDecimalString,
  multiplyDecimals,
  normalizeDecimal,
  roundToIncrement,
  subtractDecimals,
} from './decimal.js'

/** Decimal strings with up to 30 integer and 30 fraction digits, any sign. */
const decimal = fc
  .tuple(
    fc.boolean(),
    fc.stringMatching(/^\d{1,30}$/),
    fc.option(fc.stringMatching(/^\d{1,30}$/), { nil: undefined }),
  )
  .map(([neg, int, frac]) => `${neg ? '-' : ''}${int}${frac ? `.${frac}` : ''}`)

/** Positive increments like "0.01", "5", "0.25", "0.0000001". */
const increment = fc
  .tuple(fc.integer({ min: 1, max: 999 }), fc.integer({ min: 0, max: 12 }))
  .map(([digits, scale]) => normalizeDecimal(scaled(BigInt(digits), scale)))

/** Writes n × 10^-scale as a decimal string (test-only helper on bigint). */
function scaled(n: bigint, scale: number): string {
  const neg = n < 0n
  const digits = (neg ? -n : n).toString().padStart(scale + 1, '0')
  const int = digits.slice(0, digits.length - scale)
  const frac = digits.slice(digits.length - scale)
  return `${neg ? '-' : ''}${int}${scale ? `.${frac}` : ''}`
}

describe('isDecimalString', () => {
  test.each([
    ['0', true],
    ['-0', true],
    ['141.50', true],
    ['007.1', true],
    ['-3', true],
    ['1'.repeat(500), true],
    ['1e-7', false],
    ['1E5', false],
    ['', false],
    ['.', false],
    ['-.', false],
    ['.5', false],
    ['1.', false],
    ['+1', false],
    [' 1', false],
    ['1 ', false],
    ['1,5', false],
    ['NaN', false],
    ['Infinity', false],
    ['0x10', false],
    ['１', false],
  ])('args: %j → %s', (value, expected) => {
    expect(isDecimalString(value)).toBe(expected)
  })

  test('args: non-strings', () => {
    for (const v of [1, 0.1, Number.NaN, null, undefined, 1n, {}, []]) {
      expect(isDecimalString(v)).toBe(false)
    }
  })
})

describe('normalizeDecimal', () => {
  test.each([
    ['141.500', '141.5'],
    ['007.50', '7.5'],
    ['-0.0', '0'],
    ['-0', '0'],
    ['0.000', '0'],
    ['1000', '1000'],
    ['0.00000001', '0.00000001'],
    ['-12.340', '-12.34'],
    [
      '123456789012345678901234567890.123456789',
      '123456789012345678901234567890.123456789',
    ],
  ])('args: %s → %s', (input, output) => {
    expect(normalizeDecimal(input)).toBe(output)
  })

  test('error: rejected inputs name the field', () => {
    expect(() =>
      normalizeDecimal('1e-7', 'price'),
    ).toThrowErrorMatchingInlineSnapshot(
      `[ValidationError: \`price\` must be a decimal string like "141.50" (digits, optional "-" and ".", no exponent or spaces); got "1e-7".]`,
    )
    for (const bad of ['', '.', '-.', ' ', 'abc', 0.1, null, undefined]) {
      expect(() => normalizeDecimal(bad as string)).toThrow(ValidationError)
    }
  })

  propTest.prop([decimal])(
    'behavior: idempotent and never exponential',
    (x) => {
      const n = normalizeDecimal(x)
      expect(normalizeDecimal(n)).toBe(n)
      expect(n).not.toMatch(/e/i)
      expect(compareDecimals(n, x)).toBe(0)
    },
  )
})

describe('arithmetic', () => {
  test('default: classic float traps are exact', () => {
    expect(addDecimals('0.1', '0.2')).toBe('0.3')
    expect(subtractDecimals('1', '0.9')).toBe('0.1')
    expect(multiplyDecimals('0.1', '3')).toBe('0.3')
    expect(multiplyDecimals('141.5', '0.3')).toBe('42.45')
    expect(compareDecimals('0.10', '0.1')).toBe(0)
    expect(compareDecimals('-1', '0')).toBe(-1)
    expect(addDecimals('99999999999999999999.99', '0.01')).toBe(
      '100000000000000000000',
    )
  })

  propTest.prop([decimal, decimal])('behavior: (a + b) − b = a', (a, b) => {
    expect(subtractDecimals(addDecimals(a, b), b)).toBe(normalizeDecimal(a))
  })

  propTest.prop([decimal, decimal])(
    'behavior: compare is antisymmetric',
    (a, b) => {
      expect(compareDecimals(a, b)).toBe(-compareDecimals(b, a) || 0)
    },
  )

  test('error: operands must be decimal strings', () => {
    expect(() => addDecimals('1', 2 as unknown as string)).toThrow(
      ValidationError,
    )
    expect(() => multiplyDecimals('1e3', '1')).toThrow(ValidationError)
  })
})

describe('divideDecimals', () => {
  test.each([
    ['100', '3', 2, 'down', '33.33'],
    ['100', '3', 2, 'up', '33.34'],
    ['100', '3', 2, 'nearest', '33.33'],
    ['2', '3', 0, 'nearest', '1'],
    ['1', '8', 2, 'nearest', '0.13'],
    ['-1', '8', 2, 'nearest', '-0.13'],
    ['-100', '3', 2, 'down', '-33.34'],
    ['-100', '3', 2, 'up', '-33.33'],
    ['1', '3', 40, 'up', `0.${'3'.repeat(39)}4`],
    ['6', '3', 5, 'up', '2'],
  ] as const)(
    'args: %s / %s to %d (%s) = %s',
    (a, b, decimals, rounding, out) => {
      expect(divideDecimals(a, b, { decimals, rounding })).toBe(out)
    },
  )

  test('error: zero divisor, bad options', () => {
    expect(() =>
      divideDecimals('1', '0', { decimals: 2, rounding: 'down' }),
    ).toThrow(/division by zero/)
    expect(() => divideDecimals('1', '3', { decimals: 2 } as never)).toThrow(
      ValidationError,
    )
    expect(() =>
      divideDecimals('1', '3', { decimals: -1, rounding: 'up' }),
    ).toThrow(ValidationError)
    expect(() => divideDecimals('1', '3', undefined as never)).toThrow(
      ValidationError,
    )
  })
})

describe('roundToIncrement', () => {
  test.each([
    ['141.537', '0.01', 'down', '141.53'],
    ['141.531', '0.01', 'up', '141.54'],
    ['141.535', '0.01', 'nearest', '141.54'],
    ['141.5349999', '0.01', 'nearest', '141.53'],
    ['141.53', '0.01', 'up', '141.53'],
    ['0.3', '0.25', 'nearest', '0.25'],
    ['0.375', '0.25', 'nearest', '0.5'],
    ['7', '5', 'down', '5'],
    ['7', '5', 'up', '10'],
    ['0.004', '0.01', 'down', '0'],
    ['-0.004', '0.01', 'down', '-0.01'],
    ['-0.004', '0.01', 'up', '0'],
    ['1.00000000000000000000000000001', '0.1', 'up', '1.1'],
  ] as const)('args: %s to %s (%s) = %s', (value, step, rounding, out) => {
    expect(roundToIncrement(value, step, rounding)).toBe(out)
  })

  propTest.prop([
    decimal,
    increment,
    fc.constantFrom('down', 'up', 'nearest' as const),
  ])(
    'behavior: result is a multiple of the increment, moved less than one increment in the stated direction',
    (value, step, rounding) => {
      const r = roundToIncrement(value, step, rounding)
      // A multiple: r / step is an integer.
      expect(divideDecimals(r, step, { decimals: 0, rounding: 'down' })).toBe(
        divideDecimals(r, step, { decimals: 0, rounding: 'up' }),
      )
      const moved = subtractDecimals(r, value)
      const abs = moved.startsWith('-') ? moved.slice(1) : moved
      if (rounding === 'down') {
        expect(compareDecimals(moved, '0')).toBeLessThanOrEqual(0)
        expect(compareDecimals(abs, step)).toBe(-1)
      } else if (rounding === 'up') {
        expect(compareDecimals(moved, '0')).toBeGreaterThanOrEqual(0)
        expect(compareDecimals(abs, step)).toBe(-1)
      } else {
        // Nearest: at most half an increment away.
        expect(
          compareDecimals(multiplyDecimals(abs, '2'), step),
        ).toBeLessThanOrEqual(0)
      }
    },
  )

  propTest.prop([decimal, increment])(
    'behavior: rounding a multiple is the identity in every direction',
    (value, step) => {
      const m = roundToIncrement(value, step, 'down')
      for (const rounding of ['down', 'up', 'nearest'] as const) {
        expect(roundToIncrement(m, step, rounding)).toBe(m)
      }
    },
  )

  test('error: missing direction, zero increment', () => {
    expect(() =>
      roundToIncrement('1', '0.1', undefined as never),
    ).toThrowErrorMatchingInlineSnapshot(
      `[ValidationError: \`rounding\` must be 'down', 'up' or 'nearest' (always explicit); got undefined.]`,
    )
    expect(() => roundToIncrement('1', '0', 'down')).toThrow(ValidationError)
    expect(() => roundToIncrement('1', '-0.1', 'down')).toThrow(ValidationError)
  })
})
