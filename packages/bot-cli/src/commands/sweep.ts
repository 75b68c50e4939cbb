import { writeFileSync } from 'node:fs'
import { basename, resolve } from 'node:path'
import {
  DEFAULT_LADDER_CONFIG,
  isLadderConfigError,
} from '@rung/ladder-strategy'
import {
  type SweepMetric,
  type SweepParameter,
  sweep,
} from '@rung/ladder-strategy/node'
import { type Command, Option } from 'commander'
import { validateStrategy } from '../config/strategy.js'
import { renderSweepReport } from '../dashboard/sweepReport.js'
import { toFixedDecimals } from '../decimal.js'
import { ConfigError } from '../errors.js'
import { createProgress } from '../ui/progress.js'
import { formatTable } from '../ui/table.js'
import {
  type BacktestCommandOptions,
  checkWritable,
  feeRates,
  feeRatesText,
  loadCandles,
  type MarketFlags,
  marketFlags,
  marketOf,
  runInputs,
} from './backtest.js'
import { type CommandEnv, wholeNumber } from './command.js'

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

/** Options of {@link sweepCommand}. */
export interface SweepCommandOptions
  extends Omit<BacktestCommandOptions, 'chart'> {
  /** The grid. */
  grid: Partial<Record<SweepParameter, unknown[]>>
  /** Ranking metric. */
  metric: SweepMetric
  /** Worker threads (0 = in this thread). */
  workers: number | undefined
  /** Rows shown. */
  top: number
  /** HTML report path (`--report`), if any. */
  report?: string | undefined
  /** The heat map's two parameters (`--heatmap x,y`). @default the first two of the grid */
  heatmap?: readonly string[] | undefined
}

/** Runs `rung sweep`. */
export async function sweepCommand(options: SweepCommandOptions) {
  const names = Object.keys(options.grid)
  const axes = heatmapAxes(options.heatmap, names)
  if (options.report !== undefined)
    checkWritable(resolve(options.report), '--report', 'the HTML report')
  const candles = await loadCandles(options.data, options.stderr)
  const bar = createProgress(
    'sweeping',
    options.stderr as NodeJS.WritableStream & { isTTY?: boolean },
  )
  let ranked: Awaited<ReturnType<typeof sweep>>
  try {
    ranked = await sweep({
      ...runInputs(options, candles),
      grid: options.grid,
      metric: options.metric,
      ...(options.workers === undefined ? {} : { workers: options.workers }),
      onProgress: ({ done, total }) => bar.update(done, total),
    })
  } catch (error) {
    if (isLadderConfigError(error))
      throw new ConfigError(
        error.issues.some((issue) => issue.path === 'workers')
          ? '--workers'
          : '--grid',
        `The sweep cannot run: ${error.message}`,
        { cause: error },
      )
    throw error
  } finally {
    bar.done()
  }
  const fees = feeRates(options)
  let htmlPath: string | undefined
  if (options.report !== undefined) {
    htmlPath = resolve(options.report)
    writeFileSync(
      htmlPath,
      renderSweepReport({
        title: `rung sweep: ${options.config.symbol} ${basename(options.data)}`,
        note: `fees ${feeRatesText(fees)}; ranked by ${options.metric}`,
        names,
        metric: options.metric,
        ranked,
        axes,
      }),
    )
  }
  if (options.json) {
    options.stdout.write(
      `${JSON.stringify(ranked.map((r) => ({ rank: r.rank, params: r.params, metric: r.metric, feeRates: fees, report: { ...r.report, equity: undefined } })))}\n`,
    )
    return ranked
  }
  const rows: string[][] = [
    ['rank', ...names, options.metric, 'cycles', 'realised', 'max drawdown'],
  ]
  for (const r of ranked.slice(0, options.top)) {
    rows.push([
      String(r.rank),
      ...names.map((n) => String(r.params[n as SweepParameter])),
      r.metric === 'Infinity' ? 'inf' : toFixedDecimals(r.metric, 2, 'nearest'),
      String(r.report.cycles),
      toFixedDecimals(r.report.realisedProfit, 2, 'nearest'),
      toFixedDecimals(r.report.maxDrawdown, 2, 'nearest'),
    ])
  }
  options.stdout.write(`${formatTable(rows)}\n`)
  if (ranked.length > options.top)
    options.stdout.write(
      `(${ranked.length - options.top} more; --top to show more)\n`,
    )
  options.stdout.write(
    `fees: ${feeRatesText(fees)} (--maker-fee, --taker-fee)\n`,
  )
  if (htmlPath) options.stdout.write(`report: ${htmlPath}\n`)
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

/** Registers `rung sweep` on the program. */
export function registerSweep(program: Command, env: CommandEnv): void {
  marketFlags(
    program
      .command('sweep')
      .description(
        'backtest every combination of parameter values and rank them',
      )
      .requiredOption('--data <file>', 'candle CSV, gzipped or not')
      .option(
        '-g, --grid <name=values>',
        'values to try, e.g. takeProfitPercentage=0.25,0.5 (repeatable)',
        (v: string, acc: string[]) => [...acc, v],
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
        data: string
        grid: string[]
        metric: SweepMetric
        workers?: string
        top: string
        report?: string
        heatmap?: string
      },
      command: Command,
    ) => {
      const ctx = env.context(command, 'backtest')
      const { config } = validateStrategy(ctx.raw)
      await sweepCommand({
        data: resolve(env.io.cwd, options.data),
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
