import { writeFileSync } from 'node:fs'
import { basename, resolve } from 'node:path'
import {
  type BacktestReport,
  DEFAULT_LADDER_CONFIG,
} from '@rung/ladder-strategy'
import {
  type SweepMetric,
  type SweepParameter,
  type SweepResult,
  sweep,
} from '@rung/ladder-strategy/node'
import { type Command, Option } from 'commander'
import { validateMarkets } from '../config/markets.js'
import { validateStrategy } from '../config/strategy.js'
import { renderSweepReport } from '../dashboard/sweepReport.js'
import { ConfigError } from '../errors.js'
import { createProgress } from '../ui/progress.js'
import {
  checkWritable,
  feeRates,
  feeRatesText,
  inspectCandleFile,
  loadCandles,
  type MarketFlags,
  marketFlags,
  marketOf,
  runInputs,
} from './backtest.js'
import { type CommandEnv, collect, wholeNumber } from './command.js'
import { dataPaths, pairMarketsData } from './marketsData.js'
import { type FilesRankedSet, rankFiles, writeRanking } from './multiData.js'
import { queueSweepReports } from './queueSweep.js'
import { type SweepCommandOptions, sweepError } from './sweepOptions.js'

/** Strategy fields a sweep can vary (every config key but the symbol). */
const SWEEPABLE = Object.keys(DEFAULT_LADDER_CONFIG).filter(
  (k) => k !== 'symbol',
) as SweepParameter[]

const NUMBER_FIELDS = new Set([
  'orderCount',
  'noFillRestartMinutes',
  'coolDownMinutes',
  'maxCycles',
])

/**
 * Parses `--grid name=v1,v2` values: `true`/`false` become booleans, numbers
 * for the integer/minute fields, decimal strings otherwise (the strategy
 * validates every set before anything runs).
 * @throws {ConfigError} on a malformed entry.
 */
export function parseGrid(
  entries: readonly string[],
): Partial<Record<SweepParameter, unknown[]>> {
  const grid: Partial<Record<SweepParameter, unknown[]>> = {}
  for (const entry of entries) {
    const match = /^([A-Za-z]+)=(.+)$/.exec(entry)
    if (!match)
      throw new ConfigError(
        '--grid',
        `Invalid --grid "${entry}".\nFix: write name=value1,value2, e.g. --grid takeProfitPercentage=0.25,0.5,1`,
      )
    const [, name, list] = match as unknown as [string, SweepParameter, string]
    if (!SWEEPABLE.includes(name))
      throw new ConfigError(
        '--grid',
        `Unknown sweep parameter "${name}".\nFix: use one of ${SWEEPABLE.join(', ')}.`,
      )
    grid[name] = list.split(',').map((v) => {
      const value = v.trim()
      if (value === 'true') return true
      if (value === 'false') return false
      return NUMBER_FIELDS.has(name) ? Number(value) : value
    })
  }
  if (Object.keys(grid).length === 0)
    throw new ConfigError(
      '--grid',
      'A sweep needs at least one --grid.\nFix: e.g. --grid takeProfitPercentage=0.25,0.5,1 --grid orderCount=4,8',
    )
  return grid
}

/** Runs `rung sweep` (on one file, or on several: per file and in total). */
export async function sweepCommand(
  options: SweepCommandOptions,
): Promise<FilesRankedSet[]> {
  const files = options.markets
    ? options.markets.map((m) => m.data)
    : typeof options.data === 'string'
      ? [options.data]
      : options.data
  const names = Object.keys(options.grid)
  const axes = heatmapAxes(options.heatmap, names)
  if (options.report !== undefined)
    checkWritable(resolve(options.report), '--report', 'the HTML report')
  // Every path is checked before the first file is read.
  for (const data of files) await inspectCandleFile(data)
  const { sets, reports } =
    options.queue === undefined
      ? await localReports(options, files)
      : await queueSweepReports({ ...options, queue: options.queue }, files)
  const ranked = rankFiles(sets, reports, options.metric)
  let htmlPath: string | undefined
  if (options.report !== undefined) {
    htmlPath = resolve(options.report)
    writeFileSync(
      htmlPath,
      renderSweepReport({
        title: options.markets
          ? `rung sweep: ${options.markets.map((m) => `${m.symbol} ${basename(m.data)}`).join(', ')}`
          : `rung sweep: ${options.config.symbol} ${files.map((f) => basename(f)).join(', ')}`,
        note: `fees ${feeRatesText(feeRates(options))}; ranked by ${options.metric}${files.length > 1 ? ` over the ${options.markets ? 'markets' : 'files'} in total` : ''}`,
        names,
        metric: options.metric,
        ranked,
        axes,
      }),
    )
  }
  writeRanking(ranked, {
    ...options,
    names,
    data: files,
    markets: options.markets?.map((m) => m.symbol),
  })
  if (htmlPath && !options.json) options.stdout.write(`report: ${htmlPath}\n`)
  return ranked
}

/**
 * The heat map's axes: `--heatmap x,y` (parameters of the grid), else the
 * grid's first two.
 * @throws {ConfigError} naming `--heatmap` when a name is not in the grid.
 */
export function heatmapAxes(
  chosen: readonly string[] | undefined,
  names: readonly string[],
): [string, string] | [string] {
  const axes = chosen ?? names.slice(0, 2)
  const wrong = axes.find((a) => !names.includes(a))
  if (wrong !== undefined || axes.length < 1 || axes.length > 2)
    throw new ConfigError(
      '--heatmap',
      `Invalid --heatmap "${axes.join(',')}": ${wrong === undefined ? 'it takes one or two parameters' : `${wrong} is not a --grid parameter`}.\nFix: name one or two of the --grid parameters (${names.join(', ')}), e.g. --heatmap ${names.slice(0, 2).join(',')}`,
    )
  return axes.length === 1
    ? [axes[0] as string]
    : [axes[0] as string, axes[1] as string]
}

/** Each file swept on this machine's threads: the sets and their reports by set, then file. */
async function localReports(
  options: SweepCommandOptions,
  files: readonly string[],
) {
  const perFile: SweepResult[][] = []
  for (const [i, data] of files.entries()) {
    const candles = await loadCandles(data, options.stderr)
    // A markets config: this file's market, with its own strategy config.
    const own = options.markets?.[i]
    const inputs = own
      ? {
          ...options,
          config: own.config,
          market: { ...options.market, symbol: own.symbol },
        }
      : options
    const bar = createProgress(
      files.length > 1
        ? `sweeping ${own?.symbol ?? basename(data)}`
        : 'sweeping',
      options.stderr as NodeJS.WritableStream & { isTTY?: boolean },
    )
    try {
      perFile.push(
        await sweep({
          ...runInputs(inputs, candles),
          grid: options.grid,
          metric: options.metric,
          ...(options.workers === undefined
            ? {}
            : { workers: options.workers }),
          onProgress: ({ done, total }) => bar.update(done, total),
        }),
      )
    } catch (error) {
      throw sweepError(error)
    } finally {
      bar.done()
    }
  }
  const byIndex = perFile.map((ranked) => {
    const reports: BacktestReport[] = []
    for (const r of ranked) reports[r.index] = r.report
    return reports
  })
  const first = [...(perFile[0] ?? [])].sort((a, b) => a.index - b.index)
  return {
    sets: first.map((r) => r.params),
    reports: first.map((r) =>
      byIndex.map((reports) => reports[r.index] as BacktestReport),
    ),
  }
}

/** Registers `rung sweep` on the program. */
export function registerSweep(program: Command, env: CommandEnv): void {
  marketFlags(
    program
      .command('sweep')
      .description(
        'backtest every combination of parameter values and rank them',
      )
      .requiredOption(
        '--data <file>',
        'candle CSV, gzipped or not (repeat for several files: ranked by the total; with a markets config one per market, SYMBOL=file or a file named after its market)',
        collect,
      )
      .option(
        '--market <symbol>',
        'with a markets config: sweep only this market, e.g. BTC_USDC',
      )
      .option(
        '-g, --grid <name=values>',
        'values to try, e.g. takeProfitPercentage=0.25,0.5 (repeatable)',
        collect,
        [] as string[],
      )
      .addOption(
        new Option('--metric <metric>', 'ranking')
          .choices([
            'totalProfit',
            'realisedProfit',
            'profitOverDrawdown',
            'cycles',
          ])
          .default('totalProfit'),
      )
      .option(
        '--workers <n>',
        'worker threads (0 = none; default: one per CPU)',
      )
      .option('--top <n>', 'rows to show', '10')
      .option(
        '--queue <url>',
        'put the sets on a Redis queue for `rung worker`s, e.g. redis://HOST:PORT (resumable)',
      )
      .option(
        '--report <file>',
        'also write an HTML report: the whole ranking and a heat map of the metric',
      )
      .option(
        '--heatmap <x,y>',
        "the heat map's two parameters (default: the first two --grid names)",
      ),
  ).action(
    async (
      options: MarketFlags & {
        data: string[]
        grid: string[]
        metric: SweepMetric
        workers?: string
        top: string
        queue?: string
        report?: string
        heatmap?: string
        market?: string
      },
      command: Command,
    ) => {
      const ctx = env.context(command, 'backtest')
      const { cwd } = env.io
      const list = validateMarkets(ctx.raw)
      const markets =
        list.markets.length > 1 && options.market === undefined
          ? pairMarketsData(list, options.data, cwd)
          : undefined
      const config =
        markets?.[0]?.config ?? validateStrategy(ctx.raw, options.market).config
      await sweepCommand({
        data: markets
          ? markets.map((m) => m.data)
          : dataPaths(options.data, config.symbol, cwd),
        markets,
        config,
        market: marketOf(config.symbol, options),
        makerFee: options.makerFee,
        takerFee: options.takerFee,
        grid: parseGrid(options.grid),
        metric: options.metric,
        workers:
          options.workers === undefined
            ? undefined
            : wholeNumber('--workers', options.workers, 0),
        top: wholeNumber('--top', options.top, 1),
        queue: options.queue,
        report:
          options.report === undefined
            ? undefined
            : resolve(env.io.cwd, options.report),
        heatmap: options.heatmap?.split(',').map((v) => v.trim()),
        json: ctx.json,
        stdout: env.io.stdout,
        stderr: env.io.stderr,
      })
    },
  )
}
