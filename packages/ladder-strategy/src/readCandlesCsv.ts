/**
 * Node-only: reading a candle file. Kept out of the pure core: Node's
 * modules are imported dynamically inside the function, so importing the
 * package in a browser or a worker without `node:fs` costs nothing until
 * this function is called.
 */
import {
  CandleDataError,
  type CandleSeries,
  createCandleCsvParser,
} from './candles.js'

/**
 * Reads a candle CSV file (`open_time,open,high,low,close,volume`, header
 * optional), gzipped or not (detected from the content), streaming it
 * through the parser. Node.js only.
 *
 * @param path - File path (`.csv` or `.csv.gz`).
 * @returns The candles as integer columns.
 * @throws {CandleDataError} when the file cannot be read or a row is bad
 *   (the error names the line and column; the I/O error is kept as `cause`).
 * @example
 * ```ts
 * import { readCandlesCsv } from '@rung/ladder-strategy'
 * const candles = await readCandlesCsv('data/btcusdt-1m-2024H1.csv.gz')
 * console.log(candles.length)
 * ```
 */
export async function readCandlesCsv(path: string): Promise<CandleSeries> {
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
  const parser = createCandleCsvParser()
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
