import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, describe, expect, test } from 'vitest'
import { isLadderConfigError } from '../errors.js'
import { readCandlesCsv } from '../node/readCandlesCsv.js'
import {
  type CandleCsvOptions,
  candlesFromRows,
  createCandleCsvParser,
  parseCandlesCsv,
} from './csv.js'
import { CandleDataError } from './errors.js'
import { sliceCandles } from './series.js'

const CSV = `open_time,open,high,low,close,volume
1704067200000,42283.58,42298.62,42261.02,42298.61,35.92724
1704067260000,42298.62,42320,42298.61,42320,21.16779
`

const dir = mkdtempSync(join(tmpdir(), 'rung-candles-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** CSV with every open_time (ms) rewritten by `time` (header and blank lines kept). */
const retime = (text: string, time: (ms: number) => string) =>
  text.replace(/^\d+/gm, (t) => time(Number(t)))
const inSeconds = (text: string) => retime(text, (ms) => String(ms / 1000))
const inMicros = (text: string) => retime(text, (ms) => `${ms}000`)

/** A decimal written with 8 places, as Binance writes prices and volumes. */
const pad8 = (v: string) => {
  const [int, frac = ''] = v.split('.')
  return `${int}.${frac.padEnd(8, '0')}`
}

/** CSV with every price and volume written with 8 places. */
const padded = (text: string) =>
  text.replace(/^(\d+),(.*)$/gm, (_, t: string, values: string) =>
    [t, ...values.split(',').map(pad8)].join(','),
  )

/**
 * CSV (6 columns, ms) as Binance publishes spot klines since 2025: 12
 * columns, no header, open and close time in microseconds, 8 decimals.
 */
const asBinance = (text: string) =>
  text
    .split('\n')
    .filter((l) => /^\d/.test(l))
    .map((l) => {
      const [t, ...values] = l.split(',')
      const us = Number(t) * 1000
      return [
        us,
        ...values.map(pad8),
        us + 59_999_999,
        '1519032.44418770',
        1327,
        '16.35799000',
        '691593.96318220',
        0,
      ].join(',')
    })
    .join('\n')
    .concat('\n')

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
    expect(() => parseCandlesCsv('1704067200000,10,11,12,10,1\n')).toThrow(
      /line 1, column 4 \(low\): low must be <= high 11/,
    )
    expect(() => parseCandlesCsv('')).toThrow(/no candles found/)
  })
})

describe('parseCandlesCsv (fast and careful paths agree)', () => {
  test('behavior: CRLF, leading zeros, 16-digit values and a header give the same columns', () => {
    const rows = [
      '1704067200000,0042.50,43,42,42.5,1',
      '1704067260000,42.5,43.000,42,42.5,0.000000000001',
      // 16 significant digits: too long for the fast path, still exact
      '1704067320000,1234567890123.456,1234567890123.457,1234567890123.455,1234567890123.456,1',
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

describe('parseCandlesCsv (time units)', () => {
  test('behavior: open times in seconds, milliseconds or microseconds are read as ms', () => {
    const ms = parseCandlesCsv(CSV)
    expect(parseCandlesCsv(inSeconds(CSV))).toEqual(ms)
    expect(parseCandlesCsv(inMicros(CSV))).toEqual(ms)
    expect([...parseCandlesCsv(inMicros(CSV)).openTime]).toEqual([
      1704067200000, 1704067260000,
    ])
  })

  test('behavior: Binance 12-column klines (no header, microseconds, 8 decimals) give the 6-column candles', () => {
    const binance = asBinance(CSV)
    expect(binance.split(',').length).toBe(23) // 2 lines of 12 fields
    const c = parseCandlesCsv(binance)
    expect(c).toEqual(parseCandlesCsv(padded(CSV)))
    expect([...c.openTime]).toEqual([1704067200000, 1704067260000])
    expect([c.priceScale, c.volumeScale]).toEqual([8, 8])
    expect(c.close[1]).toBe(4232000000000) // 42320.00000000
    const header =
      'open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore\r\n'
    expect(parseCandlesCsv(header + binance.replaceAll('\n', '\r\n'))).toEqual(
      c,
    )
  })

  test('error: a file mixing time units names the line and the fix', () => {
    const mixed = `${CSV}1704067320,42319.99,42331.54,42319.99,42325.5,21.6\n`
    expect(() => parseCandlesCsv(mixed)).toThrowErrorMatchingInlineSnapshot(`
      [CandleDataError: The candle data is not valid.
      - line 4, column 1 (open_time): is in seconds, but line 2 (the first candle) is in milliseconds: write every open_time of the file in one unit, got "1704067320"]
    `)
    expect(() =>
      parseCandlesCsv(`${inMicros(CSV)}1704067320000,1,1,1,1,1\n`),
    ).toThrow(/line 4, column 1 \(open_time\): is in milliseconds, but line 2/)
  })

  test('error: a time whose unit cannot be told', () => {
    expect(() =>
      parseCandlesCsv('60000,1,1,1,1,1\n'),
    ).toThrowErrorMatchingInlineSnapshot(`
      [CandleDataError: The candle data is not valid.
      - line 1, column 1 (open_time): cannot tell whether this time is in seconds, milliseconds or microseconds: write open_time as a Unix time from 2001-09-09 on, in seconds (10 digits), milliseconds (13) or microseconds (16), got "60000"]
    `)
    // 11 digits: seconds after 2286 or milliseconds before 1973
    expect(() => parseCandlesCsv('17040672000,1,1,1,1,1\n')).toThrow(
      /line 1, column 1 \(open_time\): cannot tell/,
    )
    expect(() => parseCandlesCsv('1704067200000100,1,1,1,1,1\n')).toThrow(
      /line 1, column 1 \(open_time\): .*whole millisecond/,
    )
  })

  test('args: timeUnit fixes the unit instead of detecting it', () => {
    const small = '0,1,1,1,1,1\n60000,1,1,1,1,1\n'
    expect([...parseCandlesCsv(small, { timeUnit: 'ms' }).openTime]).toEqual([
      0, 60000,
    ])
    expect([
      ...parseCandlesCsv('0,1,1,1,1,1\n60,1,1,1,1,1\n', { timeUnit: 's' })
        .openTime,
    ]).toEqual([0, 60000])
    expect([
      ...parseCandlesCsv(inMicros(CSV), { timeUnit: 'us' }).openTime,
    ]).toEqual([1704067200000, 1704067260000])
    expect(() =>
      parseCandlesCsv(CSV, { timeUnit: 'ns' } as unknown as CandleCsvOptions),
    ).toThrow(/timeUnit: must be 'auto', 's', 'ms' or 'us'/)
    // an explicit unit is not second-guessed: these are 1970 seconds
    expect(parseCandlesCsv(CSV, { timeUnit: 's' }).openTime[0]).toBe(
      1704067200000000,
    )
  })

  test('error: a file mixing 6 and 12 columns', () => {
    const binance = asBinance(CSV)
    expect(() =>
      parseCandlesCsv(`${binance}${inMicros('1704067320000,1,1,1,1,1\n')}`),
    ).toThrow(/line 3: expected 12 comma-separated fields like line 1, found 6/)
    expect(() => parseCandlesCsv(`${binance.trim()},extra\n`)).toThrow(
      /line 2: expected 12 comma-separated fields like line 1, found 13/,
    )
    // with a header and a given unit too (the first line is then a header)
    expect(() =>
      parseCandlesCsv(
        `${CSV.split('\n')[0]}\n${binance}${inMicros('1704067320000,1,1,1,1,1\n')}`,
        { timeUnit: 'us' },
      ),
    ).toThrow(/line 4: expected 12 comma-separated fields like line 2, found 6/)
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

  test('behavior: a Binance kline file in microseconds, plain or gzipped, and one in seconds', async () => {
    const binance = asBinance(CSV)
    writeFileSync(join(dir, 'BTCUSDT-1m-2025-01.csv'), binance)
    writeFileSync(join(dir, 'BTCUSDT-1m-2025-01.csv.gz'), gzipSync(binance))
    writeFileSync(join(dir, 'seconds.csv'), inSeconds(CSV))
    const expected = parseCandlesCsv(padded(CSV))
    expect(await readCandlesCsv(join(dir, 'BTCUSDT-1m-2025-01.csv'))).toEqual(
      expected,
    )
    expect(
      await readCandlesCsv(join(dir, 'BTCUSDT-1m-2025-01.csv.gz')),
    ).toEqual(expected)
    expect(await readCandlesCsv(join(dir, 'seconds.csv'))).toEqual(
      parseCandlesCsv(CSV),
    )
  })

  test('error: a file mixing units is refused, naming the line', async () => {
    writeFileSync(
      join(dir, 'mixed.csv.gz'),
      gzipSync(`${CSV}${inMicros('1704067320000,1,1,1,1,1\n')}`),
    )
    await expect(
      readCandlesCsv(join(dir, 'mixed.csv.gz')),
    ).rejects.toMatchObject({ name: 'CandleDataError', line: 4, column: 1 })
  })

  test('args: timeUnit', async () => {
    writeFileSync(join(dir, 'small.csv'), '0,1,1,1,1,1\n60000,1,1,1,1,1\n')
    await expect(readCandlesCsv(join(dir, 'small.csv'))).rejects.toThrow(
      /cannot tell/,
    )
    const c = await readCandlesCsv(join(dir, 'small.csv'), { timeUnit: 'ms' })
    expect([...c.openTime]).toEqual([0, 60000])
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
