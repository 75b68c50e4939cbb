/**
 * The HTTP side of the simulator: one `node:http` server that reads each
 * request under the size caps, hands `/_sim/…` to the admin API, applies the
 * active faults, checks the signature of private requests and runs the REST
 * route (`rest.ts`). Requests Node cannot parse get a JSON answer too.
 *
 * @internal
 */
import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { instructionFor } from '@rung/backpack-sdk/signing'
import { verifyRest } from '../auth.js'
import type { Account } from '../engine/types.js'
import { ApiFailure, bad, SimError } from '../errors.js'
import type { FailedAnswer, FaultState } from '../faults.js'
import { checkBody } from '../input.js'
import type { SimLogger } from '../options.js'
import { type RestContext, type RestResult, route } from '../rest.js'
import { BodyTooLarge, readBody, send } from './body.js'

/** The admin API: answers one `/_sim/…` request, or throws. */
export type AdminHandler = (
  method: string,
  path: string,
  query: URLSearchParams,
  body: unknown,
) => unknown

/** What the server needs from the simulator. */
export interface ServerDeps {
  /** What the REST routes work on. */
  ctx: RestContext
  /** The active faults. */
  faults: FaultState
  /** Where log lines go. */
  logger: SimLogger
  /** Public keys allowed on private endpoints; any when undefined. */
  allowed: ReadonlySet<string> | undefined
  /** Largest request body, bytes. */
  maxBodyBytes: number
  /** Largest request head, bytes. */
  maxHeaderBytes: number
  /** The admin API under `/_sim/`; undefined when it is off. */
  admin: AdminHandler | undefined
}

const CLIENT_ERRORS: Record<string, [number, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large'],
  HPE_CHUNK_EXTENSIONS_OVERFLOW: [413, 'Payload Too Large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout'],
}

/** The simulator's HTTP server (not yet listening). */
export function createSimServer(deps: ServerDeps): Server {
  const { logger, maxHeaderBytes } = deps
  const server = createServer({ maxHeaderSize: maxHeaderBytes }, (req, res) => {
    handle(deps, req, res).catch((e: unknown) => {
      logger.warn?.(
        `request failed: ${e instanceof Error ? e.message : String(e)}`,
      )
      if (!res.headersSent) {
        send(res, 500, {
          code: 'SERVER_ERROR',
          message: 'Internal server error',
        })
      }
    })
  })
  // Requests Node cannot parse (headers over `maxHeaderBytes`, not HTTP):
  // a JSON answer, then the connection is closed; the server keeps serving.
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy()
      return
    }
    const [status, reason] = CLIENT_ERRORS[err.code ?? ''] ?? [
      400,
      'Bad Request',
    ]
    const message =
      status === 431
        ? `The request headers are larger than the simulator accepts (${maxHeaderBytes} bytes, \`maxHeaderBytes\`): send fewer or shorter headers`
        : status === 413
          ? 'The chunk extensions are too large: send the body without chunk extensions'
          : status === 408
            ? 'The request took too long to arrive: send it again'
            : 'The request is not valid HTTP/1.1'
    logger.warn?.(`refused a request: ${status} ${reason}`)
    const payload = JSON.stringify({ code: 'INVALID_CLIENT_REQUEST', message })
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(payload)}\r\nConnection: close\r\n\r\n${payload}`,
    )
  })
  return server
}

/**
 * Starts listening.
 *
 * @returns The port in use.
 * @throws {SimError} when the port cannot be bound.
 */
export async function listen(
  server: Server,
  host: string,
  port: number,
): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    const onError = (cause: unknown) =>
      reject(
        new SimError(
          `Cannot listen on ${host}:${port}: pick another \`port\``,
          { cause },
        ),
      )
    server.once('error', onError)
    server.listen(port, host, () => {
      server.off('error', onError)
      resolve()
    })
  })
  return (server.address() as AddressInfo).port
}

/** One request, from its body to its answer. */
async function handle(
  deps: ServerDeps,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const { logger, faults } = deps
  const method = (req.method ?? 'GET').toUpperCase()
  const url = new URL(req.url ?? '/', 'http://sim')
  const path = url.pathname
  const body = await readJson(deps, req, res, method, path)
  if (body === ANSWERED) return
  if (path.startsWith('/_sim/') && deps.admin !== undefined) {
    try {
      send(res, 200, deps.admin(method, path, url.searchParams, body) ?? null)
    } catch (e) {
      const f =
        e instanceof ApiFailure
          ? e
          : bad(
              'INVALID_CLIENT_REQUEST',
              e instanceof Error ? e.message : String(e),
            )
      send(res, f.status, { code: f.code, message: f.message })
    }
    return
  }
  logger.debug?.(`${method} ${path}`)
  const fail = faults.takeFailure(method, path)
  if (fail) {
    logger.warn?.(`fault: ${fail.status} for ${method} ${path}`)
    sendFailure(res, fail)
    return
  }
  const delayMs = faults.delayMs()
  if (delayMs > 0) {
    await new Promise((r) => setTimeout(r, delayMs))
  }
  const result = execute(deps, req, method, url, body)
  const lose = faults.takeLoss(method, path)
  if (lose !== undefined) {
    logger.warn?.(`fault: response lost for ${method} ${path}`)
    if (lose === 'destroy') {
      req.socket.destroy()
    } else {
      send(res, 504, { code: 'TIMEOUT', message: 'Gateway timeout' })
    }
    return
  }
  send(res, result.status, result.body, result.text ?? false, result.headers)
}

/** Marks a request already answered (body too large, or not JSON). */
const ANSWERED: unique symbol = Symbol('answered')

/** The request's JSON body (undefined for none), or {@link ANSWERED}. */
async function readJson(
  deps: ServerDeps,
  req: IncomingMessage,
  res: ServerResponse,
  method: string,
  path: string,
): Promise<unknown> {
  const { maxBodyBytes, logger } = deps
  let raw: string
  try {
    raw = await readBody(req, maxBodyBytes)
  } catch (e) {
    if (!(e instanceof BodyTooLarge)) throw e
    logger.warn?.(`body over ${maxBodyBytes} bytes refused: ${method} ${path}`)
    send(
      res,
      413,
      {
        code: 'INVALID_CLIENT_REQUEST',
        message: `The request body is larger than the simulator accepts (${maxBodyBytes} bytes, \`maxBodyBytes\`): send a smaller body`,
      },
      false,
      { Connection: 'close' },
    )
    return ANSWERED
  }
  let body: unknown
  if (raw.trim().length > 0 && method !== 'GET') {
    try {
      body = JSON.parse(raw)
    } catch {
      send(res, 400, {
        code: 'INVALID_CLIENT_REQUEST',
        message: 'The request body is not valid JSON',
      })
      return ANSWERED
    }
  }
  return body
}

/** The answer of a `failNext` fault. */
function sendFailure(res: ServerResponse, fail: FailedAnswer): void {
  if (fail.status === 429) {
    send(
      res,
      429,
      { code: 'TOO_MANY_REQUESTS', message: 'Too many requests' },
      false,
      { 'Retry-After': String(fail.retryAfterSec ?? 1) },
    )
  } else {
    send(
      res,
      fail.status,
      fail.status === 503
        ? { code: 'MAINTENANCE', message: 'Service unavailable' }
        : { code: 'SERVER_ERROR', message: 'Internal server error' },
    )
  }
}

/**
 * Runs a REST request: its body shape and signature when private, then its
 * route. Every failure becomes an answer (an {@link ApiFailure} as it is,
 * anything else as a 500 that is logged).
 */
function execute(
  deps: ServerDeps,
  req: IncomingMessage,
  method: string,
  url: URL,
  body: unknown,
): RestResult {
  const { ctx, logger } = deps
  const path = url.pathname
  try {
    const r = route(method, path)
    const instruction = instructionFor(method, path)
    let account: Account | undefined
    if (r?.isPrivate || instruction !== undefined) {
      if (method !== 'GET') {
        const clean =
          path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path
        checkBody(`${method} ${clean}`, body)
      }
      const params =
        method === 'GET'
          ? Object.fromEntries(url.searchParams)
          : (body as
              | Record<string, unknown>
              | Record<string, unknown>[]
              | undefined)
      const key = verifyRest({
        instruction: instruction ?? 'unknown',
        params,
        headers: req.headers,
        now: ctx.now(),
        allowed: deps.allowed,
      })
      account = ctx.engine.account(key)
    }
    if (!r) {
      throw instruction !== undefined
        ? bad('NOT_IMPLEMENTED', `Not simulated: ${method} ${path}`)
        : new ApiFailure(
            404,
            'RESOURCE_NOT_FOUND',
            `Not found: ${method} ${path}`,
          )
    }
    return r.handler(ctx, {
      method,
      path,
      query: url.searchParams,
      body,
      account,
    })
  } catch (e) {
    if (e instanceof ApiFailure) {
      return { status: e.status, body: { code: e.code, message: e.message } }
    }
    logger.warn?.(
      `internal error on ${method} ${path}: ${e instanceof Error ? e.message : String(e)}`,
    )
    return {
      status: 500,
      body: { code: 'SERVER_ERROR', message: 'Internal server error' },
    }
  }
}
