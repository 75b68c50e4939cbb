/**
 * `rung data download`: pages Backpack's public klines endpoint through the
 * SDK into a gzip CSV (`open_time,open,high,low,close,volume`, open times in
 * ms) that `rung backtest` and `rung sweep` read.
 *
 * ```
 * out exists?      -> resume after its last candle (new rows become one more gzip member)
 * out.partial?     -> resume after its last complete line
 * page: [cursor, cursor + 1000 intervals) -> getKlines (seconds) -> rows appended to out.partial
 * done: gzip out.partial -> out (new file: written beside, then renamed; existing: appended), remove out.partial
 * ```
 *
 * Limits: the API reference gives no page size or rate limit for klines
 * (UNCONFIRMED). A page asks for 1000 intervals (the simulator's cap), and
 * the next page starts after the last candle returned, so a server that
 * returns fewer rows per page loses nothing. Pages go one at a time with a
 * pause between them (`--pause`); a 429 or 503 is waited out by the SDK's
 * retry policy (its `Retry-After`).
 */
import {
  appendFileSync,
  closeSync,
  existsSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { basename, resolve } from 'node:path'
import { gzipSync } from 'node:zlib'
import {
  type BackpackRequester,
  createBackpackClient,
  getKlines,
  KLINE_INTERVAL_SECONDS,
  type KlineInterval,
} from '@rung/backpack-sdk'
import { readCandlesCsv } from '@rung/ladder-strategy/node'
import type { Command } from 'commander'
import { ConfigError, EXIT, ExitError } from '../errors.js'
import type { OutStream } from '../io.js'
import { createProgress } from '../ui/progress.js'
import { type CommandEnv, wholeNumber } from './command.js'

/** Intervals `rung data download` takes, in seconds (fixed lengths only: no `1month`). */
export const DOWNLOAD_INTERVALS: Readonly<
  Partial<Record<KlineInterval, number>>
> = Object.fromEntries(
  Object.entries(KLINE_INTERVAL_SECONDS).filter(([k]) => k !== '1month'),
)

/** Candles asked for per request. */
export const KLINES_PAGE = 1000

const HEADER = 'open_time,open,high,low,close,volume\n'

/** Options of {@link downloadCandles}. */
export interface DownloadOptions {
  /** Client (or any requester) for the public endpoint. */
  client: BackpackRequester
  /** Market, e.g. `BTC_USDC`. */
  symbol: string
  /** Candle interval. */
  interval: KlineInterval
  /** First open time wanted (ms, inclusive). */
  fromMs: number
  /** End of the range (ms, exclusive). */
  toMs: number
  /** The gzip CSV to write (`<out>.partial` holds an unfinished download). */
  out: string
  /** Progress line. */
  progress: OutStream
  /** Pause between pages (ms). @default 100 */
  pauseMs?: number | undefined
}

/** What {@link downloadCandles} did. */
export interface DownloadResult {
  /** The gzip CSV. */
  out: string
  /** Candles written by this run. */
  added: number
  /** Requests sent. */
  pages: number
  /** Open time the run started from (ms): `fromMs`, or after the last candle already on disk. */
  resumedFrom: number
}

/** `"2025-07-19 13:09:00"` (UTC) → ms. */
function klineStartMs(start: string): number {
  const ms = Date.parse(`${start.replace(' ', 'T')}Z`)
  if (!Number.isFinite(ms))
    throw new ExitError(
      EXIT.runtime,
      `The exchange sent a kline with start "${start}", not a "YYYY-MM-DD HH:MM:SS" time.\nFix: check --base-url points at Backpack (or rung-sim).`,
    )
  return ms
}

/** The open time (ms) of the last complete line of a CSV text, or undefined. */
function lastOpenTime(text: string): number | undefined {
  const lines = text.split('\n')
  for (let i = lines.length - 1; i >= 0; i--) {
    const t = Number((lines[i] ?? '').split(',')[0])
    if ((lines[i] ?? '') !== '' && Number.isFinite(t)) return t
  }
  return undefined
}

/** Keeps the complete lines of `path` (a crash may leave half a line) and returns the last open time. */
function resumePartial(path: string): number | undefined {
  const text = readFileSync(path, 'utf8')
  const end = text.lastIndexOf('\n') + 1
  if (end < text.length) writeFileSync(path, text.slice(0, end))
  return lastOpenTime(text.slice(0, end))
}

function isGzip(path: string): boolean {
  const fd = openSync(path, 'r')
  try {
    const head = Buffer.alloc(2)
    return (
      readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b
    )
  } finally {
    closeSync(fd)
  }
}

/**
 * Downloads candles of `[fromMs, toMs)` into `out` (gzip CSV), resuming
 * after the last candle of `out` or of `out.partial`. Empty candles (no
 * trades: no prices) are left out.
 * @returns What was written.
 * @throws {ExitError} when `out` exists and is not a gzip candle file, or
 *   the exchange answers with an error (the partial file stays for a re-run).
 */
export async function downloadCandles(
  options: DownloadOptions,
): Promise<DownloadResult> {
  const step = (DOWNLOAD_INTERVALS[options.interval] ?? 60) * 1000
  const partial = `${options.out}.partial`
  let cursor = options.fromMs
  let appendToOut = false
  if (existsSync(options.out)) {
    if (!isGzip(options.out))
      throw new ConfigError(
        '--out',
        `The file ${options.out} (--out) exists and is not a gzip candle file.\nFix: pass another path with --out, or remove it.`,
      )
    const series = await readCandlesCsv(options.out).catch((cause: unknown) => {
      throw new ConfigError(
        '--out',
        `The file ${options.out} (--out) exists and cannot be read as candles: ${(cause as Error).message}\nFix: pass another path with --out, or remove it.`,
        { cause },
      )
    })
    const last = series.openTime[series.length - 1]
    if (last !== undefined) cursor = Math.max(cursor, last + step)
    appendToOut = true
  }
  if (existsSync(partial)) {
    const last = resumePartial(partial)
    if (last !== undefined) cursor = Math.max(cursor, last + step)
  } else writeFileSync(partial, appendToOut ? '' : HEADER)
  const resumedFrom = cursor
  const total = Math.max(0, Math.ceil((options.toMs - resumedFrom) / step))
  const bar = createProgress(
    `downloading ${options.symbol} ${options.interval}`,
    options.progress as NodeJS.WritableStream & { isTTY?: boolean },
  )
  const pause = options.pauseMs ?? 100
  let pages = 0
  let added = 0
  try {
    while (cursor < options.toMs) {
      if (pages > 0 && pause > 0) await new Promise((r) => setTimeout(r, pause))
      const end = Math.min(cursor + KLINES_PAGE * step, options.toMs)
      const rows = await getKlines(options.client, {
        symbol: options.symbol,
        interval: options.interval,
        startTime: Math.floor(cursor / 1000),
        endTime: Math.ceil(end / 1000),
      })
      pages++
      let text = ''
      let last: number | undefined
      for (const k of rows) {
        const t = klineStartMs(k.start)
        if (t < cursor || t >= end) continue
        last = Math.max(last ?? t, t)
        if (
          k.open == null ||
          k.high == null ||
          k.low == null ||
          k.close == null
        )
          continue
        text += `${t},${k.open},${k.high},${k.low},${k.close},${k.volume}\n`
        added++
      }
      // The next page starts after the last row: a server capping pages
      // below KLINES_PAGE loses nothing (a gap at a page's end costs one
      // more request at most).
      cursor = last !== undefined && last + step < end ? last + step : end
      if (text) appendFileSync(partial, text)
      bar.update(
        Math.min(total, Math.ceil((cursor - resumedFrom) / step)),
        total,
      )
    }
  } finally {
    bar.done()
  }
  const body = gzipSync(readFileSync(partial))
  if (appendToOut) {
    // Gzip members concatenate: the reader sees one CSV.
    if (added > 0) appendFileSync(options.out, body)
  } else {
    const tmp = `${options.out}.tmp`
    writeFileSync(tmp, body)
    renameSync(tmp, options.out)
  }
  rmSync(partial, { force: true })
  return { out: options.out, added, pages, resumedFrom }
}

/**
 * A `--from` / `--to` value as ms: a date `YYYY-MM-DD` (UTC midnight; for
 * `--to`, the end of that day) or an ISO date-time (UTC unless it has a zone).
 * @throws {ConfigError} naming the flag.
 */
export function parseDay(flag: '--from' | '--to', value: string): number {
  const day = /^\d{4}-\d\d-\d\d$/.test(value)
  const ms = day
    ? Date.parse(`${value}T00:00:00Z`)
    : /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?(\.\d+)?(Z|[+-]\d\d:\d\d)?$/.test(
          value,
        )
      ? Date.parse(/(Z|[+-]\d\d:\d\d)$/.test(value) ? value : `${value}Z`)
      : Number.NaN
  if (!Number.isFinite(ms))
    throw new ConfigError(
      flag,
      `Invalid ${flag} "${value}".\nFix: write a UTC date like 2024-01-01 (or a time like 2024-01-01T12:00).`,
    )
  return day && flag === '--to' ? ms + 86_400_000 : ms
}

/** Registers `rung data download` on the program. */
export function registerData(program: Command, env: CommandEnv): void {
  const data = program
    .command('data')
    .description('candle data for backtest and sweep')
  data
    .command('download')
    .description(
      "download candles from Backpack's public klines endpoint into a gzip CSV (resumable)",
    )
    .requiredOption('--market <symbol>', 'market, e.g. BTC_USDC')
    .option(
      '--interval <interval>',
      `candle interval: ${Object.keys(DOWNLOAD_INTERVALS).join(', ')}`,
      '1m',
    )
    .requiredOption('--from <date>', 'first day, UTC (YYYY-MM-DD or ISO time)')
    .requiredOption(
      '--to <date>',
      'last day, UTC, included (YYYY-MM-DD; an ISO time is exclusive)',
    )
    .option(
      '--out <file>',
      'output file (default: <market>-<interval>-<from>-<to>.csv.gz)',
    )
    .option('--pause <ms>', 'pause between requests', '100')
    .action(
      async (
        options: {
          market: string
          interval: string
          from: string
          to: string
          out?: string
          pause: string
        },
        command: Command,
      ) => {
        const ctx = env.context(command, 'public')
        if (!(options.interval in DOWNLOAD_INTERVALS))
          throw new ConfigError(
            '--interval',
            `Invalid --interval "${options.interval}".\nFix: use one of ${Object.keys(DOWNLOAD_INTERVALS).join(', ')}.`,
          )
        const fromMs = parseDay('--from', options.from)
        const toMs = parseDay('--to', options.to)
        if (toMs <= fromMs)
          throw new ConfigError(
            '--to',
            `--to ${options.to} is not after --from ${options.from}.\nFix: pass a --to later than --from.`,
          )
        const pauseMs = wholeNumber('--pause', options.pause, 0)
        const out = resolve(
          env.io.cwd,
          options.out ??
            `${options.market}-${options.interval}-${options.from}-${options.to}.csv.gz`.replace(
              /:/g,
              '',
            ),
        )
        const client = createBackpackClient({ baseUrl: ctx.settings.baseUrl })
        let result: DownloadResult
        try {
          result = await downloadCandles({
            client,
            symbol: options.market,
            interval: options.interval as KlineInterval,
            fromMs,
            toMs,
            out,
            progress: env.io.stderr,
            pauseMs,
          })
        } catch (cause) {
          if (cause instanceof ExitError) throw cause
          throw new ExitError(
            EXIT.runtime,
            `The download stopped: ${(cause as Error).message}\nFix: run the same command again; it resumes from ${basename(out)}.partial.`,
            { cause },
          )
        }
        const size = statSync(out).size
        if (ctx.json)
          env.io.stdout.write(`${JSON.stringify({ ...result, bytes: size })}\n`)
        else
          env.io.stdout.write(
            `${result.added} candles written to ${out} (${result.pages} requests${result.resumedFrom > fromMs ? `, resumed from ${new Date(result.resumedFrom).toISOString()}` : ''})\n`,
          )
      },
    )
}
