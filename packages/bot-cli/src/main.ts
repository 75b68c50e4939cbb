/**
 * The `rung` command: parses flags (commander), then hands each subcommand
 * its validated context. Controlled failures are `ExitError`s; only `main()`
 * turns them into an exit code (the caller sets `process.exitCode`).
 */
import { Command, CommanderError, Option } from 'commander'
import { registerCancelAll } from './commands/cancelAll.js'
import type { CommandEnv } from './commands/command.js'
import { registerDashboard } from './commands/dashboard.js'
import { registerData } from './commands/data.js'
import { registerHistory } from './commands/history.js'
import { registerInit } from './commands/init.js'
import { registerMarkets } from './commands/markets.js'
import { registerPrice } from './commands/price.js'
import { registerBacktest } from './commands/registerBacktest.js'
import { registerReport } from './commands/report.js'
import { registerStatus } from './commands/status.js'
import { registerStop } from './commands/stop.js'
import { registerSweep } from './commands/sweep.js'
import { registerTrade, type TradeHooks } from './commands/trade.js'
import { registerWorker } from './commands/worker.js'
import { type GlobalOptions, resolveContext } from './config/context.js'
import { STARTER_CONFIG_NAME } from './config/starterConfig.js'
import { EXIT, ExitError } from './errors.js'
import { type CliIo, processIo } from './io.js'
import { createRedactor, type Redactor } from './redact.js'
import { authFailure } from './runtime/exchange/exchangeErrors.js'
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
    .option(
      '--dry-run',
      'run: paper trading on the real market (public data, simulated fills, nothing sent); cancel-all: only list the orders',
    )
    .showHelpAfterError()
    .configureHelp({ showGlobalOptions: true })
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })

  const env: CommandEnv = {
    io,
    context: (command, mode) =>
      resolveContext(command.optsWithGlobals<GlobalOptions>(), {
        mode,
        io,
        redactor,
      }),
  }
  // One file per command under commands/, registered in the order of `rung --help`.
  registerInit(program, env)
  registerStatus(program, env)
  registerHistory(program, env)
  registerReport(program, env)
  registerStop(program, env)
  registerTrade(program, env, () => tradeHooks)
  registerDashboard(program, env)
  registerBacktest(program, env)
  registerSweep(program, env)
  registerData(program, env)
  registerWorker(program, env)
  registerPrice(program, env)
  registerMarkets(program, env)
  registerCancelAll(program, env)

  return program
}

export { buildProgram }
