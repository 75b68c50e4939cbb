/**
 * A small, controllable Backpack-like WebSocket server on 127.0.0.1 (port 0)
 * for the stream-client and order-book tests. It keeps each connection's
 * subscriptions (SUBSCRIBE / UNSUBSCRIBE as in reference §6.1), records every
 * client frame, and lets a test misbehave on purpose: drop connections, stop
 * answering pings (and go silent), send garbage or error frames.
 */
import type { AddressInfo } from 'node:net'
import { type WebSocket, WebSocketServer } from 'ws'

/** A client frame as the server received it. */
export interface ReceivedFrame {
  /** Index of the connection in `server.connections`. */
  connection: number
  method: string
  params: string[]
  id?: number
  signature?: string[]
  /** The raw text. */
  raw: string
}

/** One accepted connection. */
export interface TestConnection {
  socket: WebSocket
  index: number
  subscriptions: Set<string>
  pingsReceived: number
}

/** Options of {@link startTestServer}. */
export interface TestServerOptions {
  /** Return an error to answer a SUBSCRIBE with `{id, error}` instead of accepting it. */
  rejectSubscribe?: (
    frame: ReceivedFrame,
  ) => { code: number; message: string; echoId?: boolean } | undefined
}

/** Handle of a running test server. */
export interface TestServer {
  url: string
  connections: TestConnection[]
  frames: ReceivedFrame[]
  /** The newest connection that is still open. */
  current(): TestConnection | undefined
  /** Resolves once `count` connections have been accepted in total. */
  waitForConnections(count: number): Promise<TestConnection>
  /** Resolves once the newest connection is subscribed to every name. */
  waitForSubscribed(streams: string[], minConnection?: number): Promise<void>
  /** Sends `{stream, data}` to every connection subscribed to `stream`. */
  publish(stream: string, data: unknown): void
  /** Sends raw text to every open connection. */
  sendRaw(text: string): void
  /** Terminates every connection (no close frame: like a network drop). */
  dropAll(): void
  /** When false, client pings get no pong and nothing is sent: a dead peer. */
  setResponsive(responsive: boolean): void
  close(): Promise<void>
}

/** Polls `check` every 2 ms until it returns a value, for at most `timeoutMs`. */
export async function waitFor<T>(
  check: () => T | undefined | false,
  timeoutMs = 3000,
  what = 'condition',
): Promise<T> {
  const start = Date.now()
  for (;;) {
    const v = check()
    if (v !== undefined && v !== false) return v
    if (Date.now() - start > timeoutMs) {
      throw new Error(`timed out waiting for ${what}`)
    }
    await new Promise((r) => setTimeout(r, 2))
  }
}

/** Starts a server on 127.0.0.1 with an OS-assigned port. */
export async function startTestServer(
  options: TestServerOptions = {},
): Promise<TestServer> {
  const wss = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    autoPong: false,
  })
  await new Promise<void>((resolve) => wss.once('listening', resolve))
  const { port } = wss.address() as AddressInfo
  const connections: TestConnection[] = []
  const frames: ReceivedFrame[] = []
  let responsive = true

  wss.on('connection', (socket) => {
    const conn: TestConnection = {
      socket,
      index: connections.length,
      subscriptions: new Set(),
      pingsReceived: 0,
    }
    connections.push(conn)
    socket.on('ping', (data) => {
      conn.pingsReceived++
      if (responsive) socket.pong(data)
    })
    socket.on('message', (raw, isBinary) => {
      if (isBinary) return
      const text = raw.toString()
      const json = JSON.parse(text) as Omit<ReceivedFrame, 'raw' | 'connection'>
      const frame: ReceivedFrame = {
        ...json,
        connection: conn.index,
        raw: text,
      }
      frames.push(frame)
      if (frame.method === 'SUBSCRIBE') {
        const rejection = options.rejectSubscribe?.(frame)
        if (rejection) {
          socket.send(
            JSON.stringify({
              id: rejection.echoId === false ? null : (frame.id ?? null),
              error: { code: rejection.code, message: rejection.message },
            }),
          )
          return
        }
        for (const s of frame.params) conn.subscriptions.add(s)
      } else if (frame.method === 'UNSUBSCRIBE') {
        for (const s of frame.params) conn.subscriptions.delete(s)
      }
    })
  })

  const open = () => connections.filter((c) => c.socket.readyState === 1)

  const server: TestServer = {
    url: `ws://127.0.0.1:${port}`,
    connections,
    frames,
    current: () => open().at(-1),
    waitForConnections: (count) =>
      waitFor(() => connections[count - 1], 3000, `${count} connection(s)`),
    async waitForSubscribed(streams, minConnection = 0) {
      await waitFor(
        () => {
          const c = server.current()
          return (
            c !== undefined &&
            c.index >= minConnection &&
            streams.every((s) => c.subscriptions.has(s))
          )
        },
        3000,
        `subscriptions ${streams.join(', ')}`,
      )
    },
    publish(stream, data) {
      if (!responsive) return
      const text = JSON.stringify({ stream, data })
      for (const c of open())
        if (c.subscriptions.has(stream)) c.socket.send(text)
    },
    sendRaw(text) {
      for (const c of open()) c.socket.send(text)
    },
    dropAll() {
      for (const c of connections) c.socket.terminate()
    },
    setResponsive(value) {
      responsive = value
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of connections) c.socket.terminate()
        wss.close(() => resolve())
      }),
  }
  return server
}
