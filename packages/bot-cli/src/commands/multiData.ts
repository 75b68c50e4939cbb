/**
 * Several `--data` files for `rung backtest` and `rung sweep` (several
 * markets or periods): each file is backtested on its own (a strategy run
 * never spans two files), then reported per file and in total. Totals add
 * the profits, fees and counts; the max drawdown and peak capital of the
 * total are the worst file's (the runs are separate, their drawdowns do not
 * add up in time).
 */
import { basename, dirname, join } from 'node:path'
import { addDecimals, compareDecimals } from '@rung/backpack-sdk'
import type { BacktestReport } from '@rung/ladder-strategy'
import {
  type RankedSweepSet,
  rankSweep,
  type SweepMetric,
  type SweepReportSummary,
} from '@rung/ladder-strategy/node'
import { toFixedDecimals } from '../decimal.js'
import type { OutStream } from '../io.js'
import { formatTable } from '../ui/table.js'
import {
  type BacktestCommandOptions,
  backtestCommand,
  feeRates,
  feeRatesText,
  inspectCandleFile,
} from './backtest.js'

/** A report summed over several files. */
export interface TotalReport extends SweepReportSummary {
  /** Files summed. */
  files: number
  /** Candles over all files. */
  candles: number
  /** Stop losses over all files. */
  stopLosses: number
  /** Buy fills over all files. */
  fills: number
  /** Fees paid over all files. */
  fees: string
  /** The largest peak capital of one file. */
  peakCapital: string
}

const max = (a: string, b: string) => (compareDecimals(a, b) >= 0 ? a : b)

/** The total of several files' reports. */
export function totalOf(reports: readonly BacktestReport[]): TotalReport {
  let total: TotalReport = {
    files: 0,
    candles: 0,
    cycles: 0,
    stopLosses: 0,
    fills: 0,
    realisedProfit: '0',
    unrealisedProfit: '0',
    fees: '0',
    maxDrawdown: '0',
    peakCapital: '0',
  }
  for (const r of reports)
    total = {
      files: total.files + 1,
      candles: total.candles + r.candles,
      cycles: total.cycles + r.cycles,
      stopLosses: total.stopLosses + r.stopLosses,
      fills: total.fills + r.fills,
      realisedProfit: addDecimals(total.realisedProfit, r.realisedProfit),
      unrealisedProfit: addDecimals(total.unrealisedProfit, r.unrealisedProfit),
      fees: addDecimals(total.fees, r.fees),
      maxDrawdown: max(total.maxDrawdown, r.maxDrawdown),
      peakCapital: max(total.peakCapital, r.peakCapital),
    }
  return total
}

/**
 * Rows of the total table (`unit`: what was summed, one file each: files,
 * or the markets of a `markets` config).
 */
export function totalRows(
  total: TotalReport,
  fees: string,
  unit: 'files' | 'markets' = 'files',
): [string, string][] {
  const money = (v: string) => toFixedDecimals(v, 2, 'nearest')
  const one = unit === 'files' ? 'file' : 'market'
  return [
    [unit, String(total.files)],
    ['candles', String(total.candles)],
    ['cycles (take profits)', String(total.cycles)],
    ['stop losses', String(total.stopLosses)],
    ['buy fills', String(total.fills)],
    ['fee rates', fees],
    ['realised profit', money(total.realisedProfit)],
    ['fees', money(total.fees)],
    ['unrealised profit', money(total.unrealisedProfit)],
    [`max drawdown (worst ${one})`, money(total.maxDrawdown)],
    [`peak capital (largest ${one})`, money(total.peakCapital)],
  ]
}

/**
 * The chart of one file among several: `--chart x.svg` becomes
 * `x-<data name>.svg`; without `--chart`, `backtest-<data name>.svg` in `cwd`.
 */
export function chartFor(
  data: string,
  chart: string | false | undefined,
  several: boolean,
  cwd: string,
): string | false {
  if (chart === false) return false
  const name = basename(data).replace(/\.csv(\.gz)?$/, '')
  if (chart === undefined) return join(cwd, `backtest-${name}.svg`)
  if (!several) return chart
  return join(
    dirname(chart),
    `${basename(chart).replace(/\.svg$/, '')}-${name}.svg`,
  )
}

/**
 * The HTML report of one file among several: `--report x.html` becomes
 * `x-<data name>.html` (one file keeps the name given).
 */
export function reportFor(
  data: string,
  report: string | undefined,
  several: boolean,
): string | undefined {
  if (report === undefined || !several) return report
  const name = basename(data).replace(/\.csv(\.gz)?$/, '')
  return join(
    dirname(report),
    `${basename(report).replace(/\.html?$/, '')}-${name}.html`,
  )
}

/** Options of {@link backtestFilesCommand}. */
export interface BacktestFilesOptions
  extends Omit<BacktestCommandOptions, 'data' | 'chart'> {
  /** Candle files (absolute). */
  data: readonly string[]
  /** `--chart` (absolute), false for `--no-chart`, undefined for the default names. */
  chart: string | false | undefined
  /** Directory of the default chart names. */
  cwd: string
}

/**
 * `rung backtest` over one or more files: one file is the plain backtest;
 * several get a report each (headed by the file name) and a total.
 * `--json` gives `{ files: [{ data, ...report }], total }` for several.
 */
export async function backtestFilesCommand(
  options: BacktestFilesOptions,
): Promise<BacktestReport[]> {
  const several = options.data.length > 1
  const run = (data: string, stdout: OutStream) =>
    backtestCommand({
      ...options,
      data,
      chart: chartFor(data, options.chart, several, options.cwd),
      report: reportFor(data, options.report, several),
      stdout,
    })
  const [only] = options.data
  if (!several && only !== undefined) return [await run(only, options.stdout)]
  // Every path is checked before the first backtest.
  for (const data of options.data) await inspectCandleFile(data)
  const reports: BacktestReport[] = []
  const files: unknown[] = []
  for (const data of options.data) {
    if (options.json) {
      let text = ''
      reports.push(await run(data, { write: (t: string) => (text += t) }))
      files.push({ data, ...JSON.parse(text) })
    } else {
      options.stdout.write(`── ${basename(data)} ──\n`)
      reports.push(await run(data, options.stdout))
      options.stdout.write('\n')
    }
  }
  const total = totalOf(reports)
  if (options.json)
    options.stdout.write(
      `${JSON.stringify({ files, total: { ...total, feeRates: feeRates(options) } })}\n`,
    )
  else
    options.stdout.write(
      `── total (${reports.length} files) ──\n${formatTable(totalRows(total, feeRatesText(feeRates(options))))}\n`,
    )
  return reports
}

/** A ranked set of a sweep over one or more files: its total and each file's report. */
export type FilesRankedSet = RankedSweepSet<SweepReportSummary> & {
  /** Each file's report, in `--data` order. */
  files: BacktestReport[]
}

/**
 * Ranks sets backtested on every file (`reports[set][file]`) by the total
 * over the files. With one file the ranking is the one `sweep` gives.
 */
export function rankFiles(
  sets: Parameters<typeof rankSweep>[0],
  reports: readonly (readonly BacktestReport[])[],
  metric: SweepMetric,
): FilesRankedSet[] {
  const totals = reports.map((files) =>
    files.length === 1 ? (files[0] as BacktestReport) : totalOf(files),
  )
  return rankSweep(sets, totals, metric).map((row) => ({
    ...row,
    files: [...(reports[row.index] ?? [])],
  }))
}

/** What {@link writeRanking} prints with. */
export interface RankingOutput {
  /** Grid parameter names (the table's columns). */
  names: readonly string[]
  /** The files, in `--data` order. */
  data: readonly string[]
  /** A `markets` config: each file's market (the columns are named after them). */
  markets?: readonly string[] | undefined
  /** Ranking metric. */
  metric: SweepMetric
  /** Rows shown. */
  top: number
  /** JSON output. */
  json: boolean
  /** Fee flags. */
  makerFee: string
  /** Fee flags. */
  takerFee: string
  /** Results. */
  stdout: OutStream
}

/**
 * Prints a sweep's ranking: a table (with one metric column per file when
 * there are several) or JSON. One file prints what `rung sweep` always has.
 */
export function writeRanking(
  ranked: readonly FilesRankedSet[],
  o: RankingOutput,
): void {
  const fees = feeRates(o)
  const several = o.data.length > 1
  const metricText = (m: string) =>
    m === 'Infinity' ? 'inf' : toFixedDecimals(m, 2, 'nearest')
  if (o.json) {
    o.stdout.write(
      `${JSON.stringify(
        ranked.map((r) =>
          several
            ? {
                rank: r.rank,
                params: r.params,
                metric: r.metric,
                feeRates: fees,
                report: r.report,
                files: r.files.map((report, i) => ({
                  ...(o.markets ? { market: o.markets[i] } : {}),
                  data: o.data[i],
                  metric: rankSweep([r.params], [report], o.metric)[0]?.metric,
                  report: { ...report, equity: undefined },
                })),
              }
            : {
                rank: r.rank,
                params: r.params,
                metric: r.metric,
                feeRates: fees,
                report: { ...r.report, equity: undefined },
              },
        ),
      )}\n`,
    )
    return
  }
  const fileNames = several ? (o.markets ?? o.data.map((d) => basename(d))) : []
  const rows: string[][] = [
    [
      'rank',
      ...o.names,
      several ? `${o.metric} (total)` : o.metric,
      ...fileNames,
      'cycles',
      'realised',
      several ? 'max drawdown (worst)' : 'max drawdown',
    ],
  ]
  for (const r of ranked.slice(0, o.top))
    rows.push([
      String(r.rank),
      ...o.names.map((n) => String(r.params[n as keyof typeof r.params])),
      metricText(r.metric),
      ...(several
        ? r.files.map((report) =>
            metricText(
              rankSweep([r.params], [report], o.metric)[0]?.metric ?? '0',
            ),
          )
        : []),
      String(r.report.cycles),
      toFixedDecimals(r.report.realisedProfit, 2, 'nearest'),
      toFixedDecimals(r.report.maxDrawdown, 2, 'nearest'),
    ])
  o.stdout.write(`${formatTable(rows)}\n`)
  if (ranked.length > o.top)
    o.stdout.write(`(${ranked.length - o.top} more; --top to show more)\n`)
  o.stdout.write(`fees: ${feeRatesText(fees)} (--maker-fee, --taker-fee)\n`)
}
