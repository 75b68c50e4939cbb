/**
 * Reading candle CSV text: an incremental parser (chunks in, series out),
 * a one-call parse for text in memory, and candle objects through the same
 * checks. The format (LADDER-SPEC.md "Backtest"):
 * `open_time,open,high,low,close,volume`, the header line optional, one
 * candle per line, in time order; Binance's 12-column kline files are read
 * as they are published (the six columns after `volume` are ignored).
 * open_time is in seconds, milliseconds or microseconds, told apart once per
 * file from the first candle's magnitude, and stored in ms.
 */
import { LadderConfigError } from '../errors.js'
import { carefulLine } from './carefulLine.js'
import { fastLine } from './fastLine.js'
import type { CandleRow, CandleSeries } from './series.js'
import { ParserState } from './state.js'
import type { CandleTimeUnit } from './units.js'

/** Options of {@link createCandleCsvParser}, {@link parseCandlesCsv} and `readCandlesCsv` (`@rung/ladder-strategy/node`). */
export interface CandleCsvOptions {
  /**
   * Unit of `open_time` in the text; the series always holds ms.
   *
   * `'auto'` decides once per file, from the first candle: 10 digits are
   * seconds, 13 milliseconds, 16 microseconds (Unix times from 2001-09-09
   * on), and every later candle must be in the same unit. A time of any
   * other length (such as synthetic data starting at 0) is refused: pass
   * its unit. `'s'`, `'ms'` and `'us'` take every time in that unit, of
   * any size. Microsecond times must be whole milliseconds.
   * @default 'auto'
   */
  timeUnit?: CandleTimeUnit | undefined
}

/**
 * An incremental CSV parser: feed text chunks with `write`, get the series
 * from `end`. Used by `readCandlesCsv` (`@rung/ladder-strategy/node`) to stream a (gzipped) file and
 * by {@link parseCandlesCsv} for text in memory.
 */
export interface CandleCsvParser {
  /** Feeds the next chunk of text (lines may span chunks). */
  write(chunk: string): void
  /**
   * Finishes and returns the series.
   * @throws {CandleDataError} when a row is invalid (also thrown by `write`).
   */
  end(): CandleSeries
}

/**
 * Creates an incremental candle CSV parser: 6 columns
 * (`open_time,open,high,low,close,volume`, header optional) or Binance's
 * 12-column klines, open times in s, ms or µs (see
 * {@link CandleCsvOptions.timeUnit}).
 *
 * @param options - `timeUnit` (default `'auto'`).
 * @returns A parser; call `write(chunk)` for each chunk, then `end()`.
 * @throws {CandleDataError} from `write`/`end` on the first bad row, naming
 *   its line and column (also for a time whose unit cannot be told, or a
 *   file mixing units or field counts).
 * @example
 * ```ts
 * import { createCandleCsvParser } from '@rung/ladder-strategy'
 * const parser = createCandleCsvParser()
 * parser.write('open_time,open,high,low,close,volume\n1704067200000,42283.58,')
 * parser.write('42298.62,42261.02,42298.61,35.92724\n')
 * const candles = parser.end() // candles.length === 1
 * ```
 */
export function createCandleCsvParser(
  options: CandleCsvOptions = {},
): CandleCsvParser {
  const timeUnit = options.timeUnit ?? 'auto'
  if (!['auto', 's', 'ms', 'us'].includes(timeUnit))
    throw new LadderConfigError('The candle options are not valid.', [
      {
        path: 'timeUnit',
        value: timeUnit,
        message: "must be 'auto', 's', 'ms' or 'us'",
      },
    ])
  const st = new ParserState(timeUnit)
  let rest = ''
  return {
    write(chunk: string) {
      const text = rest + chunk
      let start = 0
      for (;;) {
        const nl = text.indexOf('\n', start)
        if (nl < 0) break
        if (st.lineNo === 0 || !fastLine(st, text, start, nl))
          carefulLine(st, text.slice(start, nl))
        start = nl + 1
      }
      rest = text.slice(start)
    },
    end() {
      if (rest !== '') {
        carefulLine(st, rest)
        rest = ''
      }
      return st.toSeries()
    },
  }
}

/**
 * Parses candle CSV text held in memory: 6 columns (header optional) or
 * Binance's 12-column klines, open times in s, ms or µs (see
 * {@link CandleCsvOptions.timeUnit}).
 *
 * @param text - The CSV text.
 * @param options - `timeUnit` (default `'auto'`).
 * @returns The candles as integer columns, open times in ms.
 * @throws {CandleDataError} naming the line and column of the first bad value.
 * @example
 * ```ts
 * import { parseCandlesCsv } from '@rung/ladder-strategy'
 * const candles = parseCandlesCsv('1704067200000,42283.58,42298.62,42261.02,42298.61,35.92724\n')
 * const same = parseCandlesCsv('1704067200,42283.58,42298.62,42261.02,42298.61,35.92724\n') // seconds
 * const synthetic = parseCandlesCsv('0,100,101,99,100.5,3\n', { timeUnit: 'ms' })
 * ```
 */
export function parseCandlesCsv(
  text: string,
  options: CandleCsvOptions = {},
): CandleSeries {
  const parser = createCandleCsvParser(options)
  parser.write(text)
  return parser.end()
}

/**
 * Builds a series from candle objects (for in-memory data, e.g. from an API).
 *
 * @param rows - Candles in time order.
 * @returns The candles as integer columns.
 * @throws {CandleDataError} naming the row (as `line`, 1-based) and column of the first bad value.
 * @example
 * ```ts
 * import { candlesFromRows } from '@rung/ladder-strategy'
 * const candles = candlesFromRows([
 *   { openTime: 0, open: '100', high: '101', low: '99', close: '100.5', volume: '3' },
 * ])
 * ```
 */
export function candlesFromRows(rows: Iterable<CandleRow>): CandleSeries {
  // Rows carry ms by contract: no unit to detect.
  const parser = createCandleCsvParser({ timeUnit: 'ms' })
  // JSON numbers are written by their shortest text, which the parser
  // rejects when it needs an exponent.
  const text = (v: unknown) => String(v)
  for (const r of rows)
    parser.write(
      `${text(r.openTime)},${text(r.open)},${text(r.high)},${text(r.low)},${text(r.close)},${text(r.volume)}\n`,
    )
  return parser.end()
}
