/**
 * Subscription bookkeeping: which connection listens to which stream (and,
 * for private streams, for which account), and publishing one frame to
 * every connection subscribed to a stream.
 *
 * @internal
 */
import type { WebSocket } from 'ws'

/** One WebSocket connection and what it subscribed to. */
export interface Client {
  ws: WebSocket
  streams: Set<string>
  /** Private stream → account key it was authorised for. */
  accounts: Map<string, string>
  alive: boolean
}

/** Sends a text frame if the connection is still open. */
export function send(c: Client, text: string): void {
  if (c.ws.readyState === c.ws.OPEN) c.ws.send(text)
}

/** Stream name → the connections subscribed to it. */
export class Subscriptions {
  private readonly subs = new Map<string, Set<Client>>()

  /** Subscribes a connection to a stream. */
  add(c: Client, stream: string): void {
    c.streams.add(stream)
    let set = this.subs.get(stream)
    if (!set) {
      set = new Set()
      this.subs.set(stream, set)
    }
    set.add(c)
  }

  /** Unsubscribes a connection from a stream. */
  remove(c: Client, stream: string): void {
    c.streams.delete(stream)
    c.accounts.delete(stream)
    this.subs.get(stream)?.delete(c)
  }

  /** Forgets a closed connection. */
  drop(c: Client): void {
    for (const s of c.streams) this.subs.get(s)?.delete(c)
  }

  /** Whether any connection listens to a stream. */
  has(stream: string): boolean {
    return (this.subs.get(stream)?.size ?? 0) > 0
  }

  /** Sends `{ stream, data }` to every subscriber of the stream. */
  publish(stream: string, data: unknown): void {
    const set = this.subs.get(stream)
    if (!set || set.size === 0) return
    const text = JSON.stringify({ stream, data })
    for (const c of set) send(c, text)
  }

  /**
   * Sends a private stream's frame to the subscribers authorised for the
   * account; `data` is built (once) only when one is.
   */
  publishFor(stream: string, account: string, data: () => unknown): void {
    const set = this.subs.get(stream)
    if (!set) return
    let text: string | undefined
    for (const c of set) {
      if (c.accounts.get(stream) !== account) continue
      text ??= JSON.stringify({ stream, data: data() })
      send(c, text)
    }
  }

  /** Stream name → number of connections subscribed to it. */
  counts(): Record<string, number> {
    const out: Record<string, number> = {}
    for (const [stream, set] of this.subs)
      if (set.size > 0) out[stream] = set.size
    return out
  }
}
