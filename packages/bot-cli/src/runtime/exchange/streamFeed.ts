/**
 * The market feed over the WebSocket: the best bid as the price, the
 * account's order updates as strategy events, connection states and gaps
 * passed on so the loop can fall back to REST polling and reconcile.
 */
import type { StreamClient } from '@rung/backpack-sdk'
import { isZero } from '../../decimal.js'
import type { ExitError } from '../../errors.js'
import { errorFields, type Logger } from '../../ui/logger.js'
import type { FeedHandlers, MarketFeed } from '../ports.js'
import { authFailure } from './exchangeErrors.js'
import { orderUpdateToEvent } from './orderEvents.js'

/** The stream client's subset the feed uses (from the SDK's `createStreamClient`). */
export type StreamClientLike = Pick<StreamClient, 'on' | 'subscribe' | 'close'>

/** Options of {@link createStreamFeed}. */
export interface StreamFeedOptions {
  /** A stream client from the SDK's `createStreamClient`. */
  stream: StreamClientLike
  /** Market, e.g. `BTC_USDC`. */
  symbol: string
  /** Logger. */
  logger: Logger
  /** Clock (ms) stamped on the events. */
  now: () => number
  /**
   * Subscribe to `account.orderUpdate` (needs credentials).
   * @default true
   */
  privateStreams?: boolean | undefined
  /**
   * Called (once) when the exchange refuses the private subscription for
   * its signature or as expired, with an `ExitError` (exit code 2) naming
   * the cause and the fix: the bot should stop. Without it the refusal is
   * only logged.
   */
  onFatal?: ((error: ExitError) => void) | undefined
}

/**
 * The WebSocket feed: best bid (`bookTicker`) as the price, and the
 * account's order updates for the symbol turned into strategy events. The
 * stream client's connection states and gaps are passed on, so the loop
 * falls back to REST polling and reconciles after a reconnect.
 *
 * @param options - The stream client, the symbol, a logger and a clock.
 * @returns The feed; `start(handlers)` subscribes, `stop()` closes.
 * @example
 * ```ts
 * import { createStreamClient } from '@rung/backpack-sdk'
 * import { createStreamFeed, createLogger, createRedactor } from '@rung/bot-cli'
 *
 * const stream = createStreamClient({ url: 'ws://127.0.0.1:4000', secretKey: process.env.BACKPACK_API_SECRET })
 * const logger = createLogger({ format: 'plain', write: console.log, dir: false, redactor: createRedactor() })
 * const feed = createStreamFeed({ stream, symbol: 'BTC_USDC', logger, now: Date.now })
 * ```
 */
export function createStreamFeed(options: StreamFeedOptions): MarketFeed {
  const { stream, symbol, logger, now } = options
  const subs: { unsubscribe(): void }[] = []
  return {
    async start(handlers: FeedHandlers) {
      stream.on('state', (state) => handlers.onConnection(state))
      stream.on('gap', () => handlers.onGapEnd())
      let fatal = false
      const onError = (error: Error) => {
        const failure = authFailure(error)
        if (failure === undefined || options.onFatal === undefined) {
          logger.warn('stream subscription failed', errorFields(error))
          return
        }
        if (fatal) return
        fatal = true
        logger.error(
          "stopping: the exchange rejects this bot's signed stream subscription",
          { stream: (error as { stream?: string }).stream },
        )
        options.onFatal(failure)
      }
      subs.push(
        stream.subscribe(
          `bookTicker.${symbol}`,
          (event) => {
            // An empty book side is sent as "0" or an empty string.
            if (event.bestBidPrice && !isZero(event.bestBidPrice))
              handlers.onPrice(event.bestBidPrice, now())
          },
          { onError },
        ),
      )
      if (options.privateStreams !== false) {
        subs.push(
          stream.subscribe(
            `account.orderUpdate.${symbol}`,
            (update) => {
              const event = orderUpdateToEvent(update, symbol, now())
              if (event) handlers.onOrderEvent(event)
            },
            { onError },
          ),
        )
      }
    },
    async stop() {
      for (const s of subs) s.unsubscribe()
      await stream.close()
    },
  }
}
