/**
 * The connection: one socket at a time, its heartbeat, and its replacement
 * with backoff and jitter when it is lost.
 *
 * ```
 *  connect ──open──> resubscribe (flush) ──> 'open', 'gap' event
 *     ▲                 │
 *     │            close/error/watchdog kill
 *     └── backoff+jitter <── 'reconnecting' (gap starts)
 * ```
 * Heartbeat: with `ws` (Node) a Ping goes out every `intervalMs`; if no
 * frame of any kind (data, pong, server ping) arrives within `timeoutMs`
 * after it, the socket is terminated and replaced. Browsers cannot ping, so
 * there the socket is replaced after `passiveTimeoutMs` without any frame.
 */
import { WebSocketError } from '../errors/webSocketError.js'
import { backoffDelay } from './backoff.js'
import type { StreamCore } from './core.js'
import { malformed, onFrame } from './dispatch.js'
import {
  controlFrames,
  resolveWebSocket,
  type WebSocketConstructor,
  type WebSocketLike,
} from './socket.js'
import { flush } from './subscriptions.js'
import type { StreamState } from './types.js'

/** Opens a new socket (a new generation) and wires its events. */
export async function connect(core: StreamCore) {
  const generation = ++core.generation
  let WS: WebSocketConstructor
  let socket: WebSocketLike
  try {
    WS = await resolveWebSocket(core.settings.WebSocket)
    if (generation !== core.generation || core.state === 'closed') return
    socket = new WS(core.settings.url)
  } catch (cause) {
    const error =
      cause instanceof WebSocketError
        ? cause
        : new WebSocketError(
            `Could not open a WebSocket to ${core.settings.url}.`,
            {
              cause,
            },
          )
    if (cause instanceof WebSocketError) {
      // No implementation at all: retrying cannot help.
      giveUp(core, error)
    } else {
      lost(core, generation, `connect failed: ${error.details ?? ''}`)
    }
    return
  }
  core.socket = socket
  const connectTimer = core.later(() => {
    if (generation === core.generation && core.state !== 'open') {
      kill(core, generation, 'connect timeout')
    }
  }, core.settings.connectTimeoutMs)
  socket.addEventListener('open', () => {
    if (generation !== core.generation) return
    clearTimeout(connectTimer)
    core.timers.delete(connectTimer)
    opened(core, generation)
  })
  socket.addEventListener('message', (event) => {
    if (generation !== core.generation) return
    core.inbound++
    // Any inbound frame proves the connection healthy again.
    core.attempt = 0
    const { data } = event
    if (typeof data === 'string') onFrame(core, data)
    else malformed(core, 'binary frame', undefined, '')
  })
  socket.addEventListener('close', (event) => {
    if (generation !== core.generation) return
    clearTimeout(connectTimer)
    core.timers.delete(connectTimer)
    lost(
      core,
      generation,
      `close ${event.code}${event.reason ? ` ${event.reason}` : ''}`,
    )
  })
  socket.addEventListener('error', () => {
    // 'close' always follows; the reason is reported there.
    core.settings.logger?.warn?.('socket error', { url: core.settings.url })
  })
  const control = controlFrames(socket)
  if (control) {
    const alive = () => {
      if (generation === core.generation) core.inbound++
    }
    control.on('pong', alive)
    control.on('ping', alive)
  }
}

function opened(core: StreamCore, generation: number) {
  if (core.everOpened) core.stats.reconnects++
  core.everOpened = true
  core.onWire.clear()
  core.setState('open')
  core.settings.logger?.debug?.('open', { url: core.settings.url, generation })
  // Resubscribe everything now (not in a microtask) so the gap can end here.
  flush(core)
  startHeartbeat(core, generation)
  const gap = core.gapStart
  if (gap) {
    core.gapStart = undefined
    core.emitter.emit('gap', {
      startedAtMs: gap.atMs,
      endedAtMs: core.settings.now(),
      streams: [...core.topics.keys()],
      reason: gap.reason,
    })
  }
}

/** The connection of `generation` is gone: schedule a replacement. */
function lost(core: StreamCore, generation: number, reason: string) {
  if (generation !== core.generation || core.state === 'closed') return
  core.generation++ // ignore anything the dead socket still emits
  stopHeartbeat(core)
  core.socket = undefined
  core.onWire.clear()
  // A gap starts when an open connection is lost; failed attempts while
  // reconnecting extend the same gap.
  if (core.everOpened && !core.gapStart) {
    core.gapStart = { atMs: core.settings.now(), reason }
  }
  core.settings.logger?.warn?.('connection lost', {
    reason,
    attempt: core.attempt,
  })
  const policy = core.settings.reconnect
  if (policy === false || core.attempt >= policy.maxAttempts) {
    giveUp(
      core,
      new WebSocketError(
        policy === false
          ? `WebSocket connection lost (${reason}) and reconnect is disabled.`
          : `WebSocket connection lost (${reason}); gave up after ${core.attempt} reconnect attempts.`,
      ),
    )
    return
  }
  core.setState(core.everOpened ? 'reconnecting' : 'connecting')
  const delay = backoffDelay(core.attempt, policy, core.settings.random)
  core.attempt++
  core.later(() => {
    if (core.state !== 'closed') void connect(core)
  }, delay)
}

/** Terminates a socket that is not answering and replaces it. */
function kill(core: StreamCore, generation: number, reason: string) {
  const socket = core.socket
  // Mark it lost first, so the close event it may fire synchronously is
  // ignored and the gap keeps this reason.
  lost(core, generation, reason)
  if (socket) {
    try {
      if (socket.terminate) socket.terminate()
      else socket.close(4000, reason)
    } catch {
      // Already closed; nothing to release.
    }
  }
}

function startHeartbeat(core: StreamCore, generation: number) {
  const hb = core.settings.heartbeat
  const socket = core.socket
  if (hb === false || !socket) return
  const canPing = typeof socket.ping === 'function'
  const period = canPing ? hb.intervalMs : hb.passiveTimeoutMs
  let seen = core.inbound
  core.heartbeatTimer = setInterval(() => {
    if (generation !== core.generation) return
    if (!canPing) {
      if (core.inbound === seen) dead(core, generation)
      seen = core.inbound
      return
    }
    const before = core.inbound
    try {
      socket.ping!()
    } catch {
      // A failing ping means a closing socket; 'close' handles it.
    }
    core.later(() => {
      if (generation === core.generation && core.inbound === before) {
        dead(core, generation)
      }
    }, hb.timeoutMs)
  }, period)
}

function dead(core: StreamCore, generation: number) {
  core.stats.heartbeatTimeouts++
  kill(core, generation, 'heartbeat timeout')
}

function stopHeartbeat(core: StreamCore) {
  if (core.heartbeatTimer !== undefined) clearInterval(core.heartbeatTimer)
  core.heartbeatTimer = undefined
}

/** Reconnecting is over for good: tell every subscriber, then close. */
function giveUp(core: StreamCore, error: WebSocketError) {
  for (const topic of [...core.topics.values()]) {
    for (const sub of [...topic.subscribers]) core.failSubscriber(sub, error)
  }
  core.report(error)
  void closeClient(core)
}

/** `StreamClient.ready`: resolves once the connection is open, rejects if it closes or `signal` aborts first. */
export function whenOpen(
  core: StreamCore,
  signal: AbortSignal | undefined,
): Promise<void> {
  if (core.state === 'open') return Promise.resolve()
  if (core.state === 'closed') {
    return Promise.reject(new WebSocketError('The stream client is closed.'))
  }
  return new Promise<void>((resolve, reject) => {
    const onState = (state: StreamState) => {
      if (state === 'open') finish()
      else if (state === 'closed') {
        finish(new WebSocketError('The stream client closed before it opened.'))
      }
    }
    const onAbort = () =>
      finish(
        new WebSocketError('Waiting for the connection was aborted.', {
          cause: signal?.reason,
        }),
      )
    const finish = (error?: WebSocketError) => {
      core.emitter.off('state', onState)
      signal?.removeEventListener('abort', onAbort)
      if (error) reject(error)
      else resolve()
    }
    if (signal?.aborted) return onAbort()
    core.emitter.on('state', onState)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

/**
 * Closes the client for good: stops every timer, ends every subscription
 * (iterators finish with `done: true`) and closes the socket.
 */
export function closeClient(core: StreamCore): Promise<void> {
  if (core.closedPromise) return core.closedPromise
  core.generation++
  stopHeartbeat(core)
  for (const t of core.timers) clearTimeout(t)
  core.timers.clear()
  const socket = core.socket
  core.socket = undefined
  core.onWire.clear()
  core.gapStart = undefined
  // End every subscription (iterators finish with done: true).
  for (const topic of [...core.topics.values()]) {
    for (const sub of [...topic.subscribers]) {
      sub.handle.unsubscribe()
      sub.onEnd?.()
    }
  }
  core.topics.clear()
  core.setState('closed')
  core.closedPromise = new Promise<void>((resolve) => {
    if (!socket || socket.readyState === 3) return resolve()
    let settled = false
    const done = () => {
      if (settled) return
      settled = true
      clearTimeout(fallback)
      resolve()
    }
    socket.addEventListener('close', done)
    // Do not hang on a peer that never completes the closing handshake.
    const fallback = setTimeout(() => {
      try {
        socket.terminate?.()
      } catch {
        // Already gone.
      }
      done()
    }, 1000)
    try {
      if (socket.readyState === 0 && socket.terminate) socket.terminate()
      else socket.close(1000, 'client closed')
    } catch {
      done()
    }
  })
  core.emitter.removeAllListeners()
  return core.closedPromise
}
