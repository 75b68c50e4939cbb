/**
 * Turns global flags + environment + config file into a validated context
 * for a subcommand. Nothing here touches the network.
 */
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { derivePublicKey, isSigningError } from '@rung/backpack-sdk'
import {
  type BotSettings,
  type ConfigFile,
  parseBotSettings,
  readConfigFile,
} from './config.js'
import { ConfigError } from './errors.js'
import type { CliIo } from './io.js'
import type { Redactor } from './redact.js'
import { type Credentials, resolveCredentials } from './secrets.js'
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
  const { settings, warnings } = parseBotSettings(
    raw,
    {
      dataDir: options.dataDir,
      baseUrl: options.baseUrl ?? io.env.BACKPACK_BASE_URL,
      wsUrl: options.wsUrl ?? io.env.BACKPACK_WS_URL,
      logFormat: options.logFormat ?? (options.json ? 'json' : undefined),
      paper: mode === 'paper',
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

/** The names a user knows the key and the secret by, per source. */
const KEY_NAMES: Record<Credentials['source'], [key: string, secret: string]> =
  {
    env: ['BACKPACK_API_KEY', 'BACKPACK_API_SECRET'],
    keyFile: ['the key file\'s "apiKey"', 'the key file\'s "secretKey"'],
    config: ['api.publicKey', 'api.privateKey'],
  }

/**
 * Checks locally that the secret is a usable ED25519 key and that the key
 * is its public half: a pair that cannot sign is a config error (exit 2)
 * found before anything is sent, not a failure of the first signed call.
 * The messages name the variables, never their values.
 */
function checkKeyPair(creds: Credentials): Credentials {
  const [key, secret] = KEY_NAMES[creds.source]
  let derived: string
  try {
    derived = derivePublicKey(creds.secretKey)
  } catch (error) {
    if (!isSigningError(error)) throw error
    throw new ConfigError(
      secret,
      `${secret} is not a usable secret key: it must be the base64 of the 32-byte ED25519 seed (or of 64 bytes seed + public key).\nFix: paste the API secret exactly as Backpack showed it when the key was created.`,
      { cause: error },
    )
  }
  if (derived !== creds.apiKey)
    throw new ConfigError(
      key,
      `${key} is not the public key of ${secret}: the exchange would reject every signed request.\nFix: set ${key} and ${secret} from the same API key: the public key and the secret Backpack issued together.`,
    )
  return creds
}

/**
 * The command's API credentials, if any: env, then `--key-file` /
 * `api.keyFile`, then the classic `api` keys of the config (all registered
 * with the redactor). The pair is checked locally: the secret must be a
 * usable key and the key its public half.
 * @throws {ConfigError} when a key file is unsafe, an env pair is half set, or the pair cannot sign.
 */
export function credentialsFor(
  ctx: CommandContext,
  env: Record<string, string | undefined>,
  keyFile: string | undefined,
): Credentials | undefined {
  const api = ctx.raw.api as
    | { publicKey?: unknown; privateKey?: unknown; keyFile?: unknown }
    | undefined
  const creds = resolveCredentials({
    env,
    keyFile:
      keyFile ?? (typeof api?.keyFile === 'string' ? api.keyFile : undefined),
    configApi: api,
    redactor: ctx.redactor,
  })
  return creds && checkKeyPair(creds)
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
