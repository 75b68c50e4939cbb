/**
 * Test helper: one raw HTTP/1.1 exchange over a TCP socket, for requests
 * `fetch` will not send (oversized headers, a body that never ends, a
 * `Content-Length` with no body behind it).
 */
import { connect } from 'node:net'

export interface RawResponse {
  /** Status code of the first response line. */
  status: number
  /** Header names lower-cased. */
  headers: Record<string, string>
  /** Everything after the blank line. */
  body: string
}

/**
 * Writes `request` (the exact bytes: request line, headers, any body) and
 * resolves with the response once the server closes the connection, so it
 * also checks that the server does close it. It never sends more than
 * `request`: a body the server waits for never comes.
 */
export function rawExchange(
  port: number,
  request: string | Buffer,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    const chunks: Buffer[] = []
    socket.on('data', (c: Buffer) => chunks.push(c))
    socket.on('error', reject)
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8')
      const split = text.indexOf('\r\n\r\n')
      const head = split === -1 ? text : text.slice(0, split)
      const [statusLine = '', ...lines] = head.split('\r\n')
      const status = Number(statusLine.split(' ')[1])
      if (!Number.isInteger(status)) {
        reject(new Error(`no HTTP response, got ${JSON.stringify(text)}`))
        return
      }
      const headers: Record<string, string> = {}
      for (const line of lines) {
        const colon = line.indexOf(':')
        headers[line.slice(0, colon).trim().toLowerCase()] = line
          .slice(colon + 1)
          .trim()
      }
      resolve({
        status,
        headers,
        body: split === -1 ? '' : text.slice(split + 4),
      })
    })
    socket.write(request)
  })
}
