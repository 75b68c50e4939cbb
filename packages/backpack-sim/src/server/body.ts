/**
 * The two ends of an HTTP exchange: reading a request body under the size
 * cap, and sending a JSON (or text) answer.
 *
 * @internal
 */
import type { IncomingMessage, ServerResponse } from 'node:http'

/** The body passed `maxBodyBytes`. */
export class BodyTooLarge extends Error {}

/**
 * Reads the body, refusing it as soon as it passes `maxBytes`: at once for
 * a larger `Content-Length`, while streaming for a chunked body.
 */
export function readBody(
  req: IncomingMessage,
  maxBytes: number,
): Promise<string> {
  const declared = req.headers['content-length']
  if (declared !== undefined && Number(declared) > maxBytes) {
    return Promise.reject(new BodyTooLarge())
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const onData = (c: Buffer) => {
      size += c.length
      if (size > maxBytes) {
        // Stop keeping the body; what still arrives is read and dropped.
        req.off('data', onData)
        req.on('data', () => {})
        chunks.length = 0
        reject(new BodyTooLarge())
        return
      }
      chunks.push(c)
    }
    req.on('data', onData)
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

/** Sends one answer: JSON unless `text`, with `Content-Length`; nothing when the socket is gone. */
export function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  text = false,
  headers: Record<string, string> = {},
): void {
  if (res.destroyed) return
  const payload =
    body === undefined ? '' : text ? String(body) : JSON.stringify(body)
  res.writeHead(status, {
    'Content-Type': text
      ? 'text/plain; charset=utf-8'
      : 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(payload),
    ...headers,
  })
  res.end(payload)
}
