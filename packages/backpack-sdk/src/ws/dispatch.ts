/**
 * Inbound frames: `{stream, data}` goes to the stream's subscribers after
 * one parse; `{id, error}` goes to the subscriptions of the frame with that
 * id (or that the message names); anything unreadable is counted in `stats`
 * and skipped, never thrown.
 */
import { WebSocketError } from '../errors/webSocketError.js'
import type { StreamCore, Topic } from './core.js'
import { MalformedPayload, type Payload } from './parse.js'
import type { MalformedFrame } from './types.js'

/** How long a sent frame can still be blamed for an error without an id. */
const ERROR_ATTRIBUTION_MS = 10_000

/** Parses one text frame and routes it. */
export function onFrame(core: StreamCore, text: string) {
  core.stats.framesReceived++
  let frame: unknown
  try {
    frame = JSON.parse(text)
  } catch {
    malformed(core, 'invalid JSON', undefined, text)
    return
  }
  if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) {
    malformed(core, 'not a JSON object', undefined, text)
    return
  }
  const f = frame as Record<string, unknown>
  const stream = f.stream
  if (typeof stream !== 'string') {
    if (f.error !== undefined) onErrorFrame(core, f, text)
    else if ('result' in f || 'id' in f) {
      // A possible SUBSCRIBE acknowledgement (UNCONFIRMED, §6.1): ignored,
      // delivery does not depend on it.
    } else malformed(core, 'no "stream" key', undefined, text)
    return
  }
  const topic = core.topics.get(stream)
  if (!topic) {
    core.stats.unroutedFrames++
    return
  }
  const data = f.data
  if (typeof data !== 'object' || data === null) {
    malformed(core, '"data" is not an object', stream, text)
    return
  }
  let events: unknown[] | undefined
  let event: unknown
  try {
    if (Array.isArray(data)) {
      // e.g. the position snapshot sent right after subscribing.
      events = data.map((d) => {
        if (typeof d !== 'object' || d === null) {
          throw new MalformedPayload('array items must be objects')
        }
        return topic.parse(d as Payload)
      })
    } else {
      event = topic.parse(data as Payload)
    }
  } catch (error) {
    // Whatever a parser throws stays here: a bad frame never reaches the
    // consumer or the socket library as an exception.
    malformed(
      core,
      error instanceof MalformedPayload ? error.message : String(error),
      stream,
      text,
    )
    return
  }
  if (events) for (const e of events) deliver(core, topic, e)
  else deliver(core, topic, event)
}

function deliver(core: StreamCore, topic: Topic, event: unknown) {
  core.stats.messagesDelivered++
  for (const sub of topic.subscribers) {
    try {
      sub.listener(event)
    } catch (cause) {
      const error = new WebSocketError(
        `A listener of ${topic.name} threw; the stream continues.`,
        { cause, stream: topic.name },
      )
      if (sub.onError) core.safeCall(sub.onError, error)
      else core.report(error)
    }
  }
  if (core.emitter.listenerCount('message') > 0) {
    try {
      core.emitter.emit('message', { stream: topic.name, data: event })
    } catch (cause) {
      core.report(
        new WebSocketError(
          'A "message" listener threw; the stream continues.',
          {
            cause,
            stream: topic.name,
          },
        ),
      )
    }
  }
}

/** Counts, logs and reports a skipped frame. */
export function malformed(
  core: StreamCore,
  reason: string,
  stream: string | undefined,
  text: string,
) {
  core.stats.malformedFrames++
  const info: MalformedFrame = { reason, stream, excerpt: text.slice(0, 200) }
  core.settings.logger?.warn?.('malformed frame skipped', { reason, stream })
  core.emitter.emit('malformed', info)
}

/**
 * `{id, error: {code, message}}`: blame the frame with that id; without a
 * usable id, a recent frame naming a stream the message mentions, or the
 * only frame sent recently. Blamed subscriptions end with the error.
 */
function onErrorFrame(
  core: StreamCore,
  f: Record<string, unknown>,
  text: string,
) {
  core.stats.errorFrames++
  const err = f.error as { code?: unknown; message?: unknown } | null
  const code =
    typeof err?.code === 'number' || typeof err?.code === 'string'
      ? err.code
      : undefined
  const message =
    typeof err?.message === 'string' ? err.message : text.slice(0, 200)
  const id = typeof f.id === 'number' ? f.id : undefined
  const now = core.settings.now()
  const recent = core.sent.filter(
    (s) => s.method === 'SUBSCRIBE' && now - s.sentAtMs <= ERROR_ATTRIBUTION_MS,
  )
  let streams: string[] = []
  const byId = id === undefined ? undefined : core.sent.find((s) => s.id === id)
  if (byId) {
    const named = byId.streams.filter((s) => message.includes(s))
    streams = named.length > 0 ? named : byId.streams
  } else {
    streams = recent
      .flatMap((s) => s.streams)
      .filter((s) => message.includes(s))
    if (streams.length === 0 && recent.length === 1)
      streams = recent[0]!.streams
  }
  const detail = `${code === undefined ? '' : `${String(code)} `}${message}`
  let delivered = false
  for (const name of streams) {
    const topic = core.topics.get(name)
    if (!topic) continue
    const error = new WebSocketError(
      `The server rejected the subscription to ${name}: ${detail}`,
      { stream: name, details: detail },
    )
    // The server refused it, so it is not on the wire.
    core.onWire.delete(name)
    for (const sub of [...topic.subscribers]) core.failSubscriber(sub, error)
    delivered = true
  }
  if (!delivered) {
    core.report(
      new WebSocketError(`The server sent an error frame: ${detail}`, {
        details: detail,
      }),
    )
  }
}
