/**
 * `rung backtest` on the command line: its flags, and handing the files to
 * {@link backtestFilesCommand} (which runs {@link backtestCommand} on each).
 * Apart from `backtest.ts` so that the one-file command and the several-files
 * one (`multiData.ts`, which calls it) import no circle.
 */
import { resolve } from 'node:path'
import type { Command } from 'commander'
import { validateMarkets } from '../config/markets.js'
import { validateStrategy } from '../config/strategy.js'
import { type MarketFlags, marketFlags, marketOf } from './backtest.js'
import { type CommandEnv, collect } from './command.js'
import {
  backtestMarketsCommand,
  dataPaths,
  pairMarketsData,
} from './marketsData.js'
import { backtestFilesCommand } from './multiData.js'

/** Registers `rung backtest` on the program. */
export function registerBacktest(program: Command, env: CommandEnv): void {
  marketFlags(
    program
      .command('backtest')
      .description(
        'replay 1-minute candles through the strategy (model v1) and report; writes an SVG equity chart',
      )
      .requiredOption(
        '--data <file>',
        'candle CSV (open_time,open,high,low,close,volume), gzipped or not (repeat for several files: a report each and a total; with a markets config one per market, SYMBOL=file or a file named after its market)',
        collect,
      )
      .option(
        '--market <symbol>',
        'with a markets config: backtest only this market, e.g. BTC_USDC',
      )
      .option(
        '--chart <file>',
        'equity chart path (default: backtest-<data name>.svg)',
      )
      .option('--no-chart', 'do not write the chart')
      .option(
        '--report <file>',
        'also write a self-contained HTML report: candles with every fill, equity and drawdown, statistics',
      ),
  ).action(
    async (
      options: MarketFlags & {
        data: string[]
        chart: string | boolean
        report?: string
        market?: string
      },
      command: Command,
    ) => {
      const ctx = env.context(command, 'backtest')
      const markets = validateMarkets(ctx.raw)
      const { cwd } = env.io
      const outputs = {
        makerFee: options.makerFee,
        takerFee: options.takerFee,
        chart: (typeof options.chart === 'string'
          ? resolve(cwd, options.chart)
          : options.chart === false
            ? false
            : undefined) as string | false | undefined,
        cwd,
        report:
          options.report === undefined
            ? undefined
            : resolve(cwd, options.report),
        json: ctx.json,
        stdout: env.io.stdout,
        stderr: env.io.stderr,
      }
      for (const w of [...ctx.warnings, ...markets.warnings])
        env.io.stderr.write(`warning: ${w}\n`)
      if (markets.markets.length > 1 && options.market === undefined) {
        await backtestMarketsCommand({
          ...outputs,
          markets: pairMarketsData(markets, options.data, cwd),
          flags: options,
        })
        return
      }
      const { config } = validateStrategy(ctx.raw, options.market)
      await backtestFilesCommand({
        ...outputs,
        data: dataPaths(options.data, config.symbol, cwd),
        config,
        market: marketOf(config.symbol, options),
      })
    },
  )
}
