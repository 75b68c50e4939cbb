import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, describe, expect, test } from 'vitest'
import {
  CandleDataError,
  candlesFromRows,
  createCandleCsvParser,
  parseCandlesCsv,
  sliceCandles,
} from './candles.js'
import { isLadderConfigError } from './errors.js'
import { readCandlesCsv } from './readCandlesCsv.js'

const CSV = `open_time,open,high,low,close,volume
1704067200000,42283.58,42298.62,42261.02,42298.61,35.92724
1704067260000,42298.62,42320,42298.61,42320,21.16779
`

const dir = mkdtempSync(join(tmpdir(), 'rung-candles-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('parseCandlesCsv', () => {
  test('default: integer columns at the widest scale of the file', () => {
    const c = parseCandlesCsv(CSV)
    expect(c.length).toBe(2)
    expect(c.priceScale).toBe(2)
    expect(c.volumeScale).toBe(5)
    expect([...c.high]).toEqual([4229862, 4232000])
    expect([...c.openTime]).toEqual([1704067200000, 1704067260000])
    expect(parseCandlesCsv(CSV.split('\n').slice(1).join('\n')).length).toBe(2)
  })

  test('error: names the line and the column of a bad value', () => {
    const bad = `${CSV}1704067320000,42319.99,42331.54,4e4,42325.5,21.6\n`
    let error: unknown
    try {
      parseCandlesCsv(bad)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(CandleDataError)
    expect(isLadderConfigError(error)).toBe(true)
    expect(error).toMatchObject({ line: 4, column: 4 })
    expect((error as Error).message).toMatchInlineSnapshot(`
      "The candle data is not valid.
      - line 4, column 4 (low): must be a non-negative decimal number such as 42283.58 (no exponent), got "4e4""
    `)
  })

  test('error: order, shape and consistency', () => {
    expect(() =>
      parseCandlesCsv(`${CSV}1704067260000,1,1,1,1,1\n`),
    ).toThrowErrorMatchingInlineSnapshot(`
      [CandleDataError: The candle data is not valid.
      - line 4, column 1 (open_time): must be later than the previous candle's open_time 1704067260000 (candles must be in time order, without duplicates), got "1704067260000"]
    `)
    expect(() => parseCandlesCsv('1,2,3\n')).toThrow(
      /line 1: expected 6 comma-separated fields/,
    )
    expect(() => parseCandlesCsv('1,10,11,12,10,1\n')).toThrow(
      /line 1, column 4 \(low\): low must be <= high 11/,
    )
    expect(() => parseCandlesCsv('')).toThrow(/no candles found/)
  })
})

describe('parseCandlesCsv (fast and careful paths agree)', () => {
  test('behavior: CRLF, leading zeros, 16-digit values and a header give the same columns', () => {
    const rows = [
      '1,0042.50,43,42,42.5,1',
      '2,42.5,43.000,42,42.5,0.000000000001',
      // 16 significant digits: too long for the fast path, still exact
      '3,1234567890123.456,1234567890123.457,1234567890123.455,1234567890123.456,1',
    ]
    const lf = parseCandlesCsv(rows.join('\n'))
    const crlf = parseCandlesCsv(
      `open_time,open,high,low,close,volume\r\n${rows.join('\r\n')}\r\n`,
    )
    expect(crlf).toEqual(lf)
    expect(lf.priceScale).toBe(3)
    expect([...lf.open]).toEqual([42500, 42500, 1234567890123456])
    expect(lf.volumeScale).toBe(12)
  })
})

describe('createCandleCsvParser', () => {
  test('behavior: lines may span chunks', () => {
    const parser = createCandleCsvParser()
    for (const chunk of CSV.match(/.{1,7}/gs) ?? []) parser.write(chunk)
    expect(parser.end().close[1]).toBe(4232000)
  })
})

describe('candlesFromRows', () => {
  test('args: numbers and strings, CRLF-free', () => {
    const c = candlesFromRows([
      { openTime: 0, open: 1.5, high: '2', low: '1', close: 1.25, volume: 0 },
    ])
    expect(c.priceScale).toBe(2)
    expect([...c.close]).toEqual([125])
  })
  test('error: row numbers', () => {
    expect(() =>
      candlesFromRows([
        {
          openTime: 0,
          open: '1',
          high: '1',
          low: '1',
          close: '1',
          volume: '1',
        },
        {
          openTime: 60_000,
          open: '1',
          high: '1',
          low: '1',
          close: '1',
          volume: -1,
        },
      ]),
    ).toThrow(/line 2, column 6 \(volume\)/)
  })
})

describe('sliceCandles', () => {
  test('behavior: a view without copy', () => {
    const c = parseCandlesCsv(CSV)
    const s = sliceCandles(c, 1)
    expect(s.length).toBe(1)
    expect(s.high.buffer).toBe(c.high.buffer)
    expect(s.openTime[0]).toBe(1704067260000)
  })
})

describe('readCandlesCsv', () => {
  test('default: plain and gzipped files give the same candles', async () => {
    writeFileSync(join(dir, 'a.csv'), CSV)
    writeFileSync(join(dir, 'a.csv.gz'), gzipSync(CSV))
    const plain = await readCandlesCsv(join(dir, 'a.csv'))
    const gz = await readCandlesCsv(join(dir, 'a.csv.gz'))
    expect(gz).toEqual(plain)
    expect(plain.length).toBe(2)
  })

  test('error: missing file, corrupt gzip, bad row', async () => {
    await expect(readCandlesCsv(join(dir, 'missing.csv'))).rejects.toThrow(
      /cannot open the candle file: ENOENT/,
    )
    writeFileSync(
      join(dir, 'bad.csv.gz'),
      Buffer.concat([gzipSync(CSV).subarray(0, 20)]),
    )
    await expect(readCandlesCsv(join(dir, 'bad.csv.gz'))).rejects.toThrow(
      CandleDataError,
    )
    writeFileSync(join(dir, 'row.csv'), `${CSV}1704067320000,x,1,1,1,1\n`)
    await expect(readCandlesCsv(join(dir, 'row.csv'))).rejects.toMatchObject({
      line: 4,
      column: 2,
    })
  })
})
