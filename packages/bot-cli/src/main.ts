/**
 * The `rung` command: parses flags (commander), then hands each subcommand
 * its validated context. Controlled failures are `ExitError`s; only `main()`
 * turns them into an exit code (the caller sets `process.exitCode`).
 */
import { existsSync, rmSync, writeFileSync } from 'node:fs'
import { basename, resolve } from 'node:path'
import type { SweepMetric } from '@rung/ladder-strategy'
import { Command, CommanderError, Option } from 'commander'
import {
  backtestCommand,
  DEFAULT_BACKTEST_FEES,
  DEFAULT_BACKTEST_MARKET,
  parseGrid,
  sweepCommand,
} from './commands/backtest.js'
import {
  cancelAllCommand,
  marketsCommand,
  priceCommand,
} from './commands/exchangeCommands.js'
import {
  type HistoryCommandOptions,
  type HistoryTable,
  historyCommand,
  type ReportPeriod,
  reportCommand,
} from './commands/historyCommands.js'
import {
  runTrading,
  type TradeOptions,
  validateStrategy,
} from './commands/trade.js'
import { type GlobalOptions, resolveContext } from './config/context.js'
import { STARTER_CONFIG, STARTER_CONFIG_NAME } from './config/starterConfig.js'
import { ConfigError, EXIT, ExitError } from './errors.js'
import { type CliIo, processIo } from './io.js'
import { createRedactor, type Redactor } from './redact.js'
import { authFailure } from './runtime/exchangeErrors.js'
import { checkLockOwner, isAlive, PID_FILE } from './runtime/lock.js'
import { readStatusFile } from './runtime/statusFile.js'
import { renderStatus } from './ui/statusView.js'
import { VERSION } from './version.js'

/**
 * Runs the `rung` command line in-process.
 *
 * @param argv - Arguments after the program name, e.g. `['paper', '--json']`.
 * @param io - Streams, environment, working directory and signals.
 * @returns The exit code (0 ok, 1 runtime failure, 2 usage or config, 3 locked); it never calls `process.exit` except on a second Ctrl-C.
 * @example
 * ```ts
 * import { main } from '@rung/bot-cli'
 * process.exitCode = await main(process.argv.slice(2))
 * ```
 */
export async function main(
  argv: readonly string[],
  io: CliIo = processIo(),
): Promise<number> {
  const redactor = createRedactor()
  const program = buildProgram(io, redactor)
  try {
    await program.parseAsync([...argv], { from: 'user' })
    return EXIT.ok
  } catch (error) {
    return reportError(error, io, redactor)
  }
}

function reportError(error: unknown, io: CliIo, redactor: Redactor): number {
  if (error instanceof CommanderError) {
    // --help and --version end here with code 0; usage errors were already printed.
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage
  }
  // A one-shot command (cancel-all, ...) whose key the exchange rejects
  // gets the same message and exit code as the bot.
  const exit = error instanceof ExitError ? error : authFailure(error)
  if (exit) {
    io.stderr.write(`${redactor.redact(`rung: ${exit.message}`)}\n`)
    return exit.exitCode
  }
  const message =
    error instanceof Error ? `${error.name}: ${error.message}` : String(error)
  io.stderr.write(
    `${redactor.redact(`rung: unexpected failure: ${message}`)}\n`,
  )
  return EXIT.runtime
}

/** Test hooks passed through to `runTrading` (simulator options, start callback). */
export type TradeHooks = Pick<
  TradeOptions,
  'simOptions' | 'onStarted' | 'fps' | 'clientOptions'
>

let tradeHooks: TradeHooks = {}

/**
 * Runs the CLI in-process with test hooks for `paper`/`run`.
 * @internal
 */
export async function mainWithHooks(
  argv: readonly string[],
  io: CliIo,
  hooks: TradeHooks,
): Promise<number> {
  tradeHooks = hooks
  try {
    return await main(argv, io)
  } finally {
    tradeHooks = {}
  }
}

function buildProgram(io: CliIo, redactor: Redactor): Command {
  const program = new Command('rung')
  program
    .description(
      'Ladder trading on Backpack: paper trading by default, crash-safe live trading.',
    )
    .version(VERSION)
    .option(
      '-c, --config <file>',
      `config file (JSON or JSONC); default ./${STARTER_CONFIG_NAME}, then ./backpack_trading_config.json`,
    )
    .option(
      '-d, --data-dir <dir>',
      'data directory: journal, pid file, status, logs/ (default .rung, .rung/paper for paper)',
    )
    .option('--base-url <url>', 'REST origin (env BACKPACK_BASE_URL)')
    .option('--ws-url <url>', 'WebSocket URL (env BACKPACK_WS_URL)')
    .option(
      '--json',
      'machine-readable output: JSON results and JSON log lines',
    )
    .addOption(
      new Option('--log-format <format>', 'console log format').choices([
        'plain',
        'json',
      ]),
    )
    .option('--dry-run', 'log the commands instead of sending orders')
    .showHelpAfterError()
    .configureHelp({ showGlobalOptions: true })
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })

  const globals = (command: Command) => command.optsWithGlobals<GlobalOptions>()
  const withContext = (
    command: Command,
    mode: Parameters<typeof resolveContext>[1]['mode'],
  ) => resolveContext(globals(command), { mode, io, redactor })

  program
    .command('init')
    .description('write a commented starter config (JSONC) to start from')
    .option('-o, --output <file>', 'where to write it', STARTER_CONFIG_NAME)
    .option('-f, --force', 'overwrite an existing file')
    .action((options: { output: string; force?: boolean }) => {
      const path = resolve(io.cwd, options.output)
      if (existsSync(path) && !options.force) {
        throw new ExitError(
          EXIT.usage,
          `${path} already exists.\nFix: pass --force to overwrite it, or --output to write elsewhere.`,
        )
      }
      writeFileSync(path, STARTER_CONFIG, { mode: 0o600 })
      io.stdout.write(
        `Wrote ${path}. Try it: rung paper --config ${options.output}\n`,
      )
    })

  program
    .command('status')
    .description('show the status of the bot running on the data directory')
    .action((_options, command: Command) => {
      const ctx = withContext(command, 'offline')
      const owner = checkLockOwner(ctx.settings.dataDir)
      const pid = owner.state === 'running' ? owner.pid : undefined
      const status = readStatusFile(ctx.settings.dataDir)
      if (ctx.json) {
        io.stdout.write(
          `${JSON.stringify({ running: pid !== undefined, pid: pid ?? null, status: status ?? null })}\n`,
        )
        return
      }
      io.stdout.write(
        pid === undefined
          ? `No bot is running on ${ctx.settings.dataDir}.\n`
          : `Bot running (pid ${pid}) on ${ctx.settings.dataDir}.\n`,
      )
      if (owner.state === 'stale' || owner.state === 'unverified')
        io.stdout.write(
          `The pid file ${owner.path} is ${owner.state === 'stale' ? 'stale' : 'unconfirmed'}: ${owner.why}.\n`,
        )
      if (status) {
        io.stdout.write(
          `Last status (${status.updatedAt}):\n${renderStatus(status, 100).join('\n')}\n`,
        )
      }
    })

  program
    .command('history')
    .description(
      'the trade history of the data directory: cycles and fills (or one table), as a table, JSON or CSV',
    )
    .option('--from <date>', 'from this UTC date (2024-01-31) or ISO time')
    .option('--to <date>', 'up to this UTC date (inclusive) or ISO time')
    .option('--market <symbol>', 'only this market, e.g. BTC_USDC')
    .addOption(
      new Option('--table <name>', 'one table only').choices([
        'cycles',
        'fills',
        'leftovers',
        'sessions',
      ]),
    )
    .option('--csv', 'CSV of one table (fills unless --table says otherwise)')
    .option('--paper', 'the paper-trading history (data directory .rung/paper)')
    .option(
      '--rebuild',
      'write the history again from the journal and its archive first',
    )
    .action(
      (
        options: HistoryCommandOptions & {
          table?: HistoryTable
          csv?: boolean
          paper?: boolean
          rebuild?: boolean
        },
        command: Command,
      ) =>
        historyCommand(
          withContext(command, options.paper ? 'paper' : 'offline'),
          io,
          options,
        ),
    )

  program
    .command('report')
    .description(
      'realised profit per day, week or month, fees, win rate, cycle times, capital in use, leftover sales',
    )
    .option('--from <date>', 'cycles ended from this UTC date or ISO time')
    .option('--to <date>', 'up to this UTC date (inclusive) or ISO time')
    .option('--market <symbol>', 'only this market, e.g. BTC_USDC')
    .addOption(
      new Option('--period <period>', 'grouping of the P&L table')
        .choices(['day', 'week', 'month'])
        .default('day'),
    )
    .option('--paper', 'the paper-trading history (data directory .rung/paper)')
    .action(
      (
        options: HistoryCommandOptions & {
          period: ReportPeriod
          paper?: boolean
        },
        command: Command,
      ) =>
        reportCommand(
          withContext(command, options.paper ? 'paper' : 'offline'),
          io,
          options,
        ),
    )

  program
    .command('stop')
    .description(
      'ask the running bot to stop (it cancels or leaves its orders as configured)',
    )
    .option('--timeout <seconds>', 'how long to wait for it to exit', '60')
    .option('--no-wait', 'send the signal and return at once')
    .option(
      '--remove-stale',
      'remove a stale pid file (its process is gone or is not the bot)',
    )
    .action(
      async (
        options: { timeout: string; wait: boolean; removeStale?: boolean },
        command: Command,
      ) => {
        const ctx = withContext(command, 'offline')
        const dataDir = ctx.settings.dataDir
        const owner = checkLockOwner(dataDir)
        if (owner.state === 'none') {
          throw new ExitError(
            EXIT.runtime,
            `No bot is running on ${dataDir} (no ${PID_FILE} there).\nFix: pass the bot's --data-dir.`,
          )
        }
        if (owner.state === 'stale') {
          if (options.removeStale) {
            rmSync(owner.path, { force: true })
            io.stdout.write(
              `Removed the stale pid file ${owner.path} (${owner.why}). No process was signalled.\n`,
            )
            return
          }
          throw new ExitError(
            EXIT.runtime,
            `The pid file ${owner.path} is stale: ${owner.why}. No bot is running on ${dataDir}, and pid ${owner.pid} was not signalled.\nFix: remove it with \`rung stop --remove-stale --data-dir ${dataDir}\` (the next bot would also take it over).`,
          )
        }
        if (owner.state === 'unverified') {
          throw new ExitError(
            EXIT.runtime,
            `Refusing to signal pid ${owner.pid}: it cannot be confirmed as the rung bot of ${dataDir} (${owner.why}).\nFix: if it is the bot, stop it with Ctrl-C or \`kill ${owner.pid}\`; if it is not, delete ${owner.path}.`,
          )
        }
        const { pid } = owner
        process.kill(pid, 'SIGTERM')
        io.stdout.write(`Sent SIGTERM to pid ${pid}.\n`)
        if (!options.wait) return
        const deadline =
          Date.now() + wholeNumber('--timeout', options.timeout, 0) * 1000
        while (isAlive(pid)) {
          if (Date.now() > deadline) {
            throw new ExitError(
              EXIT.runtime,
              `The bot (pid ${pid}) is still running after ${options.timeout} s.\nFix: run \`rung stop\` again to force it (a second signal skips the cleanup).`,
            )
          }
          await new Promise((r) => setTimeout(r, 200))
        }
        io.stdout.write('Stopped.\n')
      },
    )

  const trade = async (
    command: Command,
    mode: 'live' | 'paper',
    keyFile?: string,
  ) => {
    const ctx = withContext(command, mode)
    const outcome = await runTrading(ctx, io, { mode, keyFile, ...tradeHooks })
    if (ctx.json)
      io.stdout.write(
        `${JSON.stringify({ result: outcome.reason, realisedProfit: outcome.realisedProfit, cycles: outcome.state.totals.cycles })}\n`,
      )
  }

  program
    .command('paper')
    .description(
      'paper trading: start the built-in simulator and run the bot against it (no keys, no money)',
    )
    .action(async (_options, command: Command) => trade(command, 'paper'))

  program
    .command('run')
    .description(
      'trade for real on Backpack (needs a config file and API keys)',
    )
    .option(
      '--key-file <file>',
      'JSON key file { "apiKey", "secretKey" }, mode 0600',
    )
    .action(async (options: { keyFile?: string }, command: Command) =>
      trade(command, 'live', options.keyFile),
    )

  const marketFlags = (command: Command) =>
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
  type MarketFlags = {
    tickSize: string
    stepSize: string
    minQuantity: string
    makerFee: string
    takerFee: string
  }
  const marketOf = (symbol: string, o: MarketFlags) => ({
    symbol,
    tickSize: o.tickSize,
    stepSize: o.stepSize,
    minQuantity: o.minQuantity,
  })

  marketFlags(
    program
      .command('backtest')
      .description(
        'replay 1-minute candles through the strategy (model v1) and report; writes an SVG equity chart',
      )
      .requiredOption(
        '--data <file>',
        'candle CSV (open_time,open,high,low,close,volume), gzipped or not',
      )
      .option(
        '--chart <file>',
        'equity chart path (default: backtest-<data name>.svg)',
      )
      .option('--no-chart', 'do not write the chart'),
  ).action(
    async (
      options: MarketFlags & { data: string; chart: string | boolean },
      command: Command,
    ) => {
      const ctx = withContext(command, 'backtest')
      const { config, warnings } = validateStrategy(ctx.raw)
      for (const w of [...ctx.warnings, ...warnings])
        io.stderr.write(`warning: ${w}\n`)
      const chart =
        options.chart === false
          ? false
          : resolve(
              io.cwd,
              typeof options.chart === 'string'
                ? options.chart
                : `backtest-${basename(options.data).replace(/\.csv(\.gz)?$/, '')}.svg`,
            )
      await backtestCommand({
        data: resolve(io.cwd, options.data),
        config,
        market: marketOf(config.symbol, options),
        makerFee: options.makerFee,
        takerFee: options.takerFee,
        chart,
        json: ctx.json,
        stdout: io.stdout,
        stderr: io.stderr,
      })
    },
  )

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
      .option('--top <n>', 'rows to show', '10'),
  ).action(
    async (
      options: MarketFlags & {
        data: string
        grid: string[]
        metric: SweepMetric
        workers?: string
        top: string
      },
      command: Command,
    ) => {
      const ctx = withContext(command, 'backtest')
      const { config } = validateStrategy(ctx.raw)
      await sweepCommand({
        data: resolve(io.cwd, options.data),
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
        json: ctx.json,
        stdout: io.stdout,
        stderr: io.stderr,
      })
    },
  )

  program
    .command('price')
    .description('show the last price and best bid/ask of a market')
    .argument('<symbol>', 'market, e.g. BTC_USDC')
    .action(async (symbol: string, _options, command: Command) => {
      const ctx = withContext(command, 'public')
      await priceCommand(ctx, io, symbol)
    })

  program
    .command('markets')
    .description(
      'list the markets with their tick size, step size and minimum quantity',
    )
    .action(async (_options, command: Command) => {
      const ctx = withContext(command, 'public')
      await marketsCommand(ctx, io)
    })

  program
    .command('cancel-all')
    .description(
      "cancel every open order on the bot's market (with --dry-run: only list them)",
    )
    .option('--symbol <symbol>', 'market (default: from the config)')
    .option(
      '--key-file <file>',
      'JSON key file { "apiKey", "secretKey" }, mode 0600',
    )
    .action(
      async (
        options: { symbol?: string; keyFile?: string },
        command: Command,
      ) => {
        const ctx = withContext(command, 'live')
        await cancelAllCommand(ctx, io, options)
      },
    )

  return program
}

export { buildProgram }

/** A flag's value as a whole number >= `min`, or a ConfigError naming the flag. */
function wholeNumber(flag: string, value: string, min: number): number {
  const n = /^\d+$/.test(value) ? Number(value) : Number.NaN
  if (!Number.isSafeInteger(n) || n < min)
    throw new ConfigError(
      flag,
      `Invalid option: ${flag} ${JSON.stringify(value)} is not a whole number >= ${min}.\nFix: pass ${flag} ${min === 0 ? '0' : '1'} or more, digits only.`,
    )
  return n
}
