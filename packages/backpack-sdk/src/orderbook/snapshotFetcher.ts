/**
 * Fetches the REST depth snapshots a syncing book needs: one request at a
 * time, a retry after a delay, and a generation counter so that an answer
 * to a request made before a resync (or a close) is dropped.
 */
import type { BackpackError } from '../errors/backpackError.js'
import { WebSocketError } from '../errors/webSocketError.js'
import type {
  DepthSnapshot,
  FetchDepthSnapshot,
  SnapshotLimit,
} from './types.js'

/** What a {@link SnapshotFetcher} needs. @internal */
export interface SnapshotFetcherOptions {
  readonly symbol: string
  readonly fetch: FetchDepthSnapshot
  readonly limit: SnapshotLimit | undefined
  readonly retryDelayMs: number
  /** Called with each snapshot of the current generation. */
  readonly onSnapshot: (snapshot: DepthSnapshot) => void
  /** Called with each failed request (before the retry is scheduled). */
  readonly report: (error: BackpackError) => void
  /** Asked when a retry is due: whether a snapshot is still wanted. */
  readonly wanted: () => boolean
}

/** @internal */
export class SnapshotFetcher {
  readonly #o: SnapshotFetcherOptions
  /** Bumps on every cancel; an answer for an older one is dropped. */
  #generation = 0
  #fetching = false
  #retryTimer: ReturnType<typeof setTimeout> | undefined

  constructor(options: SnapshotFetcherOptions) {
    this.#o = options
  }

  /** Starts a request unless one is in flight or a retry is scheduled. */
  request(): void {
    if (this.#fetching || this.#retryTimer !== undefined) return
    void this.#load()
  }

  /** Schedules a new request after the retry delay (replacing any scheduled one). */
  retryLater(): void {
    this.#clearRetry()
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined
      if (this.#o.wanted()) this.request()
    }, this.#o.retryDelayMs)
  }

  /** Forgets the request in flight and any scheduled retry. */
  cancel(): void {
    this.#generation++
    this.#fetching = false
    this.#clearRetry()
  }

  #clearRetry() {
    if (this.#retryTimer !== undefined) clearTimeout(this.#retryTimer)
    this.#retryTimer = undefined
  }

  async #load() {
    const generation = this.#generation
    const { symbol, limit } = this.#o
    this.#fetching = true
    let snapshot: DepthSnapshot
    try {
      snapshot = await this.#o.fetch(
        limit === undefined ? { symbol } : { symbol, limit },
      )
    } catch (cause) {
      if (generation !== this.#generation) return
      this.#fetching = false
      this.#o.report(
        cause instanceof Error && 'shortMessage' in cause
          ? (cause as BackpackError)
          : new WebSocketError(
              `Depth snapshot for ${symbol} failed; retrying in ${this.#o.retryDelayMs} ms.`,
              { cause },
            ),
      )
      this.retryLater()
      return
    }
    if (generation !== this.#generation) return
    this.#fetching = false
    this.#o.onSnapshot(snapshot)
  }
}
