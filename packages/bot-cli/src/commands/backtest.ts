/**
 * `rung backtest` (and the candle loading `rung sweep` shares): candle files are streamed through the
 * strategy's CSV parser with a progress line (compressed bytes read vs the
 * file size), then handed to `runBacktest` / `sweep`. The report is a table
 * (or JSON), and the equity curve is written beside it as a self-contained SVG.
 */
import {
  closeSync,
  createReadStream,
  existsSync,
  openSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { open } from 'node:fs/promises'
import { basename, dirname, resolve } from 'node:path'
import { createGunzip } from 'node:zlib'
import {
  divideDecimals,
  multiplyDecimals,
  normalizeDecimal,
} from '@rung/backpack-sdk'
import {
  type BacktestFees,
  type BacktestReport,
  type CandleSeries,
  createCandleCsvParser,
  isLadderConfigError,
  type LadderConfig,
  type LadderMarket,
  runBacktest,
} from '@rung/ladder-strategy'
import type { Command } from 'commander'
import { renderBacktestReport } from '../dashboard/backtestReport.js'
import { isZero, padDecimals, toFixedDecimals } from '../decimal.js'
import { ConfigError, EXIT, ExitError } from '../errors.js'
import type { OutStream } from '../io.js'
import { renderEquitySvg } from '../ui/chart.js'
import { createProgress } from '../ui/progress.js'
import { formatTable } from '../ui/table.js'

/** Market rules used when the command line gives none (Backpack's BTC_USDC precision). */
export const DEFAULT_BACKTEST_MARKET = {
  tickSize: '0.01',
  stepSize: '0.00001',
  minQuantity: '0.00001',
} as const

/**
 * Fees `rung backtest` and `rung sweep` charge when no `--maker-fee` /
 * `--taker-fee` is given: Backpack's spot fees, in percent, the same as
 * backpack-sim charges a fresh account (its `makerFeeBps` 8 and
 * `takerFeeBps` 10; the sim does not export them, a test checks they agree).
 */
export const DEFAULT_BACKTEST_FEES = {
  makerPercentage: '0.08',
  takerPercentage: '0.1',
} as const satisfies Required<BacktestFees>

/** Fee rates as the report shows them: `maker 0.08 %, taker 0.1 %`. */
export function feeRatesText(fees: Required<BacktestFees>): string {
  return `maker ${fees.makerPercentage} %, taker ${fees.takerPercentage} %`
}

/** The fee flags as decimal strings without redundant zeros (`0.10` → `0.1`). */
export function feeRates(options: {
  makerFee: string
  takerFee: string
}): Required<BacktestFees> {
  return {
    makerPercentage: normalizeDecimal(options.makerFee, '--maker-fee'),
    takerPercentage: normalizeDecimal(options.takerFee, '--taker-fee'),
  }
}

/**
 * Checks the candle file can be opened and read, and tells whether it is
 * gzipped (from its content).
 * @throws {ConfigError} naming `--data` when it cannot.
 */
export async function inspectCandleFile(
  path: string,
): Promise<{ absolute: string; size: number; gzipped: boolean }> {
  const absolute = resolve(path)
  try {
    const size = statSync(absolute).size
    const handle = await open(absolute, 'r')
    try {
      const head = Buffer.alloc(2)
      await handle.read(head, 0, 2, 0)
      return { absolute, size, gzipped: head[0] === 0x1f && head[1] === 0x8b }
    } finally {
      await handle.close()
    }
  } catch (cause) {
    // "ENOENT: no such file or directory, stat '/x.csv'": the path is named already
    const reason = (cause as Error).message.replace(/, \w+( '.*')?$/, '')
    throw new ConfigError(
      '--data',
      `Cannot read the candle file ${absolute} (--data): ${reason}.\nFix: pass an existing, readable CSV (or .csv.gz) of 1-minute candles with --data.`,
      { cause },
    )
  }
}

/**
 * Checks that an output file can be written, before any work is done: opens
 * it for appending (which changes nothing in an existing file) and removes
 * it again if it did not exist.
 * @param path - Absolute path.
 * @param flag - The flag that gave it, e.g. `--chart`.
 * @param what - What is written there, e.g. `the equity chart`.
 * @param off - The flag that turns the output off, if any.
 * @throws {ConfigError} naming the flag and the fix.
 */
export function checkWritable(
  path: string,
  flag: string,
  what: string,
  off?: string,
): void {
  const existed = existsSync(path)
  try {
    closeSync(openSync(path, 'a'))
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code
    const dir = dirname(path)
    const [reason, fix] =
      code === 'ENOENT'
        ? [`the directory ${dir} does not exist`, `create it (mkdir -p ${dir})`]
        : code === 'EISDIR'
          ? ['it is a directory', 'name a file']
          : code === 'EACCES' || code === 'EPERM'
            ? ['permission denied', 'make it writable']
            : code === 'EROFS'
              ? ['the file system is read-only', 'write elsewhere']
              : code === 'ENOTDIR'
                ? [`a parent of it is not a directory`, 'fix the path']
                : [(cause as Error).message, 'fix the path']
    throw new ConfigError(
      flag,
      `Cannot write ${what} to ${path} (${flag}): ${reason}.\nFix: ${fix}, pass another path with ${flag}${off ? `, or ${off}` : ''}.`,
      { cause },
    )
  }
  if (!existed) rmSync(path, { force: true })
}

/**
 * Reads a candle CSV (gzipped or not) with a progress line on `progress`.
 * @throws {ExitError} when the file cannot be read or a row is invalid.
 */
export async function loadCandles(
  path: string,
  progress: OutStream,
): Promise<CandleSeries> {
  const { absolute, size, gzipped } = await inspectCandleFile(path)
  const bar = createProgress(
    `loading ${basename(absolute)}`,
    progress as NodeJS.WritableStream & { isTTY?: boolean },
  )
  const parser = createCandleCsvParser()
  const file = createReadStream(absolute)
  let read = 0
  file.on('data', (chunk) => {
    read += chunk.length
    bar.update(read, size)
  })
  const text = gzipped ? file.pipe(createGunzip()) : file
  if (gzipped) file.on('error', (error) => text.emit('error', error))
  text.setEncoding('utf8')
  try {
    for await (const chunk of text) parser.write(chunk as string)
    const series = parser.end()
    bar.done()
    return series
  } catch (cause) {
    bar.done()
    file.destroy()
    throw new ExitError(
      EXIT.usage,
      `The candle file ${absolute} could not be parsed: ${(cause as Error).message}`,
      { cause },
    )
  }
}

/** Rows of the report table: label and value (`fees` are the rates charged). */
export function reportRows(
  report: BacktestReport,
  series: { first: number; last: number },
  fees: Required<BacktestFees>,
): [string, string][] {
  const money = (v: string) => toFixedDecimals(v, 2, 'nearest')
  const total = normalizeDecimal(report.realisedProfit, 'realisedProfit')
  const returnOnCapital = isZero(report.peakCapital)
    ? '-'
    : `${padDecimals(divideDecimals(multiplyDecimals(total, '100'), report.peakCapital, { decimals: 2, rounding: 'nearest' }), 2)} %`
  const day = (t: number) =>
    new Date(t).toISOString().slice(0, 16).replace('T', ' ')
  return [
    ['period', `${day(series.first)} → ${day(series.last)} UTC`],
    ['candles', String(report.candles)],
    ['cycles (take profits)', String(report.cycles)],
    ['stop losses', String(report.stopLosses)],
    ['buy fills', String(report.fills)],
    ['no-fill restarts', String(report.noFillRestarts)],
    ['fee rates', feeRatesText(fees)],
    ['realised profit', money(report.realisedProfit)],
    // Multi-step take profit: what each step sold (before fees).
    ...(report.takeProfitSteps ?? []).map((s): [string, string] => [
      `take-profit step ${s.step + 1}`,
      `${s.sells} sell${s.sells === 1 ? '' : 's'}, ${s.quantity} for ${money(s.proceeds)}`,
    ]),
    ['fees', money(report.fees)],
    [
      'open position',
      `${report.openPositionQty} (value ${money(report.openPositionValue)})`,
    ],
    ['unrealised profit', money(report.unrealisedProfit)],
    ['max drawdown', money(report.maxDrawdown)],
    ['peak capital in use', money(report.peakCapital)],
    ['realised / peak capital', returnOnCapital],
    [
      'final status',
      report.stopReason
        ? `${report.finalStatus} (${report.stopReason})`
        : report.finalStatus,
    ],
  ]
}

/** What `runBacktest` and `sweep` both take from the command's options: candles, config, market and fee rates. */
export function runInputs(
  options: Pick<
    BacktestCommandOptions,
    'config' | 'market' | 'makerFee' | 'takerFee'
  >,
  candles: CandleSeries,
) {
  return {
    candles,
    config: options.config,
    market: options.market,
    fees: {
      makerPercentage: options.makerFee,
      takerPercentage: options.takerFee,
    },
  }
}

/** Options of {@link backtestCommand}. */
export interface BacktestCommandOptions {
  /** Candle file. */
  data: string
  /** Strategy config (validated). */
  config: LadderConfig
  /** Market rules. */
  market: LadderMarket
  /** Maker fee in percent ({@link DEFAULT_BACKTEST_FEES} from the command line). */
  makerFee: string
  /** Taker fee in percent ({@link DEFAULT_BACKTEST_FEES} from the command line). */
  takerFee: string
  /** Chart path, or false for none. */
  chart: string | false
  /** HTML report path (`--report`), if any. */
  report?: string | undefined
  /** JSON output. */
  json: boolean
  /** Results. */
  stdout: OutStream
  /** Progress. */
  stderr: OutStream
}

/** Runs `rung backtest`. */
export async function backtestCommand(
  options: BacktestCommandOptions,
): Promise<BacktestReport> {
  // Bad paths fail now, not after the backtest.
  await inspectCandleFile(options.data)
  if (options.chart !== false)
    checkWritable(
      resolve(options.chart),
      '--chart',
      'the equity chart',
      '--no-chart',
    )
  if (options.report !== undefined)
    checkWritable(resolve(options.report), '--report', 'the HTML report')
  const candles = await loadCandles(options.data, options.stderr)
  if (candles.length < 2)
    throw new ExitError(
      EXIT.usage,
      `The candle file ${options.data} has ${candles.length} candle(s); a backtest needs at least 2.`,
    )
  let report: BacktestReport
  try {
    // The HTML report marks every fill: only it needs the trades.
    report = runBacktest({
      ...runInputs(options, candles),
      trades: options.report !== undefined,
    })
  } catch (error) {
    if (isLadderConfigError(error))
      throw new ConfigError(
        'trading',
        `The backtest cannot run: ${error.message}`,
        { cause: error },
      )
    throw error
  }
  const fees = feeRates(options)
  const first = candles.openTime[0] ?? 0
  const last = (candles.openTime[candles.length - 1] ?? 0) + 60_000
  let chartPath: string | undefined
  if (options.chart !== false) {
    chartPath = resolve(options.chart)
    writeOutput(
      chartPath,
      'the equity chart',
      '--chart',
      'pass another path with --chart, or --no-chart',
      () =>
        renderEquitySvg(
          report.equity.map((p) => ({ time: p.time, equity: p.equity })),
          `rung backtest: ${options.config.symbol} ${basename(options.data)} (equity, quote; fees ${feeRatesText(fees)})`,
        ),
    )
  }
  const rows = reportRows(report, { first, last }, fees)
  let htmlPath: string | undefined
  if (options.report !== undefined) {
    htmlPath = resolve(options.report)
    writeOutput(
      htmlPath,
      'the HTML report',
      '--report',
      'pass another path with --report',
      () =>
        renderBacktestReport({
          title: `rung backtest: ${options.config.symbol} ${basename(options.data)} (fees ${feeRatesText(fees)})`,
          report,
          series: candles,
          rows,
        }),
    )
  }
  if (options.json) {
    options.stdout.write(
      `${JSON.stringify({ ...report, feeRates: fees, chart: chartPath ?? null, report: htmlPath ?? null })}\n`,
    )
  } else {
    options.stdout.write(`${formatTable(rows)}\n`)
    if (chartPath) options.stdout.write(`equity chart: ${chartPath}\n`)
    if (htmlPath) options.stdout.write(`report: ${htmlPath}\n`)
    for (const w of report.warnings.slice(0, 5))
      options.stderr.write(`warning: ${w}\n`)
  }
  return report
}

/** Adds the market and fee flags of `rung backtest` and `rung sweep`. */
export const marketFlags = (command: Command) =>
  command
    .option(
      '--tick-size <decimal>',
      'price tick of the market',
      DEFAULT_BACKTEST_MARKET.tickSize,
    )
    .option(
      '--step-size <decimal>',
      'quantity step of the market',
      DEFAULT_BACKTEST_MARKET.stepSize,
    )
    .option(
      '--min-quantity <decimal>',
      'smallest order quantity',
      DEFAULT_BACKTEST_MARKET.minQuantity,
    )
    .option(
      '--maker-fee <percent>',
      "maker fee in percent: Backpack's spot fee, as backpack-sim charges (0 for none)",
      DEFAULT_BACKTEST_FEES.makerPercentage,
    )
    .option(
      '--taker-fee <percent>',
      "taker fee in percent: Backpack's spot fee, as backpack-sim charges (0 for none)",
      DEFAULT_BACKTEST_FEES.takerPercentage,
    )
/** The values of {@link marketFlags}. */
export type MarketFlags = {
  tickSize: string
  stepSize: string
  minQuantity: string
  makerFee: string
  takerFee: string
}
/** The market rules the flags describe. */
export const marketOf = (symbol: string, o: MarketFlags) => ({
  symbol,
  tickSize: o.tickSize,
  stepSize: o.stepSize,
  minQuantity: o.minQuantity,
})

/**
 * Writes an output file the run was asked for (rendered inside the guard);
 * a failure exits naming the file, its flag and the fix.
 */
function writeOutput(
  path: string,
  what: string,
  flag: string,
  fix: string,
  render: () => string,
): void {
  try {
    writeFileSync(path, render())
  } catch (cause) {
    throw new ExitError(
      EXIT.runtime,
      `Cannot write ${what} to ${path} (${flag}): ${(cause as Error).message}.\nFix: ${fix}.`,
      { cause },
    )
  }
}
