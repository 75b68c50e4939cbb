import { fc, test as prop } from '@fast-check/vitest'
import { describe, expect, test } from 'vitest'
import {
  add,
  cmp,
  div,
  floorToStep,
  mul,
  percentChange,
  round,
  sub,
} from './decimal.js'

// Decimals as text: an integer part, and up to 8 fraction digits.
const decimal = fc
  .tuple(
    fc.nat({ max: 10_000_000 }),
    fc.nat({ max: 99_999_999 }),
    fc.integer({ min: 0, max: 8 }),
  )
  .map(([i, f, d]) =>
    d === 0 ? String(i) : `${i}.${String(f).padStart(8, '0').slice(0, d)}`,
  )
const step = fc.constantFrom('1', '0.1', '0.01', '0.00001', '0.5', '2.5')

describe('decimal', () => {
  test('default: exact arithmetic with no binary-float artefacts', () => {
    expect(add('0.1', '0.2')).toBe('0.3')
    expect(sub('0.3', '0.1')).toBe('0.2')
    expect(mul('0.00061', '65149.5')).toBe('39.741195')
    expect(div('1', '3')).toBe('0.333333333333333333')
    expect(cmp('10', '9.99')).toBe(1)
  })

  test('args: round names its direction', () => {
    expect(round('1.005', 2, 'down')).toBe('1.00')
    expect(round('1.001', 2, 'up')).toBe('1.01')
    expect(round('1.005', 2, 'halfUp')).toBe('1.01')
    expect(round('-1.005', 2, 'halfUp')).toBe('-1.01')
    expect(round('0', 2, 'halfUp')).toBe('0.00')
  })

  test('args: floorToStep and percentChange', () => {
    expect(floorToStep('0.00061938', '0.00001')).toBe('0.00061')
    expect(floorToStep('7.4', '2.5')).toBe('5')
    expect(percentChange('98.25', '100')).toBe('-1.75')
  })

  test('error: malformed input is rejected, never guessed', () => {
    for (const bad of ['', '.', '-.', 'abc', '1,5'])
      expect(() => add(bad, '1')).toThrow()
  })

  prop.prop([decimal, step])(
    'behavior: floorToStep gives a multiple of the step, less than one step below',
    (value, s) => {
      const floored = floorToStep(value, s)
      expect(cmp(floored, value)).toBeLessThanOrEqual(0)
      expect(cmp(sub(value, floored), s)).toBe(-1)
      expect(floorToStep(floored, s)).toBe(floored)
    },
  )

  prop.prop([decimal, decimal])('behavior: add and sub are inverse', (a, b) => {
    expect(cmp(sub(add(a, b), b), a)).toBe(0)
  })
})
