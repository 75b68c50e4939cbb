import { fc, test as fcTest } from '@fast-check/vitest'
import Big from 'big.js'
import { describe, expect, test } from 'vitest'
import { BookSide, isZeroQuantity, normalizePrice } from './bookSide.js'

// The model uses big.js directly (exact, independent of the code under test).
const normalizeDecimal = (p: string) => new Big(p).toFixed()
const compareDecimals = (a: string, b: string) => new Big(a).cmp(new Big(b))

/** Non-negative decimal strings with optional leading / trailing zeros. */
const price = fc
  .tuple(
    fc.nat({ max: 99_999 }),
    fc.option(fc.nat({ max: 9_999 }), { nil: undefined }),
    fc.nat({ max: 2 }),
    fc.nat({ max: 2 }),
  )
  .map(
    ([int, frac, lead, trail]) =>
      `${'0'.repeat(lead)}${int}${frac === undefined ? '' : `.${String(frac).padStart(4, '0')}${'0'.repeat(trail)}`}`,
  )

describe('normalizePrice', () => {
  test('behavior: table', () => {
    expect(normalizePrice('18.70')).toBe('18.7')
    expect(normalizePrice('18.7')).toBe('18.7')
    expect(normalizePrice('018.700')).toBe('18.7')
    expect(normalizePrice('5.000')).toBe('5')
    expect(normalizePrice('0.50')).toBe('0.5')
    expect(normalizePrice('0.0')).toBe('0')
    expect(normalizePrice('100')).toBe('100')
    expect(normalizePrice('000')).toBe('0')
  })

  test('error: not a plain decimal', () => {
    for (const bad of [
      '',
      '.',
      '1.',
      '.5',
      '-1',
      '1e-7',
      '1.2.3',
      ' 1',
      'abc',
    ]) {
      expect(() => normalizePrice(bad), bad).toThrow(
        'plain non-negative decimal',
      )
    }
  })

  fcTest.prop([price])(
    'behavior: agrees with an exact decimal library',
    (p) => {
      expect(normalizePrice(p)).toBe(normalizeDecimal(p))
    },
  )
})

describe('isZeroQuantity', () => {
  test('behavior: table', () => {
    expect(isZeroQuantity('0')).toBe(true)
    expect(isZeroQuantity('0.000')).toBe(true)
    expect(isZeroQuantity('00.0')).toBe(true)
    expect(isZeroQuantity('0.001')).toBe(false)
    expect(isZeroQuantity('10')).toBe(false)
  })
})

describe('BookSide', () => {
  test('default: "18.70" and "18.7" are one level', () => {
    const s = new BookSide(false)
    s.apply('18.70', '1')
    s.apply('18.7', '2')
    s.apply('18.65', '3')
    expect(s.toArray()).toEqual([
      ['18.65', '3'],
      ['18.7', '2'],
    ])
    s.apply('18.700', '0.000')
    expect(s.toArray()).toEqual([['18.65', '3']])
  })

  test('behavior: load sorts, dedupes and drops zero levels', () => {
    const s = new BookSide(true)
    s.load([
      ['1', '1'],
      ['10', '1'],
      ['9.5', '1'],
      ['2', '0'],
      ['10.0', '5'],
    ])
    expect(s.toArray()).toEqual([
      ['10.0', '5'],
      ['9.5', '1'],
      ['1', '1'],
    ])
    expect(s.toArray(1)).toEqual([['10.0', '5']])
  })

  fcTest.prop([
    fc.boolean(),
    fc.array(fc.tuple(price, fc.constantFrom('0', '0.00', '1', '2.5', '3')), {
      maxLength: 200,
    }),
  ])('behavior: matches a map + exact sort model', (descending, ops) => {
    const s = new BookSide(descending)
    const model = new Map<string, string>()
    for (const [p, q] of ops) {
      s.apply(p, q)
      const key = normalizeDecimal(p)
      if (compareDecimals(q, '0') === 0) model.delete(key)
      else model.set(key, q)
    }
    const expected = [...model.entries()].sort(
      (a, b) => (descending ? -1 : 1) * compareDecimals(a[0], b[0]),
    )
    expect(s.toArray().map(([p, q]) => [normalizeDecimal(p), q])).toEqual(
      expected,
    )
  })
})
