/**
 * Connection handling: the set of open WebSocket connections, their
 * handlers (text frames, pong, close), the ping heartbeat that ends
 * connections which stopped answering, and dropping them all.
 *
 * @internal
 */
import type { WebSocket } from 'ws'
import type { Client } from './subscriptions.js'

/** The open connections. */
export class Connections {
  private readonly clients = new Set<Client>()

  constructor(
    private readonly onText: (c: Client, text: string) => void,
    private readonly onClose: (c: Client) => void,
  ) {}

  /** Connected clients. */
  get size(): number {
    return this.clients.size
  }

  /** Registers a new connection and its handlers. */
  connect(ws: WebSocket): void {
    const c: Client = {
      ws,
      streams: new Set(),
      accounts: new Map(),
      alive: true,
    }
    this.clients.add(c)
    ws.on('pong', () => {
      c.alive = true
    })
    ws.on('message', (raw, isBinary) => {
      if (isBinary) return
      this.onText(c, raw.toString())
    })
    ws.on('close', () => {
      this.clients.delete(c)
      this.onClose(c)
    })
    ws.on('error', () => {
      // The close handler cleans up.
    })
  }

  /** One heartbeat: ends connections silent since the last ping, pings the rest. */
  ping(): void {
    for (const c of this.clients) {
      if (!c.alive) {
        c.ws.terminate()
        continue
      }
      c.alive = false
      c.ws.ping()
    }
  }

  /** Closes every connection abruptly (fault injection). */
  dropAll(): void {
    for (const c of this.clients) c.ws.terminate()
  }
}
