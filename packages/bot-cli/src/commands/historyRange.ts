/**
 * What `rung history` and `rung report` share: the `--from` / `--to` /
 * `--market` flags and opening the data directory's trade history.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { CommandContext } from '../config/context.js'
import { EXIT, ExitError } from '../errors.js'
import {
  DRY_RUN_HISTORY_FILE,
  HISTORY_FILE,
  openHistory,
} from '../runtime/history/historyStore.js'
import type {
  HistoryFilter,
  HistoryStore,
} from '../runtime/history/historyTypes.js'

/** Flags of `rung history` and `rung report`. */
export interface HistoryCommandOptions {
  /** `--from`: a UTC date (`2024-01-01`) or an ISO time. */
  from?: string | undefined
  /** `--to`: a UTC date (inclusive: the whole day) or an ISO time (exclusive). */
  to?: string | undefined
  /** `--market`, e.g. `BTC_USDC`. */
  market?: string | undefined
}

/**
 * Parses `--from` / `--to`.
 * @throws {ExitError} (exit 2) naming the flag.
 */
export function parseRange(options: HistoryCommandOptions): HistoryFilter {
  const time = (flag: string, text: string, endOfDay: boolean): number => {
    const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text)
    const ms = Date.parse(dateOnly ? `${text}T00:00:00Z` : text)
    if (!Number.isFinite(ms))
      throw new ExitError(
        EXIT.usage,
        `${flag} ${JSON.stringify(text)} is not a date.\nFix: write a UTC date such as 2024-01-31, or an ISO time such as 2024-01-31T12:00:00Z.`,
      )
    return dateOnly && endOfDay ? ms + 86_400_000 : ms
  }
  const filter: HistoryFilter = {
    ...(options.market === undefined ? {} : { market: options.market }),
    ...(options.from === undefined
      ? {}
      : { from: time('--from', options.from, false) }),
    ...(options.to === undefined ? {} : { to: time('--to', options.to, true) }),
  }
  if (
    filter.from !== undefined &&
    filter.to !== undefined &&
    filter.to <= filter.from
  )
    throw new ExitError(
      EXIT.usage,
      `--to ${options.to} is not after --from ${options.from}.\nFix: swap them, or widen the range.`,
    )
  return filter
}

/** Opens the data directory's history, refusing a missing one with the fix. */
export function openExisting(
  ctx: CommandContext,
  create: boolean,
): HistoryStore {
  // `--dry-run` reads the dry runs' own (paper) history.
  const file = ctx.dryRun ? DRY_RUN_HISTORY_FILE : HISTORY_FILE
  const path = join(ctx.settings.dataDir, file)
  if (!create && !existsSync(path))
    throw new ExitError(
      EXIT.usage,
      `No trade history in ${ctx.settings.dataDir} (no ${file}).\nFix: for paper trading (npm start, rung paper) add --paper; for a bot with its own --data-dir pass it; or run \`rung history --rebuild\` to write the history from the journal.`,
    )
  return openHistory(path)
}
