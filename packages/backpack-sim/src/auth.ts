/**
 * Request authentication exactly as the exchange does it (reference §2 and
 * §12 rules 1-6), on top of `@rung/backpack-sdk/signing`: no second
 * canonicalizer lives here, only the value transforms of rule 4.
 *
 * @internal
 */
import {
  buildSigningPayload,
  MAX_WINDOW_MS,
  verifySignature,
} from '@rung/backpack-sdk/signing'
import { ApiFailure, bad } from './errors.js'
import { shown } from './input.js'

type Params = Record<string, unknown> | Record<string, unknown>[] | undefined

/** 401 for an unknown key, a bad signature or a missing/malformed header. */
export const INVALID_SIGNATURE = new ApiFailure(
  401,
  'INVALID_SIGNATURE',
  'Invalid signature',
)
/** 401 for a timestamp outside the window or a window above 60000. */
export const EXPIRED = new ApiFailure(
  401,
  'UNAUTHORIZED',
  'Request has expired',
)

/** encodeURIComponent with `!'()*` also escaped (what ccxt signs). */
function ccxtEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  )
}

function mapValues(
  params: Params,
  fn: (v: unknown) => unknown,
): Params | undefined {
  if (params === undefined) return undefined
  const one = (p: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(p).map(([k, v]) => [k, fn(v)]))
  return Array.isArray(params) ? params.map(one) : one(params)
}

/** The signing strings to try, in order: raw, ccxt-encoded, null kept as `key=`. */
export function candidatePayloads(
  instruction: string,
  params: Params,
  timestamp: number,
  windowMs: number,
): string[] {
  const variants: Params[] = [
    params,
    mapValues(params, (v) => (typeof v === 'string' ? ccxtEncode(v) : v)),
    mapValues(params, (v) => (v === null ? '' : v)),
  ]
  const out: string[] = []
  for (const p of variants) {
    try {
      const s = buildSigningPayload({
        instruction,
        params: p,
        timestamp,
        windowMs,
      })
      if (!out.includes(s)) out.push(s)
    } catch {
      // A value the canonicalizer refuses cannot have been signed that way.
    }
  }
  return out
}

/** Where the timestamp and window came from, for error messages. */
export interface TimeFields {
  timestamp: string
  window: string
}

const REST_FIELDS: TimeFields = { timestamp: 'X-Timestamp', window: 'X-Window' }

/**
 * Checks the timestamp and window against the wall clock. A missing
 * timestamp is an auth failure (401); one that is present but not an
 * integer, or a window that is not an integer from 1 up, is a malformed
 * request (400 naming the field). A window above 60000 or a timestamp
 * outside the window is expired (401), reference §12 rule 6.
 */
export function checkTime(
  timestampText: string | undefined,
  windowText: string | undefined,
  now: number,
  fields: TimeFields = REST_FIELDS,
): { timestamp: number; windowMs: number } {
  if (timestampText === undefined || timestampText === '') {
    throw INVALID_SIGNATURE
  }
  if (!/^\d+$/.test(timestampText)) {
    throw bad(
      'INVALID_CLIENT_REQUEST',
      `\`${fields.timestamp}\` must be an integer number of milliseconds since the Unix epoch, such as 1700000000000; got ${shown(timestampText)}`,
    )
  }
  let windowMs = 5000
  if (windowText !== undefined && windowText !== '') {
    if (!/^\d+$/.test(windowText) || Number(windowText) < 1) {
      throw bad(
        'INVALID_CLIENT_REQUEST',
        `\`${fields.window}\` must be an integer number of milliseconds from 1 to ${MAX_WINDOW_MS}, such as 5000; got ${shown(windowText)}`,
      )
    }
    windowMs = Number(windowText)
  }
  if (windowMs > MAX_WINDOW_MS) throw EXPIRED
  const timestamp = Number(timestampText)
  // UNCONFIRMED rule (reference §2.2): accepted when within `window` of the
  // server clock on either side.
  if (
    !Number.isSafeInteger(timestamp) ||
    timestamp < now - windowMs ||
    timestamp > now + windowMs
  ) {
    throw EXPIRED
  }
  return { timestamp, windowMs }
}

/** Verifies a signed REST request. Returns the account key (the public key). */
export function verifyRest(args: {
  instruction: string
  params: Params
  headers: Record<string, string | string[] | undefined>
  now: number
  allowed: ReadonlySet<string> | undefined
}): string {
  const h = (name: string) => {
    const v = args.headers[name]
    return Array.isArray(v) ? v[0] : v
  }
  const key = h('x-api-key')
  const signature = h('x-signature')
  if (!key || !signature) throw INVALID_SIGNATURE
  if (args.allowed && !args.allowed.has(key)) throw INVALID_SIGNATURE
  const { timestamp, windowMs } = checkTime(
    h('x-timestamp'),
    h('x-window'),
    args.now,
  )
  for (const payload of candidatePayloads(
    args.instruction,
    args.params,
    timestamp,
    windowMs,
  )) {
    if (verifySignature({ publicKey: key, payload, signature })) return key
  }
  throw INVALID_SIGNATURE
}

/** Verifies a WS `signature` array `[key, signature, timestamp, window]`. */
export function verifySubscription(
  signature: unknown,
  now: number,
  allowed: ReadonlySet<string> | undefined,
): string {
  if (!Array.isArray(signature) || signature.length < 3) {
    throw INVALID_SIGNATURE
  }
  const [key, sig, ts, w] = signature.map((v) =>
    typeof v === 'number' ? String(v) : v,
  )
  if (typeof key !== 'string' || typeof sig !== 'string') {
    throw INVALID_SIGNATURE
  }
  if (allowed && !allowed.has(key)) throw INVALID_SIGNATURE
  const { timestamp, windowMs } = checkTime(
    typeof ts === 'string' ? ts : undefined,
    typeof w === 'string' ? w : undefined,
    now,
    { timestamp: 'signature[2]', window: 'signature[3]' },
  )
  const payload = buildSigningPayload({
    instruction: 'subscribe',
    timestamp,
    windowMs,
  })
  if (!verifySignature({ publicKey: key, payload, signature: sig })) {
    throw INVALID_SIGNATURE
  }
  return key
}
