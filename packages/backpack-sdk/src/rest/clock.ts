/**
 * Request timestamps: the injected clock, corrected by the offset to the
 * exchange's clock, and never repeating.
 *
 * Backpack rejects a signed request whose `X-Timestamp` falls outside its
 * window (default 5 s) of the server's clock; how far into the future it may
 * be is UNCONFIRMED (reference §2.2). A host clock a few seconds off would get
 * every private request rejected, so the offset to `GET /api/v1/time` is
 * measured:
 *
 * - before the first signed request, then again after `syncIntervalMs`;
 * - immediately when the server answers "expired" (request.ts retries once).
 *
 * offset = serverTime − (sentAt + receivedAt) / 2, i.e. the server stamped
 * its answer halfway through the round trip. A failed sync keeps the old
 * offset and tries again after 30 s (the request still goes out on the local
 * clock; the exchange is the judge).
 *
 * @internal
 * @module
 */
import type { Logger } from './logger.js'

/** Retry delay after a failed clock sync (in ms). @internal */
export const CLOCK_SYNC_RETRY_MS = 30_000

/** @internal */
export interface ClockOptions {
  now: () => number
  /** Fetches the server time in ms. */
  fetchServerTime: () => Promise<number>
  /** Resync interval in ms; `false` disables syncing (offset stays 0). */
  syncIntervalMs: number | false
  logger: Logger | undefined
}

/** @internal */
export interface Clock {
  /** Current offset added to `now()` (in ms). */
  readonly offsetMs: number
  /** Syncs if due (or always, when `force`); concurrent callers share one sync. */
  sync(force?: boolean): Promise<void>
  /** Whether syncing is enabled at all. */
  readonly enabled: boolean
  /** A fresh, strictly increasing timestamp in ms. */
  timestamp(): number
}

/** @internal */
export function createClock(options: ClockOptions): Clock {
  const { now, fetchServerTime, syncIntervalMs, logger } = options
  let offsetMs = 0
  let nextSyncAt: number | undefined // undefined: never synced
  let last = 0
  let pending: Promise<void> | undefined

  async function run(): Promise<void> {
    const sentAt = now()
    try {
      const serverTime = await fetchServerTime()
      const receivedAt = now()
      offsetMs = Math.round(serverTime - (sentAt + receivedAt) / 2)
      nextSyncAt = receivedAt + (syncIntervalMs as number)
      logger?.debug?.('backpack: clock synced', {
        offsetMs,
        roundTripMs: receivedAt - sentAt,
      })
    } catch (error) {
      nextSyncAt = now() + CLOCK_SYNC_RETRY_MS
      logger?.warn?.('backpack: clock sync failed; using the local clock', {
        error: error instanceof Error ? error.message : String(error),
      })
    }
  }

  return {
    get offsetMs() {
      return offsetMs
    },
    get enabled() {
      return syncIntervalMs !== false
    },
    sync(force = false) {
      if (syncIntervalMs === false) return Promise.resolve()
      if (!force && nextSyncAt !== undefined && now() < nextSyncAt) {
        return Promise.resolve()
      }
      pending ??= run().finally(() => {
        pending = undefined
      })
      return pending
    },
    timestamp() {
      // Monotonic guard: two requests in the same millisecond (or after the
      // offset moved backwards) still get increasing timestamps.
      let ts = Math.round(now() + offsetMs)
      if (ts <= last) ts = last + 1
      last = ts
      return ts
    },
  }
}
