/**
 * A local HTTP server standing in for a webhook or the Telegram Bot API in
 * the notification tests: it records every request (path and JSON body) and
 * answers with the status the test scripts (200 unless told otherwise).
 */
import { createServer, type IncomingHttpHeaders } from 'node:http'

/** One request the stub received. */
export interface StubRequest {
  /** Method. */
  method: string
  /** Path and query. */
  path: string
  /** Headers. */
  headers: IncomingHttpHeaders
  /** The body parsed as JSON. */
  body: unknown
}

/** A running stub. */
export interface HttpStub {
  /** `http://127.0.0.1:<port>`. */
  url: string
  /** Every request so far, in order. */
  requests: StubRequest[]
  /**
   * Sets the answers: each request takes the next one; the last one repeats.
   * An answer is a status, or a status with headers.
   */
  answer(
    ...answers: Array<
      number | { status: number; headers: Record<string, string> }
    >
  ): void
  /** Stops the server. */
  close(): Promise<void>
}

/** Starts a stub on 127.0.0.1 port 0. */
export async function startHttpStub(): Promise<HttpStub> {
  const requests: StubRequest[] = []
  let answers: Array<
    number | { status: number; headers: Record<string, string> }
  > = [200]
  const server = createServer((req, res) => {
    let text = ''
    req.on('data', (c: Buffer) => {
      text += c.toString()
    })
    req.on('end', () => {
      let body: unknown
      try {
        body = JSON.parse(text)
      } catch {
        body = text
      }
      requests.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body,
      })
      const next = answers.length > 1 ? answers.shift() : answers[0]
      const a =
        typeof next === 'number'
          ? { status: next, headers: {} }
          : (next ?? { status: 200, headers: {} })
      res.writeHead(a.status, {
        'content-type': 'application/json',
        ...a.headers,
      })
      res.end(a.status < 300 ? '{"ok":true}' : '{"ok":false}')
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as { port: number }
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    answer(...next) {
      answers = next
    },
    async close() {
      server.closeAllConnections()
      await new Promise((r) => server.close(r))
    },
  }
}

/** A URL where nothing listens (a port that was free a moment ago). */
export async function deadUrl(): Promise<string> {
  const server = createServer()
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as { port: number }
  await new Promise((r) => server.close(r))
  return `http://127.0.0.1:${port}`
}
