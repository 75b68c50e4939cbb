/**
 * SUBSCRIBE and UNSUBSCRIBE requests (reference §6 and §12 rules 16-22):
 * parsing the frame, checking stream names, verifying the signature of
 * private streams, and answering error frames.
 *
 * @internal
 */
import { verifySubscription } from '../auth.js'
import type { Engine } from '../engine/engine.js'
import { ApiFailure } from '../errors.js'
import { INTERVALS } from '../marketdata.js'
import { type Client, type Subscriptions, send } from './subscriptions.js'

const PUBLIC_RE =
  /^(bookTicker|depth\.(?:200ms|600ms|1000ms)|depth|trade|ticker|markPrice|openInterest|kline\.([0-9a-z]+))\.([A-Za-z0-9._]+)$/
const PRIVATE_RE =
  /^account\.(orderUpdate|positionUpdate|rfqUpdate)(?:\.([A-Za-z0-9._]+))?$/

/** WS error codes (only 4006 is confirmed by a capture). */
const INVALID_STREAM = 4006

/** What answering a request needs from the hub's options. */
export interface SubscribeOptions {
  engine: Engine
  now: () => number
  allowed: ReadonlySet<string> | undefined
  log: (level: 'debug' | 'warn', message: string) => void
}

/** Handles one text frame from a connection (anything else is ignored). */
export function onMessage(
  c: Client,
  text: string,
  subs: Subscriptions,
  o: SubscribeOptions,
): void {
  let msg: unknown
  try {
    msg = JSON.parse(text)
  } catch {
    return // not JSON: ignored, like any other harmless noise
  }
  if (typeof msg !== 'object' || msg === null) return
  const m = msg as {
    method?: unknown
    params?: unknown
    id?: unknown
    signature?: unknown
  }
  const id = m.id ?? null
  const method = typeof m.method === 'string' ? m.method.toUpperCase() : ''
  if (method !== 'SUBSCRIBE' && method !== 'UNSUBSCRIBE') return
  const params = Array.isArray(m.params) ? m.params : []
  if (method === 'UNSUBSCRIBE') {
    for (const s of params) {
      if (typeof s !== 'string') continue
      subs.remove(c, s)
    }
    return
  }
  const names: string[] = []
  for (const s of params) {
    if (typeof s !== 'string' || !validStream(s, o.engine)) {
      sendError(c, id, INVALID_STREAM, 'Invalid stream', o.log)
      return
    }
    names.push(s)
  }
  let account: string | undefined
  if (names.some((s) => s.startsWith('account.'))) {
    try {
      account = verifySubscription(m.signature, o.now(), o.allowed)
    } catch (e) {
      const reason = e instanceof ApiFailure ? e.message : 'Invalid signature'
      sendError(c, id, INVALID_STREAM, reason, o.log)
      return
    }
  }
  o.log('debug', `ws: subscribe ${names.join(', ')}`)
  for (const s of names) {
    if (s.startsWith('account.') && account !== undefined) {
      c.accounts.set(s, account)
      o.engine.account(account)
    }
    subs.add(c, s)
  }
}

function validStream(s: string, engine: Engine): boolean {
  const pub = PUBLIC_RE.exec(s)
  if (pub) {
    const interval = pub[2]
    if (interval !== undefined && INTERVALS[interval] === undefined) {
      return false
    }
    return engine.markets.has(pub[3]!)
  }
  const priv = PRIVATE_RE.exec(s)
  if (priv) return priv[2] === undefined || engine.markets.has(priv[2])
  return false
}

function sendError(
  c: Client,
  id: unknown,
  code: number,
  message: string,
  log: SubscribeOptions['log'],
) {
  log('warn', `ws: answered an error frame: ${message}`)
  send(c, JSON.stringify({ id, error: { code, message } }))
}
