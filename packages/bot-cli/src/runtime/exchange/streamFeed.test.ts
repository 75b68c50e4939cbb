import { WebSocketError } from '@rung/backpack-sdk'
import { describe, expect, test, vi } from 'vitest'
import { now } from '../../../test/exchangeStub.js'
import { silentLogger } from '../../ui/logger.js'
import { createStreamFeed, type StreamClientLike } from './streamFeed.js'

describe('createStreamFeed', () => {
  /** A stream client whose subscriptions fail with the given errors, by stream name prefix. */
  const refusingStream = (refuse: (name: string) => Error | undefined) =>
    ({
      on: () => () => {},
      subscribe: (
        name: string,
        _handler: unknown,
        options?: { onError?: (e: Error) => void },
      ) => {
        const error = refuse(name)
        if (error) queueMicrotask(() => options?.onError?.(error))
        return { unsubscribe: () => {} }
      },
      close: async () => {},
    }) as unknown as StreamClientLike

  const handlers = {
    onPrice: () => {},
    onOrderEvent: () => {},
    onConnection: () => {},
    onGapEnd: () => {},
  }

  test('error: a private subscription refused for its signature is fatal', async () => {
    const onFatal = vi.fn()
    const feed = createStreamFeed({
      stream: refusingStream((name) =>
        name.startsWith('account.')
          ? new WebSocketError(
              `The server rejected the subscription to ${name}: 4006 Invalid signature`,
              { stream: name, details: '4006 Invalid signature' },
            )
          : undefined,
      ),
      symbol: 'BTC_USDC',
      logger: silentLogger,
      now,
      onFatal,
    })
    await feed.start(handlers)
    await new Promise((r) => setTimeout(r, 0))
    expect(onFatal).toHaveBeenCalledTimes(1)
    expect(onFatal.mock.calls[0]?.[0]).toMatchObject({
      name: 'ExitError',
      exitCode: 2,
      message: expect.stringMatching(
        /account\.orderUpdate\.BTC_USDC[\s\S]*Invalid signature[\s\S]*Fix:/,
      ),
    })
  })

  test('behavior: any other refused subscription is only a warning', async () => {
    const onFatal = vi.fn()
    const warn = vi.fn()
    const feed = createStreamFeed({
      stream: refusingStream(
        (name) =>
          new WebSocketError(
            `The server rejected the subscription to ${name}: 4006 Invalid stream`,
            { stream: name, details: '4006 Invalid stream' },
          ),
      ),
      symbol: 'BTC_USDC',
      logger: { ...silentLogger, warn },
      now,
      onFatal,
    })
    await feed.start(handlers)
    await new Promise((r) => setTimeout(r, 0))
    expect(onFatal).not.toHaveBeenCalled()
    expect(warn).toHaveBeenCalledTimes(2)
  })
})
