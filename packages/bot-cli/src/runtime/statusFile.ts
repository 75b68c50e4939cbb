/**
 * `<dataDir>/status.json`: the running bot's latest status, rewritten
 * atomically (temp file + rename) at most once a second (and always with
 * the latest change: see {@link createStatusWriter}), read by `rung status`
 * from another process.
 */
import { readFileSync, renameSync } from 'node:fs'
import { join } from 'node:path'
import type { MirrorStatus } from '@rung/backpack-sim'
import type { NotifyStats } from '../notify/notifier.js'
import { writeOwnerOnlyFile } from '../ownerOnly.js'
import type { StatusSnapshot } from '../ui/statusView.js'

/** The status file's name inside the data directory. */
export const STATUS_FILE = 'status.json'

/** One market's line in the top-level status. */
export interface MarketStatus extends StatusSnapshot {
  /** Why this market's ladder is paused (its stream or orders failed), if it is. */
  paused?: string | undefined
  /** Set once this market's ladder has stopped (`rung stop --market`, or the strategy ended). */
  stopped?: boolean | undefined
}

/** The total over every market of a multi-market status. */
export interface MarketsTotal {
  /** Sum of the markets' realised profit this session (quote). */
  realisedProfit: string
  /** Sum of the markets' completed cycles. */
  cycles: number
  /** Quote committed across all ladders now (see `committedQuote`). */
  committedQuote: string
  /** The cap, if the config sets one. */
  maxTotalAmount?: string | undefined
}

/** What the status file holds. */
export interface StatusFileContent extends StatusSnapshot {
  /** Pid of the bot that wrote it. */
  pid: number
  /** Wall time of the write, ISO-8601. */
  updatedAt: string
  /**
   * The token of the bot's pid file (`rung.pid`): `rung stop` compares them
   * to confirm the pid is this bot where the process table cannot tell.
   */
  lockToken?: string | undefined
  /** Notification delivery counts (when a `notify` channel is configured). */
  notify?: NotifyStats | undefined
  /** Paper trading on live market data: the upstream and whether its data is live or stale. */
  marketData?: MirrorStatus | undefined
  /** A multi-market run: every market's status, in config order (absent for one market). */
  markets?: MarketStatus[] | undefined
  /** A multi-market run: the total over every market. */
  total?: MarketsTotal | undefined
}

/** Writes the status file atomically, mode 0600. */
export function writeStatusFile(
  dataDir: string,
  content: StatusFileContent,
): void {
  const path = join(dataDir, STATUS_FILE)
  writeOwnerOnlyFile(`${path}.tmp`, `${JSON.stringify(content, null, 2)}\n`)
  renameSync(`${path}.tmp`, path)
}

/** Reads the status file, or undefined when there is none (or it is unreadable). */
export function readStatusFile(dataDir: string): StatusFileContent | undefined {
  try {
    return JSON.parse(
      readFileSync(join(dataDir, STATUS_FILE), 'utf8'),
    ) as StatusFileContent
  } catch {
    return undefined
  }
}

/** A throttled status file writer. */
export interface StatusWriter {
  /** Takes the latest status: written now, or at the end of the current interval. */
  update(content: StatusFileContent): void
  /** Writes the pending status (if any) now and stops the timer. */
  close(): void
}

/**
 * Writes the status file at most once per interval without ever leaving it
 * stale: a change inside the interval is written when the interval ends
 * (trailing edge), so the file always ends up with the latest status. A
 * `stopped` status is written at once.
 *
 * @param dataDir - The data directory.
 * @param intervalMs - Shortest time between two writes. @default 1000
 * @returns The writer; `close()` flushes.
 */
export function createStatusWriter(
  dataDir: string,
  intervalMs = 1000,
): StatusWriter {
  let lastWrite = Number.NEGATIVE_INFINITY
  let pending: StatusFileContent | undefined
  let timer: NodeJS.Timeout | undefined
  const flush = () => {
    if (timer !== undefined) clearTimeout(timer)
    timer = undefined
    if (pending === undefined) return
    const content = pending
    pending = undefined
    lastWrite = Date.now()
    writeStatusFile(dataDir, content)
  }
  return {
    update(content) {
      pending = content
      const wait = lastWrite + intervalMs - Date.now()
      if (wait <= 0 || content.status === 'stopped') flush()
      else timer ??= setTimeout(flush, wait)
    },
    close: flush,
  }
}
