/**
 * Delivery of notifications: one bounded queue per channel, drained by its
 * own worker in the background, so `notify()` returns at once and a slow or
 * dead endpoint never holds up the trading loop. A failed POST is retried
 * with exponential backoff (a 429's `Retry-After` is honoured); a full queue
 * drops its oldest message. Sent, failed and dropped messages are counted
 * (status.json shows them) and drops and failures are logged, with the
 * channel's safe name only: a URL is never logged (it may hold a token).
 */
import type { Logger } from '../ui/logger.js'
import type { NotifyChannel, NotifyEvent } from './notifyConfig.js'

/** One notification. */
export interface NotifyMessage {
  /** What happened (channels subscribe by event). */
  event: NotifyEvent
  /** One line: `BTC_USDC take profit: sold 0.01 @ 61000`. */
  title: string
  /** More detail (may be empty). */
  text: string
  /** When it happened (ms). */
  at: number
  /** The bot's market. */
  market: string
  /** Paper (simulated) or live money: shown in every message. */
  mode: string
  /** Figures (decimal strings stay strings). */
  fields?: Record<string, string | number | boolean | null> | undefined
}

/** Delivery counts of one channel, or of all of them. */
export interface NotifyCounts {
  /** Messages delivered. */
  sent: number
  /** Messages given up on after the retries (or refused with a 4xx). */
  failed: number
  /** Messages dropped because the queue was full (or left at shutdown). */
  dropped: number
  /** Messages waiting now. */
  queued: number
}

/** What status.json shows of the notifications. */
export interface NotifyStats extends NotifyCounts {
  /** Per channel, by safe name. */
  channels: Array<NotifyCounts & { name: string }>
}

/** Options of {@link createNotifier}. */
export interface NotifierOptions {
  /** The channels (secrets resolved). */
  channels: readonly NotifyChannel[]
  /** Logger for drops and failures (messages start with `notify:`). */
  logger: Logger
  /** Injected fetch. @default globalThis.fetch */
  fetch?: typeof fetch | undefined
  /** Messages per channel queue. @default 100 */
  queueSize?: number | undefined
  /** Attempts per message. @default 5 */
  maxAttempts?: number | undefined
  /** First retry delay (ms), doubled each retry. @default 1000 */
  baseDelayMs?: number | undefined
  /** Longest wait between attempts, `Retry-After` included (ms). @default 60000 */
  maxDelayMs?: number | undefined
  /** Per-request timeout (ms). @default 10000 */
  timeoutMs?: number | undefined
  /** Injected wait (tests record the delays). Resolves early when `signal` aborts. */
  sleep?: ((ms: number, signal: AbortSignal) => Promise<void>) | undefined
}

/** A running notifier. */
export interface Notifier {
  /** Queues the message on every channel that wants its event; never blocks, never throws. */
  notify(message: NotifyMessage): void
  /** Counts so far. */
  stats(): NotifyStats
  /**
   * Stops taking messages, waits up to `graceMs` for the queues to drain,
   * then abandons what is left (counted as dropped).
   */
  close(graceMs?: number): Promise<NotifyStats>
}

interface ChannelState {
  channel: NotifyChannel
  queue: NotifyMessage[]
  counts: Omit<NotifyCounts, 'queued'>
  running: Promise<void> | undefined
  inFlight: boolean
  lastDropLog: number
}

const defaultSleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve()
    const t = setTimeout(done, ms)
    t.unref?.()
    function done() {
      clearTimeout(t)
      signal.removeEventListener('abort', done)
      resolve()
    }
    signal.addEventListener('abort', done)
  })

/**
 * Starts a notifier over the channels.
 *
 * @param options - Channels, logger, fetch and the retry policy.
 * @returns The notifier.
 * @example
 * ```ts
 * import { createNotifier } from './notifier.js'
 * import { silentLogger } from '../ui/logger.js'
 * const notifier = createNotifier({
 *   channels: [{ name: 'webhook 1', url: 'https://example.com/hook', format: 'json', events: new Set(['critical']) }],
 *   logger: silentLogger,
 * })
 * notifier.notify({ event: 'critical', title: 'bot stopped', text: '', at: Date.now(), market: 'BTC_USDC', mode: 'live' })
 * await notifier.close()
 * ```
 */
export function createNotifier(options: NotifierOptions): Notifier {
  const { logger } = options
  const doFetch = options.fetch ?? globalThis.fetch
  const queueSize = options.queueSize ?? 100
  const maxAttempts = options.maxAttempts ?? 5
  const baseDelayMs = options.baseDelayMs ?? 1000
  const maxDelayMs = options.maxDelayMs ?? 60_000
  const timeoutMs = options.timeoutMs ?? 10_000
  const sleep = options.sleep ?? defaultSleep
  const shutdown = new AbortController()
  let closed = false
  const states: ChannelState[] = options.channels.map((channel) => ({
    channel,
    queue: [],
    counts: { sent: 0, failed: 0, dropped: 0 },
    running: undefined,
    inFlight: false,
    lastDropLog: Number.NEGATIVE_INFINITY,
  }))

  async function deliver(s: ChannelState, message: NotifyMessage) {
    for (let n = 1; ; n++) {
      const result = await postOnce(s.channel, message, {
        fetch: doFetch,
        timeoutMs,
        shutdown: shutdown.signal,
      })
      if (result.kind === 'sent') {
        s.counts.sent++
        return
      }
      if (result.kind === 'refused') {
        s.counts.failed++
        logger.warn(
          `notify: ${s.channel.name} refused a message (HTTP ${result.status}); not retried`,
          {
            event: message.event,
            fix: 'check the channel in the notify section (URL, token, chat id)',
          },
        )
        return
      }
      if (n >= maxAttempts || shutdown.signal.aborted) {
        s.counts.failed++
        logger.warn(
          `notify: ${s.channel.name} failed after ${n} attempts (${result.why}); message given up`,
          { event: message.event },
        )
        return
      }
      const backoff = Math.min(maxDelayMs, baseDelayMs * 2 ** (n - 1))
      const waitMs = Math.min(maxDelayMs, result.waitMs ?? backoff)
      logger.debug(`notify: ${s.channel.name}: ${result.why}, retrying`, {
        attempt: n,
        waitMs,
      })
      await sleep(waitMs, shutdown.signal)
    }
  }

  function pump(s: ChannelState) {
    if (s.running !== undefined) return
    s.running = (async () => {
      for (;;) {
        const message = s.queue.shift()
        if (message === undefined) break
        s.inFlight = true
        await deliver(s, message).finally(() => {
          s.inFlight = false
        })
      }
    })()
      .catch(() => {})
      .finally(() => {
        s.running = undefined
        if (s.queue.length > 0 && !shutdown.signal.aborted) pump(s)
      })
  }

  const stats = (): NotifyStats => statsOf(states)

  return {
    notify(message) {
      if (closed) return
      for (const s of states) {
        if (!s.channel.events.has(message.event)) continue
        if (s.queue.length >= queueSize) {
          s.queue.shift()
          s.counts.dropped++
          const now = Date.now()
          // One line a minute at most: a dead endpoint must not flood the log.
          if (now - s.lastDropLog >= 60_000) {
            s.lastDropLog = now
            logger.warn(
              `notify: ${s.channel.name} queue full (${queueSize}); dropping the oldest messages`,
              { dropped: s.counts.dropped },
            )
          }
        }
        s.queue.push(message)
        pump(s)
      }
    },
    stats,
    async close(graceMs = 2000) {
      closed = true
      const drained = Promise.all(states.map((s) => drainedOf(s)))
      let timer: NodeJS.Timeout | undefined
      await Promise.race([
        drained,
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, graceMs)
        }),
      ])
      clearTimeout(timer)
      shutdown.abort()
      await Promise.all(states.map((s) => s.running))
      for (const s of states) {
        s.counts.dropped += s.queue.length
        s.queue.length = 0
      }
      const final = stats()
      if (final.dropped > 0 || final.failed > 0)
        logger.warn('notify: some notifications were not delivered', {
          sent: final.sent,
          failed: final.failed,
          dropped: final.dropped,
        })
      return final
    },
  }
}

/** The outcome of one POST. */
type Attempt =
  | { kind: 'sent' }
  | { kind: 'refused'; status: number }
  | { kind: 'retry'; waitMs?: number; why: string }

/**
 * One delivery attempt: 'sent', 'retry' (after the delay given, if the
 * endpoint said) or 'refused' (a 4xx other than 408/429: retrying would not help).
 */
async function postOnce(
  channel: NotifyChannel,
  message: NotifyMessage,
  io: { fetch: typeof fetch; timeoutMs: number; shutdown: AbortSignal },
): Promise<Attempt> {
  const timeout = AbortSignal.timeout(io.timeoutMs)
  try {
    const response = await io.fetch(channel.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload(channel, message)),
      signal: AbortSignal.any([timeout, io.shutdown]),
    })
    // The body is not needed (and not logged: it may echo the URL).
    await response.body?.cancel().catch(() => {})
    if (response.ok) return { kind: 'sent' }
    if (response.status === 429) {
      const waitMs = retryAfterMs(response.headers.get('retry-after'))
      return {
        kind: 'retry',
        why: 'HTTP 429',
        ...(waitMs === undefined ? {} : { waitMs }),
      }
    }
    if (response.status >= 500 || response.status === 408)
      return { kind: 'retry', why: `HTTP ${response.status}` }
    return { kind: 'refused', status: response.status }
  } catch (error) {
    const why = timeout.aborted
      ? `no answer within ${io.timeoutMs} ms`
      : error instanceof Error && error.cause instanceof Error
        ? ((error.cause as NodeJS.ErrnoException).code ?? error.cause.message)
        : 'network error'
    return { kind: 'retry', why }
  }
}

/** Counts of one channel; the message being sent counts as queued. */
const countsOf = (s: ChannelState): NotifyCounts => ({
  ...s.counts,
  queued: s.queue.length + (s.inFlight ? 1 : 0),
})

/** Counts per channel and summed. */
function statsOf(states: readonly ChannelState[]): NotifyStats {
  const channels = states.map((s) => ({ name: s.channel.name, ...countsOf(s) }))
  const sum = (k: keyof NotifyCounts) =>
    channels.reduce((acc, c) => acc + c[k], 0)
  return {
    sent: sum('sent'),
    failed: sum('failed'),
    dropped: sum('dropped'),
    queued: sum('queued'),
    channels,
  }
}

/** Resolves once the channel's queue is empty and its worker idle. */
async function drainedOf(s: ChannelState): Promise<void> {
  while (s.running !== undefined) await s.running
}

/** `Retry-After` in ms: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null): number | undefined {
  if (header === null || header.trim() === '') return undefined
  const seconds = Number(header)
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000
  const date = Date.parse(header)
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now())
}

/** The text of a message: title, mode tag and detail. */
function textOf(message: NotifyMessage): string {
  const tag = message.mode === 'live' ? '' : ` [${message.mode}]`
  return message.text === ''
    ? `${message.title}${tag}`
    : `${message.title}${tag}\n${message.text}`
}

/**
 * The body a channel receives.
 * - `json`: `{ event, market, mode, at, title, text, fields }` (`at` ISO-8601).
 * - `slack`: `{ text }` (Slack incoming webhooks).
 * - `discord`: `{ content }` (Discord webhooks).
 * - `telegram`: `{ chat_id, text }` (Bot API `sendMessage`).
 * @param channel - The channel.
 * @param message - The message.
 * @returns The JSON body.
 */
export function payload(
  channel: Pick<NotifyChannel, 'format' | 'chatId'>,
  message: NotifyMessage,
): Record<string, unknown> {
  switch (channel.format) {
    case 'slack':
      return { text: textOf(message) }
    case 'discord':
      return { content: textOf(message) }
    case 'telegram':
      return {
        chat_id: channel.chatId,
        text: textOf(message),
        disable_web_page_preview: true,
      }
    case 'json':
      return {
        event: message.event,
        market: message.market,
        mode: message.mode,
        at: new Date(message.at).toISOString(),
        title: message.title,
        text: message.text,
        fields: message.fields ?? {},
      }
  }
}
