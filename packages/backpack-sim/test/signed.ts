/**
 * Test helper: a minimal signed HTTP caller built on the SDK's signing
 * module, so the sim's tests exercise the real auth path without depending on
 * the SDK's REST client.
 */
import {
  buildSigningPayload,
  createSigner,
  generateKeyPair,
  instructionFor,
} from '@rung/backpack-sdk/signing'

export interface Caller {
  publicKey: string
  secretKey: string
  call<T = Record<string, unknown>>(
    method: string,
    path: string,
    params?: Record<string, unknown> | Record<string, unknown>[],
    extra?: CallExtra,
  ): Promise<{ status: number; body: T; headers: Headers }>
}

/** Overrides of one call. */
export interface CallExtra {
  timestamp?: number
  windowMs?: number
  /** Sent after (and over) the auth headers, e.g. a malformed `X-Window`. */
  headers?: Record<string, string>
  /**
   * Body text sent instead of `JSON.stringify(params)`; the signature is
   * still over `params`, so a bad body can arrive validly signed.
   */
  rawBody?: string
}

export function caller(baseUrl: string, secretKey?: string): Caller {
  const secret = secretKey ?? generateKeyPair().secretKey
  const signer = createSigner(secret)
  return {
    publicKey: signer.publicKey,
    secretKey: secret,
    async call<T>(
      method: string,
      path: string,
      params?: Record<string, unknown> | Record<string, unknown>[],
      extra: CallExtra = {},
    ): Promise<{ status: number; body: T; headers: Headers }> {
      const timestamp = extra.timestamp ?? Date.now()
      const windowMs = extra.windowMs ?? 5000
      const instruction = instructionFor(method, path)
      const headers: Record<string, string> = {}
      let url = `${baseUrl}${path}`
      let body: string | undefined
      if (method === 'GET' && params && !Array.isArray(params)) {
        const q = new URLSearchParams(
          Object.entries(params).map(([k, v]) => [k, String(v)]),
        )
        if ([...q].length > 0) url += `?${q}`
      } else if (params !== undefined) {
        body = JSON.stringify(params)
      }
      if (extra.rawBody !== undefined) body = extra.rawBody
      if (body !== undefined) {
        headers['Content-Type'] = 'application/json; charset=utf-8'
      }
      if (instruction) {
        const payload = buildSigningPayload({
          instruction,
          params,
          timestamp,
          windowMs: Math.min(windowMs, 60000),
        })
        headers['X-API-Key'] = signer.publicKey
        headers['X-Signature'] = signer.sign(payload)
        headers['X-Timestamp'] = String(timestamp)
        headers['X-Window'] = String(windowMs)
      }
      Object.assign(headers, extra.headers)
      const res = await fetch(url, {
        method,
        headers,
        ...(body === undefined ? {} : { body }),
      })
      const text = await res.text()
      let parsed: unknown = text
      try {
        parsed = text.length > 0 ? JSON.parse(text) : undefined
      } catch {
        // text/plain
      }
      return { status: res.status, body: parsed as never, headers: res.headers }
    },
  }
}
