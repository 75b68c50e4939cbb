import { appendFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  ensureOwnerOnlyDir,
  ensureOwnerOnlyFile,
  OWNER_ONLY_FILE_MODE,
} from '../ownerOnly.js'
import type { Redactor } from '../redact.js'

/** Severity of a log line, lowest first. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error'

/**
 * How log lines look on the console: `plain` is `time level message k=v`,
 * `json` is one JSON object a line. Files under `<dataDir>/logs/` are always
 * JSON lines, so they can be grepped and parsed whatever the console shows.
 */
export type LogFormat = 'plain' | 'json'

/** One structured log record. */
export interface LogRecord {
  /** ISO-8601 time of the record. */
  time: string
  /** Severity. */
  level: LogLevel
  /** Short human message. */
  msg: string
  /** Structured context (decimal strings stay strings). */
  fields?: Record<string, unknown> | undefined
}

/** The logger every part of the bot receives (injected, never global). */
export interface Logger {
  /** Logs at `debug`. */
  debug(msg: string, fields?: Record<string, unknown>): void
  /** Logs at `info`. */
  info(msg: string, fields?: Record<string, unknown>): void
  /** Logs at `warn`. */
  warn(msg: string, fields?: Record<string, unknown>): void
  /** Logs at `error`. */
  error(msg: string, fields?: Record<string, unknown>): void
}

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** Console format. */
  format: LogFormat
  /** Lowest level written. @default 'info' */
  level?: LogLevel | undefined
  /** Console sink; `false` writes nothing to the console (the TTY view shows events instead). */
  write: ((line: string) => void) | false
  /** Directory for daily files (`rung-YYYY-MM-DD.log`); `false` for none. */
  dir: string | false
  /** Scrubs secrets from every line before it leaves the process. */
  redactor: Redactor
  /** Called with each record after redaction (the TTY status view listens here). */
  onRecord?: ((record: LogRecord) => void) | undefined
  /** Clock in ms. @default Date.now */
  now?: (() => number) | undefined
}

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 }

/** Formats a record as one plain text line. */
export function formatPlain(record: LogRecord): string {
  const parts = [record.time, record.level.toUpperCase().padEnd(5), record.msg]
  if (record.fields) {
    for (const [key, value] of Object.entries(record.fields)) {
      parts.push(
        `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`,
      )
    }
  }
  return parts.join(' ')
}

/** Turns an error (and its causes) into loggable fields. */
export function errorFields(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { error: String(error) }
  const fields: Record<string, unknown> = {
    error: error.message,
    errorName: error.name,
  }
  if (error.cause instanceof Error) fields.cause = error.cause.message
  return fields
}

/**
 * Creates the bot's logger: console lines in the chosen format plus daily
 * JSON-lines files (`rung-YYYY-MM-DD.log`, UTC, mode 0600 in a 0700
 * directory). Writes are synchronous
 * appends: log volume is small and a line written just before a crash is the
 * one you want to read. Every line passes through the redactor first.
 * Logging never throws: a console sink that throws is dropped (the files
 * keep everything), and a file append that fails is reported once on the
 * console.
 *
 * @param options - Format, level, console sink, file directory, redactor.
 * @returns The logger.
 * @example
 * ```ts
 * import { createLogger, createRedactor } from '@rung/bot-cli'
 * const logger = createLogger({ format: 'json', write: console.log, dir: '.rung/logs', redactor: createRedactor() })
 * logger.info('order placed', { clientId: 1024, price: '60000.1' })
 * ```
 */
export function createLogger(options: LoggerOptions): Logger {
  const { format, level = 'info', dir, redactor, onRecord } = options
  const now = options.now ?? Date.now
  if (dir !== false) ensureOwnerOnlyDir(dir)
  // Daily files already checked (created 0600, or tightened once).
  const privateFiles = new Set<string>()
  // Output must never stop the bot: a console sink that throws (its reader
  // is gone) is dropped, and a log file that cannot be written (disk full,
  // permissions) is reported once on the console and tried again next line.
  let write = options.write
  let fileFailing = false
  const toConsole = (line: string) => {
    if (!write) return
    try {
      write(line)
    } catch {
      write = false
    }
  }

  const log = (
    lvl: LogLevel,
    msg: string,
    fields?: Record<string, unknown>,
  ) => {
    if (RANK[lvl] < RANK[level]) return
    const time = new Date(now()).toISOString()
    const raw: LogRecord = { time, level: lvl, msg, fields }
    // Redact the serialised form, then parse back, so nested values are covered too.
    const json = redactor.redact(JSON.stringify(raw))
    const record = JSON.parse(json) as LogRecord
    if (dir !== false) {
      const file = join(dir, `rung-${time.slice(0, 10)}.log`)
      if (!privateFiles.has(file)) {
        try {
          ensureOwnerOnlyFile(file)
          privateFiles.add(file)
        } catch {
          // Reported below, with the append that fails too.
        }
      }
      try {
        appendFileSync(file, `${json}\n`, { mode: OWNER_ONLY_FILE_MODE })
        fileFailing = false
      } catch (error) {
        if (!fileFailing) {
          fileFailing = true
          const problem: LogRecord = {
            time,
            level: 'error',
            msg: `cannot write the log file ${file}; logging to the console only until it works again`,
            fields: errorFields(error),
          }
          toConsole(
            format === 'json' ? JSON.stringify(problem) : formatPlain(problem),
          )
        }
      }
    }
    toConsole(format === 'json' ? json : formatPlain(record))
    onRecord?.(record)
  }
  return {
    debug: (msg, fields) => log('debug', msg, fields),
    info: (msg, fields) => log('info', msg, fields),
    warn: (msg, fields) => log('warn', msg, fields),
    error: (msg, fields) => log('error', msg, fields),
  }
}

/** A logger that drops everything (tests, library use). */
export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
}
