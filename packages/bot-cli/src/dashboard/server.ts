/**
 * The dashboard's web server (node:http, a few routes): the page, its
 * script, the chart library and the live feed as server-sent events.
 *
 * It listens on 127.0.0.1 only. Every request must carry the URL's random
 * token (`?token=`), compared in constant time; a request without it (or
 * with another Host than the loopback address, as a DNS-rebinding page
 * would send) is refused with 403. No CORS header is ever sent, so no other
 * origin can read an answer. The page gets the status and the history, never
 * a key: the bot's secrets are not in either.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { readFileSync } from 'node:fs'
import {
  createServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http'
import { join } from 'node:path'
import { EXIT, ExitError } from '../errors.js'
import { writeOwnerOnlyFile } from '../ownerOnly.js'
import { chartLibrarySource } from './assets.js'
import type { DashboardFeed, DashboardMessage } from './feed.js'
import type { DashboardMarkets, MarketsDashboard } from './markets.js'
import { dashboardPage, dashboardScript } from './page.js'

/** The file in the data directory that keeps the dashboard's port and token across restarts. */
export const DASHBOARD_FILE = 'dashboard.json'

/** Options of {@link startDashboardServer}. */
export interface DashboardServerOptions {
  /** The model the page shows. */
  feed: DashboardFeed
  /** Port on 127.0.0.1; 0 picks a free one. @default 0 */
  port?: number | undefined
  /** The URL's token. @default 32 random bytes, base64url */
  token?: string | undefined
  /** Keep-alive comment period of the live feed (ms). @default 15000 */
  heartbeatMs?: number | undefined
  /**
   * A multi-market run: a page per market (`?market=SOL_USDC`; `feed` is
   * the default page's) and the bar of every market on each page.
   */
  markets?: MarketsDashboard | undefined
}

/** A running dashboard server. */
export interface DashboardServer {
  /** The page's URL, token included. */
  readonly url: string
  /** The port it listens on. */
  readonly port: number
  /** The token every request must carry. */
  readonly token: string
  /** Ends the live connections and stops listening. */
  close(): Promise<void>
}

/** A fresh random token (32 bytes, base64url). */
export const newToken = (): string => randomBytes(32).toString('base64url')

/** Constant-time comparison of a presented token with the right one. */
export function tokenMatches(presented: string | null, token: string): boolean {
  if (presented === null) return false
  // Equal-length digests: timingSafeEqual needs equal lengths, and the
  // comparison then does not depend on where the strings differ.
  const a = createHash('sha256').update(presented).digest()
  const b = createHash('sha256').update(token).digest()
  return timingSafeEqual(a, b)
}

const SECURITY_HEADERS = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
} as const

/**
 * Starts the dashboard on 127.0.0.1.
 * @param options - The feed, the port and the token.
 * @returns The running server (its URL carries the token).
 * @throws {ExitError} (exit 2) when the port is taken.
 */
export async function startDashboardServer(
  options: DashboardServerOptions,
): Promise<DashboardServer> {
  const token = options.token ?? newToken()
  const { feed } = options
  const streams = new Set<ServerResponse>()
  let port = 0

  const refuse = (res: ServerResponse, code: number, text: string) => {
    res.writeHead(code, {
      ...SECURITY_HEADERS,
      'Content-Type': 'text/plain; charset=utf-8',
    })
    res.end(`${text}\n`)
  }

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const host = req.headers.host ?? ''
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`)
      return refuse(res, 403, 'refused: open the dashboard on 127.0.0.1')
    if (!tokenMatches(url.searchParams.get('token'), token))
      return refuse(
        res,
        403,
        'refused: this dashboard needs the token of its URL (the bot prints the URL when it starts)',
      )
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return refuse(res, 405, 'only GET')
    // A multi-market run serves one page (and one feed) per market.
    const market = url.searchParams.get('market')
    const pageFeed = market === null ? feed : options.markets?.feeds.get(market)
    if (pageFeed === undefined)
      return refuse(
        res,
        404,
        `no market ${market} here: use ${[...(options.markets?.feeds.keys() ?? [])].join(', ') || 'the page without ?market='}`,
      )
    const ok = (type: string, body: string) => {
      res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': type })
      res.end(body)
    }
    switch (url.pathname) {
      case '/':
        return ok('text/html; charset=utf-8', dashboardPage(token))
      case '/app.js':
        return ok('text/javascript; charset=utf-8', dashboardScript)
      case '/lightweight-charts.js':
        return ok('text/javascript; charset=utf-8', chartLibrarySource())
      case '/events':
        return openStream(res, pageFeed)
      default:
        return refuse(res, 404, 'not found')
    }
  }

  const write = (
    res: ServerResponse,
    message: DashboardMessage | { type: 'markets'; markets: DashboardMarkets },
  ) => res.write(`data: ${JSON.stringify(message)}\n\n`)

  const openStream = (res: ServerResponse, feed: DashboardFeed) => {
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': 'text/event-stream; charset=utf-8',
      Connection: 'keep-alive',
    })
    // The page's EventSource reconnects after 1 s when the bot goes away.
    res.write('retry: 1000\n\n')
    write(res, { type: 'snapshot', view: feed.view() })
    streams.add(res)
    const unsubscribe = feed.subscribe((m) => write(res, m))
    const summary = options.markets?.summary
    const bar = summary?.view()
    if (bar) write(res, { type: 'markets', markets: bar })
    const unsubscribeBar =
      summary?.subscribe((markets) =>
        write(res, { type: 'markets', markets }),
      ) ?? (() => {})
    res.on('close', () => {
      unsubscribe()
      unsubscribeBar()
      streams.delete(res)
    })
  }

  const server = createServer(handle)
  const heartbeat = setInterval(() => {
    for (const s of streams) s.write(': keep-alive\n\n')
  }, options.heartbeatMs ?? 15_000)
  heartbeat.unref()

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      clearInterval(heartbeat)
      reject(
        error.code === 'EADDRINUSE'
          ? new ExitError(
              EXIT.usage,
              `Invalid option: --ui-port ${options.port}: the port is taken on 127.0.0.1.\nFix: pass another --ui-port, or leave it out for a free port.`,
              { cause: error },
            )
          : error,
      )
    })
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  const address = server.address()
  port = typeof address === 'object' && address !== null ? address.port : 0
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    async close() {
      clearInterval(heartbeat)
      for (const s of streams) s.end()
      streams.clear()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
    },
  }
}

/** What `dashboard.json` keeps: the last dashboard's port and token. */
export interface DashboardFile {
  /** Port it listened on. */
  port: number
  /** Its token. */
  token: string
}

/** Reads `<dataDir>/dashboard.json`, or undefined. */
export function readDashboardFile(dataDir: string): DashboardFile | undefined {
  try {
    const v = JSON.parse(
      readFileSync(join(dataDir, DASHBOARD_FILE), 'utf8'),
    ) as Partial<DashboardFile>
    return typeof v.port === 'number' && typeof v.token === 'string'
      ? { port: v.port, token: v.token }
      : undefined
  } catch {
    return undefined
  }
}

/**
 * Starts the bot's dashboard on its data directory: the port and the token
 * of the previous run are used again (so an open page reconnects by itself
 * after a restart), unless `--ui-port` names another port; a free port when
 * the previous one is taken. Both are kept in `dashboard.json` (0600).
 *
 * @param dataDir - The data directory.
 * @param feed - The model.
 * @param port - `--ui-port`, when given.
 * @param markets - A multi-market run's pages and bar.
 */
export async function startBotDashboard(
  dataDir: string,
  feed: DashboardFeed,
  port: number | undefined,
  markets?: MarketsDashboard,
): Promise<DashboardServer> {
  const previous = readDashboardFile(dataDir)
  const token = previous?.token ?? newToken()
  let server: DashboardServer
  if (port !== undefined)
    server = await startDashboardServer({ feed, port, token, markets })
  else
    server = await startDashboardServer({
      feed,
      port: previous?.port ?? 0,
      token,
      markets,
    }).catch(() => startDashboardServer({ feed, port: 0, token, markets }))
  writeOwnerOnlyFile(
    join(dataDir, DASHBOARD_FILE),
    `${JSON.stringify({ port: server.port, token: server.token } satisfies DashboardFile)}\n`,
  )
  return server
}
