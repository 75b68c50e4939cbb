/**
 * Turns global flags + environment + config file into a validated context
 * for a subcommand. Nothing here touches the network.
 */
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { ConfigError } from '../errors.js'
import type { CliIo } from '../io.js'
import type { Redactor } from '../redact.js'
import { type ConfigFile, parseBotSettings, readConfigFile } from './config.js'
import { type Credentials, resolveCredentials } from './secrets.js'
import type { BotSettings } from './settings.js'
import { CLASSIC_CONFIG_NAME, STARTER_CONFIG_NAME } from './starterConfig.js'

/** Flags shared by every subcommand. */
export interface GlobalOptions {
  /** `--config`. */
  config?: string | undefined
  /** `--data-dir`. */
  dataDir?: string | undefined
  /** `--base-url`. */
  baseUrl?: string | undefined
  /** `--ws-url`. */
  wsUrl?: string | undefined
  /** `--json`. */
  json?: boolean | undefined
  /** `--log-format`. */
  logFormat?: string | undefined
  /** `--dry-run`. */
  dryRun?: boolean | undefined
  /** `--market-data` (`rung paper`). */
  marketData?: string | undefined
  /** `--fill-model` (`rung paper`, `rung run --dry-run`). */
  fillModel?: string | undefined
}

/** How much a command needs: `live` requires a config file. */
export type ContextMode = 'offline' | 'public' | 'paper' | 'live' | 'backtest'

/** A command's validated context. */
export interface CommandContext {
  /** The bot's own settings. */
  settings: BotSettings
  /** The raw config object (the strategy validates its own fields). */
  raw: Record<string, unknown>
  /** The config file used, if any. */
  file: ConfigFile | undefined
  /** Non-fatal findings (unknown fields...). */
  warnings: string[]
  /** `--json` output. */
  json: boolean
  /** `--dry-run`. */
  dryRun: boolean
  /** The redactor shared by the command's logger and error output. */
  redactor: Redactor
}

/** Finds the config file: --config, RUNG_CONFIG, ./rung.config.jsonc, ./backpack_trading_config.json. */
export function findConfigPath(
  flag: string | undefined,
  env: Record<string, string | undefined>,
  cwd: string,
): string | undefined {
  if (flag !== undefined) return resolve(cwd, flag)
  if (env.RUNG_CONFIG) return resolve(cwd, env.RUNG_CONFIG)
  for (const name of [STARTER_CONFIG_NAME, CLASSIC_CONFIG_NAME]) {
    const path = resolve(cwd, name)
    if (existsSync(path)) return path
  }
  return undefined
}

/**
 * Builds a command's context.
 * @throws {ConfigError} when the config is missing (live) or invalid.
 */
export function resolveContext(
  options: GlobalOptions,
  { mode, io, redactor }: { mode: ContextMode; io: CliIo; redactor: Redactor },
): CommandContext {
  const path = findConfigPath(options.config, io.env, io.cwd)
  if (path === undefined && mode === 'live') {
    throw new ConfigError(
      '--config',
      `No config file found (looked for ./${STARTER_CONFIG_NAME} and ./${CLASSIC_CONFIG_NAME}).\nFix: create one with \`rung init\`, or pass --config <file>. Live trading never runs on built-in defaults.`,
    )
  }
  const file = path === undefined ? undefined : readConfigFile(path)
  const raw = file?.raw ?? {}
  // Scrub the config's secret from every message from here on, even one
  // about another field it was pasted into by mistake.
  const api = raw.api
  if (typeof api === 'object' && api !== null) {
    const secret = (api as Record<string, unknown>).privateKey
    if (typeof secret === 'string') redactor.addSecret(secret)
  }
  const { settings, warnings } = parseBotSettings(
    raw,
    {
      dataDir: options.dataDir,
      baseUrl: options.baseUrl ?? io.env.BACKPACK_BASE_URL,
      wsUrl: options.wsUrl ?? io.env.BACKPACK_WS_URL,
      logFormat: options.logFormat ?? (options.json ? 'json' : undefined),
      paper: mode === 'paper',
      marketData: options.marketData,
      fillModel: options.fillModel,
    },
    file?.path === undefined ? io.cwd : resolve(file.path, '..'),
  )
  return {
    settings,
    raw,
    file,
    warnings,
    json: options.json === true,
    dryRun: options.dryRun === true,
    redactor,
  }
}

/**
 * The command's API credentials, if any: env, then `--key-file` /
 * `api.keyFile`, then the classic `api` keys of the config (all registered
 * with the redactor).
 * @throws {ConfigError} when a key file is unsafe or an env pair is half set.
 */
export function credentialsFor(
  ctx: CommandContext,
  env: Record<string, string | undefined>,
  keyFile: string | undefined,
): Credentials | undefined {
  const api = ctx.raw.api as
    | { publicKey?: unknown; privateKey?: unknown; keyFile?: unknown }
    | undefined
  return resolveCredentials({
    env,
    keyFile:
      keyFile ?? (typeof api?.keyFile === 'string' ? api.keyFile : undefined),
    configApi: api,
    redactor: ctx.redactor,
  })
}

/**
 * Like {@link credentialsFor}, for commands that cannot run without keys.
 * @throws {ConfigError} naming the variables when none are configured.
 */
export function requireCredentials(
  ctx: CommandContext,
  env: Record<string, string | undefined>,
  keyFile: string | undefined,
): Credentials {
  const creds = credentialsFor(ctx, env, keyFile)
  if (creds) return creds
  throw new ConfigError(
    'BACKPACK_API_KEY',
    'No API credentials found.\nFix: set BACKPACK_API_KEY and BACKPACK_API_SECRET, or pass --key-file <file> (mode 0600), or try `rung paper` / --dry-run first.',
  )
}
