/**
 * The state one stream client shares between its parts (connection,
 * subscriptions, dispatch), and the few things they all do with it: change
 * state, start a timer, report an error. Internal: nothing here is exported
 * from the package.
 */
import { EventEmitter } from 'eventemitter3'
import type { WebSocketError } from '../errors/webSocketError.js'
import type { StreamSettings } from './options.js'
import type { PayloadParser } from './parse.js'
import type { WebSocketLike } from './socket.js'
import type {
  StreamClientEvents,
  StreamState,
  StreamStats,
  Subscription,
} from './types.js'

/** One subscriber of a topic. */
export interface Subscriber {
  listener: (event: unknown) => void
  onError: ((error: WebSocketError) => void) | undefined
  /** Called when the client (not the subscriber) ends the subscription. */
  onEnd: (() => void) | undefined
  handle: SubscriptionHandle
}

/** A stream name with its subscribers and its parser. */
export interface Topic {
  name: string
  isPrivate: boolean
  parse: PayloadParser
  subscribers: Set<Subscriber>
}

/** A frame we sent, kept briefly to attribute error frames. */
export interface SentFrame {
  id: number
  method: 'SUBSCRIBE' | 'UNSUBSCRIBE'
  streams: string[]
  sentAtMs: number
}

/** The handle {@link StreamClient.subscribe} returns. */
export class SubscriptionHandle implements Subscription {
  active = true
  /** Extra cleanup (e.g. removing an abort listener). */
  onRelease: (() => void) | undefined
  constructor(
    readonly stream: string,
    private readonly release: () => void,
  ) {}
  unsubscribe(): void {
    if (!this.active) return
    this.active = false
    this.onRelease?.()
    this.release()
  }
}

/** Everything one stream client knows, shared by its parts. */
export class StreamCore {
  readonly stats: StreamStats = {
    framesReceived: 0,
    messagesDelivered: 0,
    malformedFrames: 0,
    errorFrames: 0,
    unroutedFrames: 0,
    reconnects: 0,
    heartbeatTimeouts: 0,
    framesSent: 0,
  }
  readonly emitter = new EventEmitter<StreamClientEvents>()
  readonly topics = new Map<string, Topic>()
  /** Names subscribed on the current socket. */
  readonly onWire = new Set<string>()
  readonly sent: SentFrame[] = []

  state: StreamState = 'connecting'
  socket: WebSocketLike | undefined
  /** Increments per socket; events of older sockets are ignored. */
  generation = 0
  attempt = 0
  everOpened = false
  gapStart: { atMs: number; reason: string } | undefined
  flushQueued = false
  nextId = 1
  lastTimestamp = 0
  /** Increments on every inbound frame, pong or ping (heartbeat evidence). */
  inbound = 0
  readonly timers = new Set<ReturnType<typeof setTimeout>>()
  heartbeatTimer: ReturnType<typeof setInterval> | undefined
  closedPromise: Promise<void> | undefined

  constructor(readonly settings: StreamSettings) {}

  setState(next: StreamState) {
    const prev = this.state
    if (prev === next) return
    this.state = next
    this.emitter.emit('state', next, prev)
  }

  later(fn: () => void, ms: number) {
    const t = setTimeout(() => {
      this.timers.delete(t)
      fn()
    }, ms)
    this.timers.add(t)
    return t
  }

  failSubscriber(sub: Subscriber, error: WebSocketError) {
    sub.handle.unsubscribe()
    if (sub.onError) this.safeCall(sub.onError, error)
    else this.report(error)
  }

  safeCall(fn: (error: WebSocketError) => void, error: WebSocketError) {
    try {
      fn(error)
    } catch (cause) {
      this.settings.logger?.warn?.('onError threw', { cause })
    }
  }

  report(error: WebSocketError) {
    if (this.settings.onError) this.safeCall(this.settings.onError, error)
    this.emitter.emit('streamError', error)
  }
}
