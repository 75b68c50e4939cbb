/**
 * API credentials, from (first match wins):
 *   1. BACKPACK_API_KEY + BACKPACK_API_SECRET in the environment;
 *   2. a key file (`--key-file` or `api.keyFile`), JSON `{ "apiKey", "secretKey" }`
 *      (or the classic `{ "publicKey", "privateKey" }`), mode 0600; `secretKey`
 *      alone is enough: the public key is derived from it;
 *   3. the classic `api.publicKey` / `api.privateKey` of a config file that only
 *      its owner can read (checked in `readConfigFile`).
 * Every value found is registered with the redactor at once, so it can never
 * reach a log line or an error message. A public key given next to a secret
 * key must be the secret's own (derived with the SDK's `derivePublicKey`):
 * a pair from two different keys is refused before anything is sent.
 */
import { readFileSync, statSync } from 'node:fs'
import { resolve } from 'node:path'
import { derivePublicKey } from '@rung/backpack-sdk'
import { ConfigError } from '../errors.js'
import { checkOwnerOnly, HAS_MODES } from '../ownerOnly.js'
import type { Redactor } from '../redact.js'
import { JsoncSyntaxError, parseJsonc } from './jsonc.js'

/** Loaded credentials. */
export interface Credentials {
  /** Base64 ED25519 public key (X-API-Key). */
  apiKey: string
  /** Base64 ED25519 secret seed. */
  secretKey: string
  /** Where they came from, for the log (never the values). */
  source: 'env' | 'keyFile' | 'config'
}

/** Inputs of {@link resolveCredentials}. */
export interface CredentialSources {
  /** The process environment. */
  env: Record<string, string | undefined>
  /** `--key-file`, else `api.keyFile` from the config. */
  keyFile?: string | undefined
  /** The config's `api` section (already permission-checked). */
  configApi?:
    | {
        /** Classic `api.publicKey`. */
        publicKey?: unknown
        /** Classic `api.privateKey`. */
        privateKey?: unknown
      }
    | undefined
  /** Registers secrets for scrubbing. */
  redactor: Redactor
}

/** The keys of a key file. */
export interface KeyFileContent {
  /** Base64 public key (derived from `secretKey` when the file has none). */
  apiKey: string
  /** Base64 secret seed. */
  secretKey: string
}

/** Names of a key pair's two halves in the messages, and the fix for a mismatch. */
interface PairNames {
  /** The field a mismatch is reported on. */
  field: string
  /** The field a bad secret is reported on. */
  secretField: string
  /** How the secret is named, e.g. `BACKPACK_API_SECRET`. */
  secret: string
  /** How the public key is named, e.g. `BACKPACK_API_KEY`. */
  public: string
  /** Prefix of the mismatch message, e.g. `The key file X: its `. */
  prefix: string
  /** The fix for a mismatch. */
  fix: string
}

/**
 * Checks a secret key and derives its public key; a given public key must be
 * that one.
 * @throws {ConfigError} when the secret is not a Backpack (ED25519) secret
 *   key or the public key belongs to another key pair; never quotes either.
 */
function checkedPair(
  apiKey: string | undefined,
  secretKey: string,
  names: PairNames,
): KeyFileContent {
  let derived: string
  try {
    derived = derivePublicKey(secretKey)
  } catch {
    throw new ConfigError(
      names.secretField,
      `${names.prefix}${names.secret} is not a Backpack secret key (standard base64 of a 32-byte ED25519 seed, 44 characters).\nFix: copy the secret of your API key again from Backpack's settings.`,
    )
  }
  if (apiKey !== undefined && apiKey !== derived)
    throw new ConfigError(
      names.field,
      `${names.prefix}${names.public} is not the public key of ${names.secret} (they belong to different key pairs).\nFix: ${names.fix}`,
    )
  return { apiKey: derived, secretKey }
}

/**
 * Reads a key file (`{ "apiKey", "secretKey" }`, or the classic
 * `publicKey`/`privateKey`), refusing one that group or others can access.
 * `secretKey` alone is enough: the public key is derived from it.
 *
 * @param path - The key file.
 * @returns The two keys.
 * @throws {ConfigError} when the file is too open (with the `chmod 600` fix),
 *   unreadable, lacks the secret key, or holds a public key of another key
 *   pair; the message never quotes its content.
 * @example
 * ```ts
 * import { readKeyFile } from '@rung/bot-cli'
 * const { apiKey } = readKeyFile(`${process.env.HOME}/.config/rung/keys.json`)
 * ```
 */
export function readKeyFile(path: string): KeyFileContent {
  const absolute = resolve(path)
  let text: string
  try {
    if (HAS_MODES)
      checkOwnerOnly({
        path: absolute,
        mode: statSync(absolute).mode,
        what: 'the key file',
        field: 'keyFile',
      })
    text = readFileSync(absolute, 'utf8')
  } catch (cause) {
    if (cause instanceof ConfigError) throw cause
    throw new ConfigError(
      'keyFile',
      `Cannot read the key file ${absolute}: ${(cause as NodeJS.ErrnoException).code ?? 'error'}.\nFix: check the path given to --key-file or api.keyFile.`,
    )
  }
  let parsed: unknown
  try {
    parsed = parseJsonc(text)
  } catch (cause) {
    // Where, but no excerpt: every line of a key file is a key.
    const where =
      cause instanceof JsoncSyntaxError
        ? ` (${cause.reason} at line ${cause.line}, column ${cause.column})`
        : ''
    throw new ConfigError(
      'keyFile',
      `The key file ${absolute} is not valid JSON${where}.\nFix: write { "apiKey": "<base64 public key>", "secretKey": "<base64 secret>" }.`,
    )
  }
  const obj = (
    typeof parsed === 'object' && parsed !== null ? parsed : {}
  ) as Record<string, unknown>
  const apiKey = obj.apiKey ?? obj.publicKey
  const secretKey = obj.secretKey ?? obj.privateKey
  if (
    (apiKey !== undefined && typeof apiKey !== 'string') ||
    typeof secretKey !== 'string' ||
    secretKey === ''
  ) {
    throw new ConfigError(
      'keyFile',
      `The key file ${absolute} lacks "secretKey" (or holds a key that is not a string).\nFix: write { "apiKey": "<base64 public key>", "secretKey": "<base64 secret>" } (apiKey may be left out).`,
    )
  }
  return checkedPair(apiKey === '' ? undefined : apiKey, secretKey, {
    field: 'keyFile',
    secretField: 'keyFile',
    prefix: `The key file ${absolute}: `,
    public: 'its apiKey',
    secret: 'its secretKey',
    fix: `copy both from the same API key, or remove "apiKey" from ${absolute}: it is derived from the secret key.`,
  })
}

/**
 * Finds the API credentials (env, then key file, then the classic config
 * keys) and registers them with the redactor at once.
 *
 * @param sources - Environment, key file path, config `api` section, redactor.
 * @returns The credentials and where they came from, or `undefined` when none are configured.
 * @throws {ConfigError} on a half-set env pair, an unsafe key file, a secret
 *   that is not an ED25519 key, or a public key of another key pair.
 * @example
 * ```ts
 * import { createRedactor, resolveCredentials } from '@rung/bot-cli'
 * const creds = resolveCredentials({ env: process.env, redactor: createRedactor() })
 * console.log(creds?.source) // 'env' when BACKPACK_API_KEY/SECRET are set
 * ```
 */
export function resolveCredentials(
  sources: CredentialSources,
): Credentials | undefined {
  const { env, keyFile, configApi, redactor } = sources
  const register = (c: Credentials) => {
    redactor.addSecret(c.secretKey)
    redactor.addPublic(c.apiKey)
    return c
  }
  const envKey = env.BACKPACK_API_KEY
  const envSecret = env.BACKPACK_API_SECRET
  if (envSecret) redactor.addSecret(envSecret)
  if (envKey || envSecret) {
    if (!envKey || !envSecret)
      throw new ConfigError(
        envKey ? 'BACKPACK_API_SECRET' : 'BACKPACK_API_KEY',
        `Only one of BACKPACK_API_KEY and BACKPACK_API_SECRET is set.\nFix: set both (the base64 public key and the base64 secret), or neither.`,
      )
    const pair = checkedPair(envKey, envSecret, {
      field: 'BACKPACK_API_KEY',
      secretField: 'BACKPACK_API_SECRET',
      prefix: '',
      public: 'BACKPACK_API_KEY',
      secret: 'BACKPACK_API_SECRET',
      fix: "set both from the same API key in Backpack's settings.",
    })
    return register({ ...pair, source: 'env' })
  }
  if (keyFile !== undefined) {
    return register({ ...readKeyFile(keyFile), source: 'keyFile' })
  }
  const pub = configApi?.publicKey
  const priv = configApi?.privateKey
  if (typeof priv === 'string' && priv !== '') {
    redactor.addSecret(priv)
    const pair = checkedPair(
      typeof pub === 'string' && pub !== '' ? pub : undefined,
      priv,
      {
        field: 'api.publicKey',
        secretField: 'api.privateKey',
        prefix: 'In the config, ',
        public: 'api.publicKey',
        secret: 'api.privateKey',
        fix: 'copy both from the same API key, or leave api.publicKey empty: it is derived from api.privateKey.',
      },
    )
    return register({ ...pair, source: 'config' })
  }
  return undefined
}
