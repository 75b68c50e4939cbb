/**
 * The sequence logic of a local order book (reference §6.8): buffer depth
 * events while syncing, line a REST snapshot up with the buffer, then apply
 * events strictly in sequence, and start over on a gap or a bad level.
 *
 * ```
 *  'syncing': buffer every depth event ──(≥ minBufferedEvents)──> fetch snapshot S
 *     snapshot older than the buffer (S < firstU - 1)? ──> wait retryDelayMs, refetch
 *     drop buffered events with u <= S; the first kept one may straddle
 *     (U - 1 <= S < u); apply the rest strictly ──> 'live'
 *  'live': require U == lastApplied + 1, apply, set lastApplied = u
 *     a gap in U, a malformed level, or the stream leaving 'open' ──> 'syncing'
 * ```
 * Quantities are absolute, so applying a straddling event on top of the
 * snapshot is safe (ccxt's rule, reference §6.8 step 5).
 */
import type { EventEmitter } from 'eventemitter3'
import type { BackpackError } from '../errors/backpackError.js'
import { WebSocketError } from '../errors/webSocketError.js'
import type { DepthEvent } from '../types/ws.js'
import { MalformedPayload } from '../ws/parse.js'
import type { BookSide } from './bookSide.js'
import { SnapshotFetcher } from './snapshotFetcher.js'
import type {
  DepthSnapshot,
  FetchDepthSnapshot,
  OrderBookEvents,
  OrderBookState,
  OrderBookStats,
  SnapshotLimit,
} from './types.js'

/** What a {@link DepthSync} works on. @internal */
export interface DepthSyncOptions {
  readonly symbol: string
  readonly bids: BookSide
  readonly asks: BookSide
  readonly stats: OrderBookStats
  readonly emitter: EventEmitter<OrderBookEvents>
  readonly fetch: FetchDepthSnapshot
  readonly limit: SnapshotLimit | undefined
  readonly minBuffered: number
  readonly maxBuffered: number
  readonly retryDelayMs: number
  readonly report: (error: BackpackError) => void
}

/** @internal */
export class DepthSync {
  readonly #o: DepthSyncOptions
  readonly #snapshots: SnapshotFetcher
  #state: OrderBookState = 'syncing'
  #last: number | undefined
  #buffer: DepthEvent[] = []
  /** The snapshot is newer than anything buffered: the next event may straddle it. */
  #afterSnapshot = false

  constructor(options: DepthSyncOptions) {
    this.#o = options
    this.#snapshots = new SnapshotFetcher({
      symbol: options.symbol,
      fetch: options.fetch,
      limit: options.limit,
      retryDelayMs: options.retryDelayMs,
      report: options.report,
      onSnapshot: (snapshot) => this.#onSnapshot(snapshot),
      wanted: () =>
        this.#state === 'syncing' && this.#buffer.length >= this.#o.minBuffered,
    })
  }

  get state(): OrderBookState {
    return this.#state
  }

  get lastUpdateId(): number | undefined {
    return this.#last
  }

  /** One depth event from the stream. */
  onEvent(event: DepthEvent): void {
    if (this.#state === 'live') {
      this.#applyLive(event)
      return
    }
    if (this.#state !== 'syncing') return
    const { minBuffered, maxBuffered } = this.#o
    this.#buffer.push(event)
    if (this.#buffer.length > maxBuffered) {
      this.#buffer.splice(0, this.#buffer.length - minBuffered)
    }
    if (this.#buffer.length >= minBuffered) this.#snapshots.request()
  }

  /** Back to syncing; `keep` is an event newer than anything applied. */
  resync(reason: string, keep: DepthEvent | undefined): void {
    if (this.#state === 'closed') return
    this.#snapshots.cancel()
    this.#afterSnapshot = false
    this.#buffer = keep ? [keep] : []
    this.#o.stats.resyncs++
    this.#setState('syncing')
    this.#o.emitter.emit('resync', reason)
    if (keep && this.#buffer.length >= this.#o.minBuffered)
      this.#snapshots.request()
  }

  /** Stops for good; false when it was already closed. */
  close(): boolean {
    if (this.#state === 'closed') return false
    this.#snapshots.cancel()
    this.#buffer = []
    this.#setState('closed')
    return true
  }

  #applyLive(event: DepthEvent) {
    const next = inSequence(event, this.#last!, this.#afterSnapshot)
    if (next === 'skip') return
    if (next !== 'apply') {
      this.resync(next.gap, event)
      return
    }
    this.#afterSnapshot = false
    if (!this.#applyLevels(event)) return
    this.#last = event.lastUpdateId
    this.#o.stats.eventsApplied++
    if (this.#o.emitter.listenerCount('book') > 0) {
      this.#o.emitter.emit('book', {
        lastUpdateId: event.lastUpdateId,
        eventTimeUs: event.eventTimeUs,
      })
    }
  }

  /** Applies an event's levels; false (and a resync) on a malformed price. */
  #applyLevels(event: DepthEvent): boolean {
    try {
      applyLevels(this.#o.bids, this.#o.asks, event)
      return true
    } catch (error) {
      if (!(error instanceof MalformedPayload)) throw error
      this.#o.report(
        new WebSocketError(
          `Malformed depth level for ${this.#o.symbol}; resyncing.`,
          { cause: error },
        ),
      )
      this.resync(`malformed level: ${error.message}`, undefined)
      return false
    }
  }

  #setState(next: OrderBookState) {
    const prev = this.#state
    if (prev === next) return
    this.#state = next
    this.#o.emitter.emit('state', next, prev)
  }

  /** A snapshot of the current sync: line it up with the buffer, go live. */
  #onSnapshot(snapshot: DepthSnapshot) {
    const line = loadSnapshot(this.#o, snapshot, this.#buffer)
    if ('retry' in line) {
      if (line.retry) this.#o.report(line.retry)
      this.#snapshots.retryLater()
      return
    }
    const { S, pending } = line
    const first = pending[0]
    this.#o.stats.snapshots++
    this.#buffer = []
    this.#last = S
    // The first pending event may straddle S (U - 1 <= S < u): quantities are
    // absolute, so it applies cleanly on top of the snapshot.
    let i = 0
    this.#afterSnapshot = first === undefined
    if (first) {
      if (!this.#applyLevels(first)) return
      this.#last = first.lastUpdateId
      this.#o.stats.eventsApplied++
      i = 1
    }
    this.#setState('live')
    for (; i < pending.length; i++) {
      this.#applyLive(pending[i]!)
      if (this.#state !== 'live') return
    }
    this.#o.emitter.emit('book', {
      lastUpdateId: this.#last,
      eventTimeUs: pending.at(-1)?.eventTimeUs,
    })
  }
}

/** Applies a depth event's levels to both sides; throws `MalformedPayload` on a bad level. */
function applyLevels(bidSide: BookSide, askSide: BookSide, event: DepthEvent) {
  const { bids, asks } = event
  for (let i = 0; i < bids.length; i++) {
    const l = bids[i]!
    bidSide.apply(l[0], l[1])
  }
  for (let i = 0; i < asks.length; i++) {
    const l = asks[i]!
    askSide.apply(l[0], l[1])
  }
}

/**
 * Lines a snapshot up with the buffered events and loads it into both
 * sides: the events newer than it, or a retry (with the error to report,
 * if any). A snapshot that predates the oldest buffered event is retried
 * silently: the events in between are unknown, so the REST side must catch
 * up first (§6.8 step 3).
 */
function loadSnapshot(
  o: DepthSyncOptions,
  snapshot: DepthSnapshot,
  buffer: readonly DepthEvent[],
):
  | { S: number; pending: DepthEvent[] }
  | { retry: WebSocketError | undefined } {
  const S = Number(snapshot.lastUpdateId)
  if (!Number.isSafeInteger(S)) {
    return {
      retry: new WebSocketError(
        `Depth snapshot for ${o.symbol} has an unusable lastUpdateId ${JSON.stringify(snapshot.lastUpdateId)}; retrying.`,
      ),
    }
  }
  const pending = buffer.filter((e) => e.lastUpdateId > S)
  const first = pending[0]
  if (first && first.firstUpdateId - 1 > S) return { retry: undefined }
  try {
    o.bids.load(snapshot.bids)
    o.asks.load(snapshot.asks)
  } catch (error) {
    return {
      retry: new WebSocketError(
        `Depth snapshot for ${o.symbol} is malformed; retrying.`,
        { cause: error },
      ),
    }
  }
  return { S, pending }
}

/**
 * Whether a live event comes next after `last`: `'apply'`, `'skip'` (an old
 * event right after a snapshot), or a gap (resync, keeping the event).
 * Right after a snapshot newer than every buffered event, the first event
 * may straddle it (U - 1 <= last < u, §6.8 step 5); after that, U must be
 * exactly last + 1.
 */
function inSequence(
  event: DepthEvent,
  last: number,
  afterSnapshot: boolean,
): 'apply' | 'skip' | { gap: string } {
  if (afterSnapshot) {
    if (event.lastUpdateId <= last) return 'skip'
    if (event.firstUpdateId - 1 > last) {
      return {
        gap: `sequence gap after the snapshot: expected U<=${last + 1}, got U=${event.firstUpdateId}`,
      }
    }
    return 'apply'
  }
  if (event.firstUpdateId !== last + 1) {
    return {
      gap: `sequence gap: expected U=${last + 1}, got U=${event.firstUpdateId}`,
    }
  }
  return 'apply'
}
