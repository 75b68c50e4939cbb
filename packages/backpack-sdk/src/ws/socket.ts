/**
 * The WebSocket surface the stream client needs, satisfied both by the `ws`
 * package (Node) and by the platform `WebSocket` (browsers, Deno, Bun,
 * Node 22+), plus the default-constructor lookup.
 *
 * Bundling: `ws` is loaded only through a dynamic `import('ws')`, and only
 * when running under Node without an injected constructor. `ws` maps its
 * `browser` export condition to a stub, so browser bundles never carry it.
 */
import { WebSocketError } from '../errors/webSocketError.js'

/**
 * The subset of a WebSocket instance the stream client uses. Both the `ws`
 * package's `WebSocket` and the DOM `WebSocket` satisfy it.
 */
export interface WebSocketLike {
  /** 0 connecting, 1 open, 2 closing, 3 closed. */
  readonly readyState: number
  /**
   * Sends one text frame.
   *
   * @param data - The frame text.
   */
  send(data: string): void
  /**
   * Starts the closing handshake.
   *
   * @param code - Close code (1000 or 3000-4999).
   * @param reason - Close reason.
   */
  close(code?: number, reason?: string): void
  /**
   * Listens for text frames.
   *
   * @param type - `'message'`.
   * @param listener - Receives the event; `data` is the frame text.
   */
  addEventListener(
    type: 'message',
    listener: (event: { data: unknown }) => void,
  ): void
  /**
   * Listens for the close of the connection.
   *
   * @param type - `'close'`.
   * @param listener - Receives the close code and reason.
   */
  addEventListener(
    type: 'close',
    listener: (event: { code: number; reason: string }) => void,
  ): void
  /**
   * Listens for the connection opening or failing.
   *
   * @param type - `'open'` or `'error'`.
   * @param listener - Receives the platform's event.
   */
  addEventListener(
    type: 'open' | 'error',
    listener: (event: unknown) => void,
  ): void
  /** Sends a Ping control frame (the `ws` package only; browsers cannot). */
  ping?(): void
  /** Drops the connection without a closing handshake (`ws` only). */
  terminate?(): void
}

/** A WebSocket constructor such as `ws`'s `WebSocket` or `globalThis.WebSocket`. */
export type WebSocketConstructor = new (url: string) => WebSocketLike

/** Node-only extras of the `ws` package: control-frame events. */
interface ControlFrameEvents {
  on(event: 'ping' | 'pong', listener: () => void): unknown
}

/** @internal Whether this socket reports Ping/Pong control frames. */
export function controlFrames(
  socket: WebSocketLike,
): ControlFrameEvents | undefined {
  const s = socket as WebSocketLike & Partial<ControlFrameEvents>
  return typeof s.on === 'function' && typeof s.ping === 'function'
    ? (s as ControlFrameEvents)
    : undefined
}

/**
 * @internal Picks the WebSocket constructor: the injected one, else `ws`
 * under Node (it exposes Ping/Pong, which the heartbeat uses), else the
 * platform's global.
 *
 * @throws {WebSocketError} when none is available.
 */
export async function resolveWebSocket(
  injected: WebSocketConstructor | undefined,
): Promise<WebSocketConstructor> {
  if (injected) return injected
  const isNode =
    typeof process !== 'undefined' && typeof process.versions?.node === 'string'
  if (isNode) {
    try {
      const mod = (await import('ws')) as {
        WebSocket?: WebSocketConstructor
        default?: WebSocketConstructor
      }
      const ctor = mod.WebSocket ?? mod.default
      if (ctor) return ctor
    } catch (cause) {
      if (typeof globalThis.WebSocket !== 'function') {
        throw new WebSocketError(
          'Could not load the `ws` package; install it or pass the WebSocket option.',
          { cause },
        )
      }
    }
  }
  if (typeof globalThis.WebSocket === 'function') return globalThis.WebSocket
  throw new WebSocketError(
    'No WebSocket implementation found; pass the WebSocket option (e.g. `WebSocket` from the `ws` package).',
  )
}
