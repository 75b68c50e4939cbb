/**
 * Node-only: reading a candle file. Kept out of the pure core: Node's
 * modules are imported dynamically inside the function, so importing the
 * package in a browser or a worker without `node:fs` costs nothing until
 * this function is called.
 */
import { type CandleCsvOptions, createCandleCsvParser } from '../candles/csv.js'
import { CandleDataError } from '../candles/errors.js'
import type { CandleSeries } from '../candles/series.js'

/**
 * Reads a candle CSV file, gzipped or not (detected from the content),
 * streaming it through the parser. Node.js only. The file holds
 * `open_time,open,high,low,close,volume` (header optional) or is one of
 * Binance's published 12-column kline files as downloaded (no header,
 * microsecond times since 2025). Open times in seconds, milliseconds or
 * microseconds are told apart once per file (see
 * {@link CandleCsvOptions.timeUnit}) and stored in ms.
 *
 * @param path - File path (`.csv` or `.csv.gz`).
 * @param options - `timeUnit` (default `'auto'`).
 * @returns The candles as integer columns, open times in ms.
 * @throws {CandleDataError} when the file cannot be read or a row is bad
 *   (the error names the line and column; the I/O error is kept as `cause`).
 * @example
 * ```ts
 * import { readCandlesCsv } from '@rung/ladder-strategy/node'
 * const candles = await readCandlesCsv('data/btcusdt-1m-2024H1.csv.gz')
 * console.log(candles.length)
 * const binance = await readCandlesCsv('BTCUSDT-1m-2025-01.csv') // from data.binance.vision, unzipped
 * ```
 */
export async function readCandlesCsv(
  path: string,
  options: CandleCsvOptions = {},
): Promise<CandleSeries> {
  const fs = await import('node:fs')
  const zlib = await import('node:zlib')
  let gzipped: boolean
  try {
    const handle = await fs.promises.open(path, 'r')
    try {
      const head = Buffer.alloc(2)
      const { bytesRead } = await handle.read(head, 0, 2, 0)
      gzipped = bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b
    } finally {
      await handle.close()
    }
  } catch (error) {
    throw new CandleDataError(
      `cannot open the candle file: ${(error as Error).message}`,
      0,
      0,
      path,
      { cause: error },
    )
  }
  const parser = createCandleCsvParser(options)
  const file = fs.createReadStream(path)
  const stream = gzipped ? file.pipe(zlib.createGunzip()) : file
  if (gzipped)
    file.on('error', (error) =>
      (stream as NodeJS.ReadableStream).emit('error', error),
    )
  stream.setEncoding('utf8')
  try {
    for await (const chunk of stream) parser.write(chunk as string)
  } catch (error) {
    file.destroy()
    if (error instanceof CandleDataError) throw error
    throw new CandleDataError(
      `cannot read the candle file${gzipped ? ' (gzip)' : ''}: ${(error as Error).message}`,
      0,
      0,
      path,
      { cause: error },
    )
  }
  return parser.end()
}
