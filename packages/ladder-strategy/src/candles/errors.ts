/** The error a candle file or row that cannot be read throws. */
import { LadderConfigError } from '../errors.js'

/**
 * A candle file or row that cannot be read; `line` and `column` (1-based)
 * point at the bad value.
 */
export class CandleDataError extends LadderConfigError {
  /** Always `'CandleDataError'`. */
  override name = 'CandleDataError' as const
  /** 1-based line (or row) number, 0 when the problem is not on one line. */
  readonly line: number
  /** 1-based column number (1 = open_time), 0 when not on one column. */
  readonly column: number

  /**
   * @param message - What is wrong and how to fix it.
   * @param line - 1-based line or row number.
   * @param column - 1-based column number.
   * @param value - The offending text.
   * @param options - `cause`.
   */
  constructor(
    message: string,
    line: number,
    column: number,
    value: unknown,
    options?: ErrorOptions,
  ) {
    const where =
      line > 0
        ? `line ${line}${column > 0 ? `, column ${column} (${COLUMNS[column - 1] ?? '?'})` : ''}`
        : 'candles'
    super(
      'The candle data is not valid.',
      [{ path: where, value, message }],
      options,
    )
    this.line = line
    this.column = column
  }
}

const COLUMNS = ['open_time', 'open', 'high', 'low', 'close', 'volume']
