import { fc, test as fcTest } from '@fast-check/vitest'
import {
  divRound,
  parseDecimal as parseCore,
  quantize,
} from '@rung/decimal-core'
import { describe, expect, test } from 'vitest'
import {
  dec,
  div,
  feeAt,
  feeOf,
  feeRate,
  formatDecimal,
  isMultiple,
  mul,
  parseDecimal,
  roundToStep,
} from './decimal.js'

describe('parseDecimal', () => {
  test('args: accepted and rejected text', () => {
    const table: [string, string | null][] = [
      ['0', '0'],
      ['141.50', '141.5'],
      ['-0.5', '-0.5'],
      ['.5', '0.5'],
      ['3.', '3'],
      ['0.000000000000000001', '0.000000000000000001'],
      ['0.0000000000000000001', null],
      ['1e-7', null],
      ['', null],
      ['.', null],
      ['-.', null],
      [' 1', null],
      ['1,5', null],
    ]
    for (const [text, expected] of table) {
      const r = parseDecimal(text)
      expect(r.ok ? formatDecimal(r.value) : null, text).toBe(expected)
    }
  })

  fcTest.prop([fc.stringMatching(/^-?[0-9]{0,25}(\.[0-9]{0,20})?$/)])(
    'behavior: the same value and decimals as the core parse',
    (text) => {
      const core = parseCore(text, 'lenient')
      const r = parseDecimal(text)
      if (core === null || core.scale > 18) {
        expect(r.ok).toBe(false)
        return
      }
      expect(r.ok && r.value).toBe(quantize(core, 18, 'down'))
      // Significant decimals: the scale less the coefficient's trailing zeros.
      let decimals = core.scale
      let coef = core.coef
      while (decimals > 0 && coef % 10n === 0n) {
        coef /= 10n
        decimals--
      }
      expect(r.ok && r.decimals).toBe(decimals)
    },
  )

  fcTest.prop([fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n })])(
    'behavior: format then parse is the identity',
    (units) => {
      const r = parseDecimal(formatDecimal(units))
      expect(r.ok && r.value).toBe(units)
    },
  )
})

describe('formatDecimal', () => {
  test('args: fixed decimals', () => {
    expect(formatDecimal(dec('65000'), 1)).toBe('65000.0')
    expect(formatDecimal(dec('0.01'), 5)).toBe('0.01000')
    expect(formatDecimal(dec('-0.25'))).toBe('-0.25')
  })
})

describe('rounding', () => {
  test('behavior: every rounding names its direction', () => {
    expect(formatDecimal(mul(dec('0.1'), dec('0.3'), 'down'))).toBe('0.03')
    expect(formatDecimal(div(dec('1'), dec('3'), 'down'))).toBe(
      '0.333333333333333333',
    )
    expect(formatDecimal(div(dec('1'), dec('3'), 'up'))).toBe(
      '0.333333333333333334',
    )
    expect(formatDecimal(roundToStep(dec('1.27'), dec('0.05'), 'down'))).toBe(
      '1.25',
    )
    expect(formatDecimal(roundToStep(dec('1.27'), dec('0.05'), 'up'))).toBe(
      '1.3',
    )
    expect(formatDecimal(roundToStep(dec('-1.27'), dec('0.05'), 'down'))).toBe(
      '-1.3',
    )
    expect(isMultiple(dec('0.3'), dec('0.1'))).toBe(true)
    expect(formatDecimal(feeOf(dec('0.00001'), dec('10'), 8, 'up'))).toBe(
      '0.00000001',
    )
    expect(formatDecimal(feeOf(dec('0.00001'), dec('10'), 8, 'down'))).toBe(
      '0.00000001',
    )
    expect(formatDecimal(feeOf(dec('0.000015'), dec('10'), 8, 'down'))).toBe(
      '0.00000001',
    )
    expect(formatDecimal(feeOf(dec('0.000015'), dec('10'), 8, 'up'))).toBe(
      '0.00000002',
    )
  })

  fcTest.prop([
    fc.bigInt({ min: -(10n ** 24n), max: 10n ** 24n }),
    fc.bigInt({ min: 1n, max: 10n ** 20n }),
  ])(
    'behavior: a value rounded to a step is a multiple, moved less than one step the stated way',
    (x, step) => {
      const d = roundToStep(x, step, 'down')
      const u = roundToStep(x, step, 'up')
      expect(isMultiple(d, step) && isMultiple(u, step)).toBe(true)
      expect(d <= x && x - d < step).toBe(true)
      expect(u >= x && u - x < step).toBe(true)
    },
  )

  fcTest.prop([
    fc.bigInt({ min: -(10n ** 25n), max: 10n ** 25n }),
    fc.bigInt({ min: -(10n ** 25n), max: 10n ** 25n }),
    fc.constantFrom('down' as const, 'up' as const),
  ])(
    'behavior: mul and div round exactly as the core divRound',
    (a, b, rounding) => {
      const one = 10n ** 18n
      expect(mul(a, b, rounding)).toBe(divRound(a * b, one, rounding))
      if (b !== 0n) {
        expect(div(a, b, rounding)).toBe(divRound(a * one, b, rounding))
      }
    },
  )

  fcTest.prop([
    fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }),
    fc.bigInt({ min: -(10n ** 21n), max: 10n ** 21n }),
    fc.integer({ min: 0, max: 18 }),
    fc.constantFrom('down' as const, 'up' as const),
  ])(
    'behavior: a fee is rounded to units, then to the asset quantum',
    (amount, bps, decimals, rounding) => {
      const one = 10n ** 18n
      const quantum = 10n ** BigInt(18 - decimals)
      const raw = divRound(amount * bps, 10_000n * one, rounding)
      expect(feeOf(amount, bps, decimals, rounding)).toBe(
        divRound(raw, quantum, rounding) * quantum,
      )
    },
  )

  fcTest.prop([
    fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }),
    fc.bigInt({ min: -100_000n, max: 100_000n }),
    fc.integer({ min: 0, max: 4 }),
    fc.integer({ min: 0, max: 18 }),
    fc.constantFrom('down' as const, 'up' as const),
  ])(
    'behavior: a rate of few decimals (its short form) rounds as the long one',
    (amount, digits, places, decimals, rounding) => {
      const one = 10n ** 18n
      const bps = digits * 10n ** BigInt(18 - places)
      const quantum = 10n ** BigInt(18 - decimals)
      const raw = divRound(amount * bps, 10_000n * one, rounding)
      const rate = feeRate(bps)
      expect(rate.places).toBeLessThanOrEqual(places)
      expect(feeAt(amount, rate, decimals, rounding)).toBe(
        divRound(raw, quantum, rounding) * quantum,
      )
    },
  )
})
