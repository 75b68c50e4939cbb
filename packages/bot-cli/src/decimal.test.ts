import { fc, test as prop } from '@fast-check/vitest'
import {
  compareDecimals,
  multiplyDecimals,
  roundToIncrement,
  subtractDecimals,
} from '@rung/backpack-sdk'
import { describe, expect, test } from 'vitest'
import {
  decimalsOf,
  isZero,
  padDecimals,
  percentChange,
  toFixedDecimals,
} from './decimal.js'

// Decimals as text: a sign, an integer part, and up to 8 fraction digits.
const decimal = fc
  .tuple(
    fc.boolean(),
    fc.nat({ max: 10_000_000 }),
    fc.nat({ max: 99_999_999 }),
    fc.integer({ min: 0, max: 8 }),
  )
  .map(
    ([negative, i, f, d]) =>
      `${negative ? '-' : ''}${d === 0 ? String(i) : `${i}.${String(f).padStart(8, '0').slice(0, d)}`}`,
  )
const step = fc.constantFrom('1', '0.1', '0.01', '0.00001', '0.5', '2.5')

describe('toFixedDecimals', () => {
  test('args: the rounding direction is named and honoured', () => {
    expect(toFixedDecimals('1.005', 2, 'down')).toBe('1.00')
    expect(toFixedDecimals('1.001', 2, 'up')).toBe('1.01')
    expect(toFixedDecimals('1.005', 2, 'nearest')).toBe('1.01')
    expect(toFixedDecimals('1.0049', 2, 'nearest')).toBe('1.00')
    expect(toFixedDecimals('-1.005', 2, 'nearest')).toBe('-1.01')
    expect(toFixedDecimals('-0.001', 2, 'nearest')).toBe('0.00')
    expect(toFixedDecimals('0', 2, 'nearest')).toBe('0.00')
    expect(toFixedDecimals('65508.024914675767918088', 1, 'nearest')).toBe(
      '65508.0',
    )
    expect(toFixedDecimals('12.5', 0, 'nearest')).toBe('13')
  })

  test('error: malformed input and bad decimals are rejected, never guessed', () => {
    for (const bad of ['', '.', '-.', 'abc', '1,5', '1e-7'])
      expect(() => toFixedDecimals(bad, 2, 'nearest')).toThrow(/decimal string/)
    expect(() => toFixedDecimals('1', -1, 'nearest')).toThrow(/decimals/)
    expect(() => toFixedDecimals('1', 1.5, 'nearest')).toThrow(/decimals/)
  })

  prop.prop([decimal, fc.integer({ min: 0, max: 6 })])(
    'behavior: exactly `decimals` digits, within half a unit of the value',
    (value, decimals) => {
      const shown = toFixedDecimals(value, decimals, 'nearest')
      const fraction = shown.split('.')[1] ?? ''
      expect(fraction.length).toBe(decimals)
      const unit = decimals === 0 ? '1' : `0.${'0'.repeat(decimals - 1)}1`
      const error = subtractDecimals(shown, value).replace('-', '')
      expect(
        compareDecimals(multiplyDecimals(error, '2'), unit),
      ).toBeLessThanOrEqual(0)
    },
  )
})

describe('padDecimals', () => {
  test('default: appends zeros, never rounds', () => {
    expect(padDecimals('65000', 1)).toBe('65000.0')
    expect(padDecimals('65000.5', 2)).toBe('65000.50')
    expect(padDecimals('0.00061', 5)).toBe('0.00061')
    expect(padDecimals('1.23456', 2)).toBe('1.23456')
    expect(padDecimals('7.50', 0)).toBe('7.5')
  })
})

describe('decimalsOf', () => {
  test('default: fraction digits of a tick or step size', () => {
    expect(decimalsOf('0.1')).toBe(1)
    expect(decimalsOf('0.01')).toBe(2)
    expect(decimalsOf('0.00001')).toBe(5)
    expect(decimalsOf('0.010')).toBe(2)
    expect(decimalsOf('1')).toBe(0)
    expect(decimalsOf('0.5')).toBe(1)
  })

  test('error: names the field', () => {
    expect(() => decimalsOf('1e-5')).toThrow(/increment/)
  })
})

describe('percentChange', () => {
  test('default: exact, rounded to 2 decimals at the end', () => {
    expect(percentChange('98.25', '100')).toBe('-1.75')
    expect(percentChange('100', '100')).toBe('0.00')
    expect(percentChange('65600.1', '65000')).toBe('0.92')
    // 1/3 % = 0.333.. → 0.33; 2/3 % → 0.67 (not truncated).
    expect(percentChange('301', '300')).toBe('0.33')
    expect(percentChange('302', '300')).toBe('0.67')
  })

  test('error: a zero base is a division by zero', () => {
    expect(() => percentChange('1', '0')).toThrow(/zero/)
  })
})

describe('isZero', () => {
  test('default', () => {
    expect(isZero('0')).toBe(true)
    expect(isZero('-0.000')).toBe(true)
    expect(isZero('0.00001')).toBe(false)
  })
})

describe('roundToIncrement (the SDK helper the bot uses for leftovers)', () => {
  prop.prop([decimal, step])(
    'behavior: down gives a multiple of the step, less than one step below',
    (value, s) => {
      const floored = roundToIncrement(value, s, 'down')
      expect(compareDecimals(floored, value)).toBeLessThanOrEqual(0)
      expect(compareDecimals(subtractDecimals(value, floored), s)).toBe(-1)
      expect(roundToIncrement(floored, s, 'down')).toBe(floored)
    },
  )
})
