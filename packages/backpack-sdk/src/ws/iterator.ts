/**
 * Turns a push subscription into a pull async iterator with a bounded buffer.
 *
 * Buffer policy (documented in docs/streams.md):
 * - up to `bufferSize` events wait for a slow consumer;
 * - on overflow, `'dropOldest'` discards the oldest waiting event and counts it
 *   in `dropped` (right for prices, where only the latest matters);
 *   `'error'` ends the iteration with a {@link WebSocketError} (right for
 *   account streams, where a lost order update must never pass silently).
 * - `break`, `return()`, an aborted `signal` or `unsubscribe()` end the
 *   iteration and release the subscription; a subscription error makes the
 *   next `next()` reject once the already buffered events are consumed.
 */
import { WebSocketError } from '../errors/webSocketError.js'

/** What happens when a slow consumer lets the iterator buffer fill up. */
export type OverflowPolicy = 'dropOldest' | 'error'

/**
 * An async iterator over one stream that is also its subscription handle.
 * Iterate it with `for await`; leaving the loop unsubscribes.
 */
export interface StreamIterator<T> extends AsyncIterableIterator<T> {
  /** The stream name, e.g. `bookTicker.SOL_USDC`. */
  readonly stream: string
  /** Events discarded under the `'dropOldest'` policy so far. */
  readonly dropped: number
  /** Whether the iteration has ended (no more events will arrive). */
  readonly closed: boolean
  /** Ends the iteration and releases the subscription; idempotent. */
  unsubscribe(): void
}

/** @internal Hooks the client gives the iterator. */
export interface IteratorSource<T> {
  stream: string
  bufferSize: number
  overflow: OverflowPolicy
  /** Aborting it ends the iteration. */
  signal: AbortSignal | undefined
  /**
   * Subscribes; returns the unsubscribe function. `end` is for the client
   * ending the subscription (close).
   */
  attach(
    push: (event: T) => void,
    fail: (error: Error) => void,
    end: () => void,
  ): () => void
}

/** @internal Creates a {@link StreamIterator} over a subscription. */
export function createStreamIterator<T>(
  source: IteratorSource<T>,
): StreamIterator<T> {
  // A ring would avoid the O(n) shift on overflow; shift on <= bufferSize
  // items only happens in the overflow path, which is already exceptional.
  const buffer: T[] = []
  let dropped = 0
  let closed = false
  let failure: Error | undefined
  let waiting:
    | {
        resolve: (r: IteratorResult<T>) => void
        reject: (e: Error) => void
      }
    | undefined

  const finish = () => {
    if (closed) return
    closed = true
    detach()
    source.signal?.removeEventListener('abort', finish)
    if (waiting && buffer.length === 0) {
      const w = waiting
      waiting = undefined
      if (failure) {
        w.reject(failure)
        failure = undefined
      } else {
        w.resolve({ value: undefined, done: true })
      }
    }
  }

  const push = (event: T) => {
    if (closed) return
    if (waiting) {
      const w = waiting
      waiting = undefined
      w.resolve({ value: event, done: false })
      return
    }
    if (buffer.length >= source.bufferSize) {
      if (source.overflow === 'dropOldest') {
        buffer.shift()
        dropped++
      } else {
        failure = new WebSocketError(
          `Iterator buffer of ${source.stream} overflowed (${source.bufferSize} events); consume faster or raise bufferSize.`,
          { stream: source.stream },
        )
        finish()
        return
      }
    }
    buffer.push(event)
  }

  const fail = (error: Error) => {
    if (closed) return
    failure = error
    finish()
  }

  const detach = source.attach(push, fail, finish)
  if (source.signal?.aborted) finish()
  else source.signal?.addEventListener('abort', finish, { once: true })

  const iterator: StreamIterator<T> = {
    stream: source.stream,
    get dropped() {
      return dropped
    },
    get closed() {
      return closed
    },
    unsubscribe: finish,
    next(): Promise<IteratorResult<T>> {
      if (buffer.length > 0) {
        return Promise.resolve({ value: buffer.shift() as T, done: false })
      }
      if (closed) {
        if (failure) {
          const f = failure
          // Report the failure once; later calls just say "done".
          failure = undefined
          return Promise.reject(f)
        }
        return Promise.resolve({ value: undefined, done: true })
      }
      if (waiting) {
        return Promise.reject(
          new WebSocketError(
            `next() was called on ${source.stream} while a previous next() was still pending; await each call.`,
            { stream: source.stream },
          ),
        )
      }
      return new Promise((resolve, reject) => {
        waiting = { resolve, reject }
      })
    },
    return(): Promise<IteratorResult<T>> {
      buffer.length = 0
      failure = undefined
      finish()
      return Promise.resolve({ value: undefined, done: true })
    },
    [Symbol.asyncIterator]() {
      return iterator
    },
  }
  return iterator
}
