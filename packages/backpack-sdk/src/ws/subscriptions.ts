/**
 * Subscriptions: reference counts per stream name, and the SUBSCRIBE /
 * UNSUBSCRIBE frames that keep the wire in line with them. The wire only
 * sees the set of names with at least one subscriber; changes made in the
 * same tick are reconciled in one microtask, so they share one frame. On a
 * new socket, the connection calls {@link flush} to resubscribe everything.
 */
import { ValidationError } from '../errors/inputErrors.js'
import { WebSocketError } from '../errors/webSocketError.js'
import { signSubscription } from '../signing/index.js'
import type { StreamEventOf } from '../types/ws.js'
import { type StreamCore, type Subscriber, SubscriptionHandle } from './core.js'
import { createStreamIterator, type StreamIterator } from './iterator.js'
import { isPrivateStream, parserFor } from './parse.js'
import type { IterateOptions, SubscribeOptions, Subscription } from './types.js'

const STREAM_NAME = /^[A-Za-z][\w.%-]*$/
const SENT_FRAMES_KEPT = 64

/** `StreamClient.subscribe`: a listener for one stream, optionally tied to an `AbortSignal`. */
export function subscribe<S extends string>(
  core: StreamCore,
  stream: S,
  listener: (event: StreamEventOf<S>) => void,
  options: SubscribeOptions,
): Subscription {
  const { signal, onError } = options
  if (typeof listener !== 'function') {
    throw new ValidationError('listener must be a function.', {
      field: 'listener',
    })
  }
  const handle = addSubscriber(
    core,
    stream,
    listener as (event: unknown) => void,
    onError,
    undefined,
  )
  if (signal) {
    const abort = () => handle.unsubscribe()
    if (signal.aborted) abort()
    else {
      signal.addEventListener('abort', abort, { once: true })
      handle.onRelease = () => signal.removeEventListener('abort', abort)
    }
  }
  return handle
}

/** `StreamClient.stream`: one stream as a bounded async iterator. */
export function iterate<S extends string>(
  core: StreamCore,
  stream: S,
  options: IterateOptions,
): StreamIterator<StreamEventOf<S>> {
  const { bufferSize = 1000, overflow, signal, onError } = options
  if (!Number.isInteger(bufferSize) || bufferSize < 1) {
    throw new ValidationError(
      `bufferSize must be a positive integer, got ${String(bufferSize)}.`,
      { field: 'bufferSize' },
    )
  }
  return createStreamIterator<StreamEventOf<S>>({
    stream,
    bufferSize,
    overflow: overflow ?? (isPrivateStream(stream) ? 'error' : 'dropOldest'),
    signal,
    attach: (push, fail, end) => {
      const sub = addSubscriber(
        core,
        stream,
        push as (event: unknown) => void,
        (error) => {
          if (onError) core.safeCall(onError, error)
          fail(error)
        },
        end,
      )
      return () => sub.unsubscribe()
    },
  })
}

/**
 * Adds a subscriber to a stream (creating its topic and queueing a
 * SUBSCRIBE when it is the first).
 *
 * @throws {ValidationError} for a malformed name, or a private stream
 *   without credentials.
 * @throws {WebSocketError} when the client is closed.
 */
export function addSubscriber(
  core: StreamCore,
  stream: string,
  listener: (event: unknown) => void,
  onError: ((error: WebSocketError) => void) | undefined,
  onEnd: (() => void) | undefined,
): SubscriptionHandle {
  if (typeof stream !== 'string' || !STREAM_NAME.test(stream)) {
    throw new ValidationError(
      `stream must be a stream name such as "bookTicker.SOL_USDC", got ${JSON.stringify(stream)}.`,
      { field: 'stream' },
    )
  }
  if (core.state === 'closed') {
    throw new WebSocketError(
      `Cannot subscribe to ${stream}: the stream client is closed; create a new one.`,
      { stream },
    )
  }
  const isPrivate = isPrivateStream(stream)
  if (isPrivate && !core.settings.signer) {
    throw new ValidationError(
      `${stream} is a private stream; pass secretKey (or signer) to createStreamClient.`,
      { field: 'secretKey' },
    )
  }
  let topic = core.topics.get(stream)
  if (!topic) {
    topic = {
      name: stream,
      isPrivate,
      parse: parserFor(stream),
      subscribers: new Set(),
    }
    core.topics.set(stream, topic)
    queueFlush(core)
  }
  const subscriber: Subscriber = {
    listener,
    onError,
    onEnd,
    handle: new SubscriptionHandle(stream, () =>
      releaseSubscriber(core, stream, subscriber),
    ),
  }
  topic.subscribers.add(subscriber)
  return subscriber.handle
}

function releaseSubscriber(
  core: StreamCore,
  stream: string,
  subscriber: Subscriber,
) {
  const topic = core.topics.get(stream)
  if (!topic?.subscribers.delete(subscriber)) return
  if (topic.subscribers.size === 0) {
    core.topics.delete(stream)
    queueFlush(core)
  }
}

/** Reconciles the wire with the wanted set, once per tick. */
export function queueFlush(core: StreamCore) {
  if (core.flushQueued) return
  core.flushQueued = true
  queueMicrotask(() => {
    core.flushQueued = false
    flush(core)
  })
}

/**
 * Sends what differs between the subscribed topics and the wire: at most
 * one SUBSCRIBE and one UNSUBSCRIBE per kind (public / private). Public and
 * private streams never share a frame (mixing them is UNCONFIRMED, §6.3).
 */
export function flush(core: StreamCore) {
  if (core.state !== 'open' || !core.socket) return
  const add: [string[], string[]] = [[], []]
  const remove: [string[], string[]] = [[], []]
  for (const topic of core.topics.values()) {
    if (!core.onWire.has(topic.name))
      add[topic.isPrivate ? 1 : 0].push(topic.name)
  }
  for (const name of core.onWire) {
    if (!core.topics.has(name)) remove[isPrivateStream(name) ? 1 : 0].push(name)
  }
  sendFrame(core, 'UNSUBSCRIBE', remove[0], false)
  sendFrame(core, 'UNSUBSCRIBE', remove[1], true)
  sendFrame(core, 'SUBSCRIBE', add[0], false)
  sendFrame(core, 'SUBSCRIBE', add[1], true)
}

function sendFrame(
  core: StreamCore,
  method: 'SUBSCRIBE' | 'UNSUBSCRIBE',
  streams: string[],
  signed: boolean,
) {
  if (streams.length === 0 || !core.socket) return
  const id = core.nextId++
  const frame: {
    method: string
    params: string[]
    id: number
    signature?: [string, string, string, string]
  } = { method, params: streams, id }
  if (signed) {
    // Fresh, strictly increasing timestamp per signed frame (§6.3): two
    // frames in one millisecond still get distinct signatures.
    const timestamp = Math.max(core.settings.now(), core.lastTimestamp + 1)
    core.lastTimestamp = timestamp
    // Private UNSUBSCRIBE is signed too (UNCONFIRMED; ccxt does it, and a
    // server that does not need it ignores the extra key, §12 rule 17).
    try {
      frame.signature = signSubscription(core.settings.signer!, {
        timestamp,
        windowMs: core.settings.windowMs,
      })
    } catch (cause) {
      // e.g. a clock that returns garbage: fail these subscriptions loudly
      // rather than sending an unsigned private frame.
      const error = new WebSocketError(
        `Could not sign the ${method} of ${streams.join(', ')}; check the now option.`,
        { cause },
      )
      if (method === 'SUBSCRIBE') {
        for (const name of streams) {
          const topic = core.topics.get(name)
          for (const sub of [...(topic?.subscribers ?? [])]) {
            core.failSubscriber(sub, error)
          }
        }
      } else {
        core.report(error)
      }
      return
    }
  }
  try {
    core.socket.send(JSON.stringify(frame))
  } catch (cause) {
    // The socket is going away; the close handler resubscribes later.
    core.settings.logger?.warn?.('send failed', { method, streams, cause })
    return
  }
  core.stats.framesSent++
  for (const s of streams) {
    if (method === 'SUBSCRIBE') core.onWire.add(s)
    else core.onWire.delete(s)
  }
  core.sent.push({ id, method, streams, sentAtMs: core.settings.now() })
  if (core.sent.length > SENT_FRAMES_KEPT) core.sent.shift()
  core.settings.logger?.debug?.(method.toLowerCase(), { streams, id })
}
