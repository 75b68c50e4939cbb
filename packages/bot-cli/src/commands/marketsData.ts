/**
 * `rung backtest` / `rung sweep` with a `markets` config: one candle file
 * per market, each market backtested with its own entry's strategy options,
 * reported per market and in total.
 *
 * Which file is whose: `--data BTC_USDC=btc.csv.gz` names the market; a
 * plain `--data` path goes to the market whose symbol its file name
 * contains (`BTC_USDC-2024.csv.gz`, `sol_usdc.csv`; `-` counts as `_`).
 * Every market of the config needs exactly one file; `--market <symbol>`
 * backtests one market of the list alone.
 */
import { basename, dirname, join, resolve } from 'node:path'
import type { BacktestReport, LadderConfig } from '@rung/ladder-strategy'
import type { MarketsConfig } from '../config/markets.js'
import { ConfigError } from '../errors.js'
import type { OutStream } from '../io.js'
import { formatTable } from '../ui/table.js'
import {
  type BacktestCommandOptions,
  backtestCommand,
  feeRates,
  feeRatesText,
  inspectCandleFile,
  type MarketFlags,
  marketOf,
} from './backtest.js'
import { totalOf, totalRows } from './multiData.js'

/** One market of a `markets` config with its candle file. */
export interface MarketData {
  /** The market, e.g. `BTC_USDC`. */
  symbol: string
  /** Its candle file (absolute). */
  data: string
  /** Its entry's validated strategy config. */
  config: LadderConfig
}

/** A `--data` value split into its market (when it names one) and its path. */
export function splitDataArg(value: string): {
  symbol: string | undefined
  path: string
} {
  const match = /^([A-Za-z0-9]+_[A-Za-z0-9]+)=(.+)$/.exec(value)
  return match
    ? { symbol: (match[1] as string).toUpperCase(), path: match[2] as string }
    : { symbol: undefined, path: value }
}

/** The markets whose symbol the file name contains (`-` read as `_`). */
function marketsNamedIn(path: string, symbols: readonly string[]): string[] {
  const name = basename(path).toUpperCase().replaceAll('-', '_')
  return symbols.filter((s) => name.includes(s))
}

/**
 * Pairs each market of a `markets` config with its `--data` file.
 *
 * @param config - The validated markets config (several entries).
 * @param data - The `--data` values, as given (`SYMBOL=path` or `path`).
 * @param cwd - Directory relative paths are resolved against.
 * @returns One entry per market, in config order.
 * @throws {ConfigError} naming `--data` when a value names an unlisted
 *   market, a file matches no market or several, a market gets two files,
 *   or a market gets none.
 * @example
 * ```ts
 * import { validateMarkets } from '../config/markets.js'
 * import { pairMarketsData } from './marketsData.js'
 *
 * const markets = validateMarkets(JSON.parse(configText))
 * const runs = pairMarketsData(markets, ['BTC_USDC=btc.csv', 'eth_usdc.csv.gz'], process.cwd())
 * ```
 */
export function pairMarketsData(
  config: MarketsConfig,
  data: readonly string[],
  cwd: string,
): MarketData[] {
  const symbols = config.markets.map((m) => m.symbol)
  const listed = symbols.join(', ')
  const files = new Map<string, string>()
  for (const value of data) {
    const { symbol, path } = splitDataArg(value)
    let market = symbol
    if (market === undefined) {
      const named = marketsNamedIn(path, symbols)
      // SOL_USDC inside SOL_USDCX_USDC: the longest name is the one meant.
      const longest = named.sort((a, b) => b.length - a.length)
      if (longest.length === 0 || longest[0]?.length === longest[1]?.length)
        throw new ConfigError(
          '--data',
          `The candle file ${path} (--data) ${longest.length === 0 ? 'names no market of the config' : `names several markets (${longest.join(', ')})`}; the config lists ${listed}.\nFix: name its market, e.g. --data ${symbols[0]}=${path}`,
        )
      market = longest[0] as string
    } else if (!symbols.includes(market))
      throw new ConfigError(
        '--data',
        `--data ${value} names ${market}, which the config does not list (it lists ${listed}).\nFix: use one of the config's markets, or add ${market} to its markets list.`,
      )
    const earlier = files.get(market)
    if (earlier !== undefined)
      throw new ConfigError(
        '--data',
        `${market} has two candle files (--data): ${earlier} and ${path}.\nFix: give each market one file (backtest another period in another run).`,
      )
    files.set(market, resolve(cwd, path))
  }
  const missing = symbols.filter((s) => !files.has(s))
  if (missing.length > 0)
    throw new ConfigError(
      '--data',
      `The config lists ${listed}, and ${missing.join(', ')} ${missing.length === 1 ? 'has' : 'have'} no candle file (--data).\nFix: add --data ${missing[0]}=<file> for each, or pass --market <symbol> to backtest one market alone.`,
    )
  return config.markets.map((m) => ({
    symbol: m.symbol,
    data: files.get(m.symbol) as string,
    config: m.config,
  }))
}

/**
 * An output path of one market: `x.svg` becomes `x-BTC_USDC.svg`; without
 * a path, `<prefix>-BTC_USDC<ext>` in `cwd` when `prefix` is given.
 */
export function outputFor(
  path: string | undefined,
  symbol: string,
  ext: '.svg' | '.html',
  cwd: string,
  prefix?: string,
): string | undefined {
  if (path === undefined)
    return prefix === undefined
      ? undefined
      : join(cwd, `${prefix}-${symbol}${ext}`)
  const name = basename(path).replace(
    ext === '.svg' ? /\.svg$/ : /\.html?$/,
    '',
  )
  return join(dirname(path), `${name}-${symbol}${ext}`)
}

/** Options of {@link backtestMarketsCommand}. */
export interface BacktestMarketsOptions
  extends Omit<
    BacktestCommandOptions,
    'data' | 'chart' | 'config' | 'market' | 'report'
  > {
  /** Each market with its file and config. */
  markets: readonly MarketData[]
  /** The market flags (tick, step, minimum quantity: the same for every market). */
  flags: MarketFlags
  /** `--chart` (absolute), false for `--no-chart`, undefined for the default names. */
  chart: string | false | undefined
  /** `--report` (absolute), if any. */
  report: string | undefined
  /** Directory of the default chart names. */
  cwd: string
}

/**
 * `rung backtest` with a `markets` config: each market's file through its
 * own strategy config, a report each (headed by the market) and a total.
 * `--json` gives `{ markets: [{ market, data, ...report }], total }`.
 * @throws {ConfigError} naming `--data` when a file cannot be read (before any backtest).
 */
export async function backtestMarketsCommand(
  options: BacktestMarketsOptions,
): Promise<BacktestReport[]> {
  for (const m of options.markets) await inspectCandleFile(m.data)
  const reports: BacktestReport[] = []
  const rows: unknown[] = []
  for (const m of options.markets) {
    const run = (stdout: OutStream) =>
      backtestCommand({
        ...options,
        data: m.data,
        config: m.config,
        market: marketOf(m.symbol, options.flags),
        chart:
          options.chart === false
            ? false
            : (outputFor(
                options.chart,
                m.symbol,
                '.svg',
                options.cwd,
                'backtest',
              ) as string),
        report: outputFor(options.report, m.symbol, '.html', options.cwd),
        stdout,
      })
    if (options.json) {
      let text = ''
      reports.push(await run({ write: (t: string) => (text += t) }))
      rows.push({ market: m.symbol, data: m.data, ...JSON.parse(text) })
    } else {
      options.stdout.write(`── ${m.symbol} (${basename(m.data)}) ──\n`)
      reports.push(await run(options.stdout))
      options.stdout.write('\n')
    }
  }
  const total = totalOf(reports)
  const fees = feeRates(options)
  if (options.json)
    options.stdout.write(
      `${JSON.stringify({ markets: rows, total: { ...total, feeRates: fees } })}\n`,
    )
  else
    options.stdout.write(
      `── total (${reports.length} markets) ──\n${formatTable(totalRows(total, feeRatesText(fees), 'markets'))}\n`,
    )
  return reports
}

/**
 * The `--data` paths of a one-ladder run (absolute): a `SYMBOL=` prefix is
 * allowed when it names the ladder's market, and dropped.
 * @throws {ConfigError} naming `--data` when a prefix names another market.
 */
export function dataPaths(
  data: readonly string[],
  symbol: string,
  cwd: string,
): string[] {
  return data.map((value) => {
    const split = splitDataArg(value)
    if (split.symbol !== undefined && split.symbol !== symbol)
      throw new ConfigError(
        '--data',
        `--data ${value} names ${split.symbol}, and this backtest runs ${symbol}.\nFix: pass the ${symbol} file, or run ${split.symbol} with --market ${split.symbol} (a markets config) or its own config.`,
      )
    return resolve(cwd, split.path)
  })
}
