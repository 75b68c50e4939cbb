import {
  createServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { instructionFor } from '@rung/backpack-sdk/signing'
import { adminBody, adminQuery, checkFaults, checkStep } from './adminInput.js'
import { verifyRest } from './auth.js'
import { dec, formatDecimal, parseDecimal, toFloat } from './decimal.js'
import { Engine } from './engine/engine.js'
import type { Account, EngineListener } from './engine/types.js'
import { ApiFailure, bad, SimError } from './errors.js'
import {
  Feed,
  GeneratedPath,
  type LiquidityOptions,
  type PricePath,
  ReplayPath,
  readCandles,
} from './feed.js'
import { checkBody, shown } from './input.js'
import { MarketData } from './marketdata.js'
import { DEFAULT_MARKETS, type SimMarketConfig, toMarket } from './markets.js'
import { route } from './rest.js'
import { StreamHub } from './streams.js'
import { px, qty } from './wire.js'

/**
 * Where prices come from.
 *
 * - `generated`: a seeded random walk with changing volatility regimes and
 *   trends (the default).
 * - `replay`: a candle CSV (`open_time,open,high,low,close,volume`, gzipped
 *   or not) replayed onto one market; the others stay generated.
 * - `manual`: nothing moves until {@link Sim.setPrice} or {@link Sim.step}
 *   (or the admin API) says so; the market maker still quotes.
 * - `off`: no market maker and no taker flow: empty books, only your orders.
 */
export type SimFeedOptions =
  | {
      /** Seeded random walk. */
      mode: 'generated'
      /** Simulated seconds per real second. @defaultValue `1` */
      speed?: number | undefined
      /** Real milliseconds between feed steps. @defaultValue `200` */
      tickMs?: number | undefined
    }
  | {
      /** Candle replay. */
      mode: 'replay'
      /** Path of the CSV (or .csv.gz) file. */
      file: string
      /** Market the candles drive. @defaultValue `"BTC_USDC"` */
      symbol?: string | undefined
      /** Simulated seconds per real second (a candle lasts 60 simulated seconds). @defaultValue `60` */
      speed?: number | undefined
      /** Real milliseconds between feed steps. @defaultValue `200` */
      tickMs?: number | undefined
      /** Start again from the first candle at the end. @defaultValue `false` */
      loop?: boolean | undefined
      /**
       * Scale every candle so the first open equals the market's
       * `initialPrice` (e.g. replay BTC's shape onto SOL_USDC).
       * @defaultValue `false`
       */
      rescale?: boolean | undefined
    }
  | {
      /** Tests drive the price. */
      mode: 'manual'
    }
  | {
      /** No liquidity at all. */
      mode: 'off'
    }

/** Fault injection settings; see `docs/simulator.md`. */
export interface SimFaults {
  /** Delay every REST response by this many ms (an integer). @defaultValue `0` */
  delayMs?: number | undefined
  /**
   * Answer the next `count` matching requests with `status` (429 adds
   * `Retry-After`; 5xx answers `SERVER_ERROR`, 503 `MAINTENANCE`), without
   * executing them.
   */
  failNext?:
    | {
        /** How many requests to fail. */
        count: number
        /** HTTP status: 429 or 5xx. */
        status: number
        /** Seconds for the `Retry-After` header of a 429. @defaultValue `1` */
        retryAfterSec?: number | undefined
        /** Only requests to this exact path (e.g. `/api/v1/order`). */
        path?: string | undefined
        /** Only requests with this method. */
        method?: string | undefined
      }
    | undefined
  /**
   * Execute the next `count` matching requests (the order IS placed) but
   * lose the answer: `destroy` closes the socket, `504` answers a gateway
   * timeout.
   */
  loseResponses?:
    | {
        /** How many responses to lose. */
        count: number
        /** How the answer is lost. @defaultValue `"destroy"` */
        mode?: 'destroy' | '504' | undefined
        /** Only requests to this exact path. */
        path?: string | undefined
        /** Only requests with this method. */
        method?: string | undefined
      }
    | undefined
  /** Split every match into this many partial fills (1 to 1000). @defaultValue `1` */
  splitFills?: number | undefined
}

/** Receives the simulator's log lines. Never receives keys or signatures. */
export interface SimLogger {
  /** Per-request detail. */
  debug?(message: string): void
  /** Start-up and notable events. */
  info?(message: string): void
  /** Something a client did wrong, or a fault that fired. */
  warn?(message: string): void
}

/** Options of {@link startSim}. */
export interface SimOptions {
  /** TCP port; 0 picks a free one. @defaultValue `0` */
  port?: number | undefined
  /** Interface to listen on. @defaultValue `"127.0.0.1"` */
  host?: string | undefined
  /** Seed of the feed: same seed, same price path. @defaultValue `1` */
  seed?: number | undefined
  /** Price source. @defaultValue `{ mode: 'generated' }` */
  feed?: SimFeedOptions | undefined
  /** Listed markets. @defaultValue BTC_USDC, ETH_USDC, SOL_USDC */
  markets?: readonly SimMarketConfig[] | undefined
  /** Faults active from the start. @defaultValue none */
  faults?: SimFaults | undefined
  /**
   * Paper balances every new account starts with (asset → decimal string).
   * @defaultValue `{ USDC: '10000', BTC: '0.1', ETH: '1', SOL: '20' }`
   */
  balances?: Readonly<Record<string, string>> | undefined
  /**
   * Serve the admin API under `/_sim/` (faults, price control, ledgers). It
   * has no auth: turn it off when listening beyond loopback.
   * @defaultValue `true`
   */
  admin?: boolean | undefined
  /** Only these base64 public keys may use private endpoints. @defaultValue any key */
  keys?: readonly string[] | undefined
  /** Maker fee in basis points, as `GET /api/v1/account` reports it. @defaultValue `"8"` */
  makerFeeBps?: string | undefined
  /** Taker fee in basis points. @defaultValue `"10"` */
  takerFeeBps?: string | undefined
  /** Market-maker and taker-flow tuning. @defaultValue see {@link SimLiquidityOptions} */
  liquidity?: SimLiquidityOptions | undefined
  /** Logger. @defaultValue silent */
  logger?: SimLogger | undefined
  /**
   * Largest request body in bytes. A larger `Content-Length` is answered
   * 413 before the body is read; a chunked body is counted as it arrives
   * and answered 413 as soon as it passes the cap. Either way the
   * connection is then closed.
   * @defaultValue `1048576` (1 MB)
   */
  maxBodyBytes?: number | undefined
  /**
   * Largest request head (request line and headers) in bytes; a larger one
   * is answered 431 and the connection closed.
   * @defaultValue `16384` (Node's default)
   */
  maxHeaderBytes?: number | undefined
  /**
   * Wall clock in ms: auth windows and all timestamps. Inject for tests.
   * @defaultValue `Date.now`
   */
  now?: (() => number) | undefined
  /** Server ping interval (ms). @defaultValue `60000` */
  pingIntervalMs?: number | undefined
  /**
   * Emit an empty depth delta for a market whose book did not change for
   * this long (ms), so depth watchers keep resolving; `false` disables.
   * @defaultValue `250`
   */
  depthHeartbeatMs?: number | false | undefined
}

/** Market-maker and taker-flow tuning. */
export interface SimLiquidityOptions {
  /** Price levels quoted on each side. @defaultValue `5` */
  levels?: number | undefined
  /** Distance between best bid and best ask, in bps. @defaultValue `4` */
  spreadBps?: number | undefined
  /** Distance between consecutive levels, in bps. @defaultValue `5` */
  levelGapBps?: number | undefined
  /** Approximate quote value per level. @defaultValue `5000` */
  levelNotional?: number | undefined
  /** Average taker trades per simulated second and market. @defaultValue `1` */
  takerPerSecond?: number | undefined
  /** Approximate quote value per taker trade. @defaultValue `300` */
  takerNotional?: number | undefined
}

/** One change of an account's total balance. */
export interface SimLedgerEntry {
  /** When, ms. */
  time: number
  /** Asset symbol. */
  asset: string
  /** Signed change, decimal string. */
  change: string
  /** `initial` paper balance, admin `credit`, `trade` leg, or `fee`. */
  kind: 'initial' | 'credit' | 'trade' | 'fee'
  /** Trade id the change belongs to, if any. */
  ref: string | null
}

/** One asset's balance. */
export interface SimBalance {
  /** Free to use, decimal string. */
  available: string
  /** Held by open orders, decimal string. */
  locked: string
}

/** A market's book as the simulator holds it. */
export interface SimBook {
  /** Bid levels `[price, quantity]`, best (highest) first. */
  bids: [string, string][]
  /** Ask levels `[price, quantity]`, best (lowest) first. */
  asks: [string, string][]
  /** The update counter (REST `lastUpdateId`, WS depth `U`/`u`). */
  lastUpdateId: number
}

/** An account's balances and ledger. */
export interface SimLedger {
  /** Base64 public key. */
  account: string
  /** Asset → available and locked. */
  balances: Record<string, SimBalance>
  /** Every change of the totals, oldest first. */
  entries: SimLedgerEntry[]
}

/** A running simulator. */
export interface Sim {
  /** REST origin, e.g. `http://127.0.0.1:41234`. */
  readonly url: string
  /** WebSocket URL, e.g. `ws://127.0.0.1:41234`. */
  readonly wsUrl: string
  /** The port in use. */
  readonly port: number
  /** Stops the feed, drops connections and closes the server. */
  close(): Promise<void>
  /**
   * Moves a market's fair price and re-quotes the market maker around it;
   * resting orders the new quotes cross are filled.
   *
   * @param symbol - Market, e.g. `"BTC_USDC"`.
   * @param price - Decimal string.
   * @throws {SimError} for an unknown market or a malformed price.
   */
  setPrice(symbol: string, price: string): void
  /**
   * Advances the feed by `steps` steps of `seconds` simulated seconds each
   * (generated path, re-quote, taker flow).
   *
   * @param steps - Number of steps, an integer from 1 to 10000. @defaultValue `1`
   * @param seconds - Simulated seconds per step, above 0 and at most 86400. @defaultValue `1`
   * @throws {SimError} when `steps` or `seconds` is out of range.
   */
  step(steps?: number, seconds?: number): void
  /**
   * Replaces the active faults.
   *
   * @param faults - The new fault settings.
   * @throws {SimError} naming the field, for an unknown fault or setting or
   *   a value out of range (the active faults are then kept).
   */
  setFaults(faults: SimFaults): void
  /** The active faults. @returns A copy of the settings. */
  faults(): SimFaults
  /** Terminates every WebSocket connection now. */
  dropConnections(): void
  /**
   * Balances and ledger of an account.
   *
   * @param account - Base64 public key.
   * @returns Balances and ledger (empty if the account never appeared).
   */
  ledger(account: string): SimLedger
  /**
   * Credits (or with a negative amount debits) an account's available funds.
   *
   * @param account - Base64 public key; created if new.
   * @param asset - Asset symbol of a listed market.
   * @param amount - Signed decimal string.
   * @throws {SimError} when the asset is not listed, or the amount is
   *   malformed or would go negative.
   */
  credit(account: string, asset: string, amount: string): void
  /**
   * The current book of a market.
   *
   * @param symbol - Market.
   * @returns Levels best first and the update id of the snapshot.
   */
  book(symbol: string): SimBook
  /** The feed's current fair price of a market. @param symbol - Market. @returns Decimal string. */
  fairPrice(symbol: string): string
  /** Fees collected by the exchange so far. @returns Asset → decimal string. */
  feesCollected(): Record<string, string>
  /** Base64 keys of the user accounts seen so far. @returns The keys. */
  accounts(): string[]
  /** Open WebSocket connections. @returns The count. */
  connections(): number
  /**
   * Active WebSocket subscriptions, e.g. to wait until a client has
   * subscribed before moving the price.
   *
   * @returns Stream name → number of connections subscribed to it.
   */
  subscriptions(): Record<string, number>
}

const DEFAULT_BALANCES = { USDC: '10000', BTC: '0.1', ETH: '1', SOL: '20' }

/** The body passed `maxBodyBytes`. */
class BodyTooLarge extends Error {}

/**
 * Reads the body, refusing it as soon as it passes `maxBytes`: at once for
 * a larger `Content-Length`, while streaming for a chunked body.
 */
function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
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

const CLIENT_ERRORS: Record<string, [number, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large'],
  HPE_CHUNK_EXTENSIONS_OVERFLOW: [413, 'Payload Too Large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout'],
}

function matches(
  rule: { path?: string | undefined; method?: string | undefined },
  method: string,
  path: string,
): boolean {
  return (
    (rule.path === undefined || rule.path === path) &&
    (rule.method === undefined || rule.method.toUpperCase() === method)
  )
}

function checkOptions(o: SimOptions): void {
  const port = o.port ?? 0
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new SimError(
      `\`port\` must be an integer from 0 to 65535 (0 picks a free port); got ${String(o.port)}`,
    )
  }
  for (const [asset, amount] of Object.entries(o.balances ?? {})) {
    const r = parseDecimal(amount)
    if (!r.ok || r.value < 0n) {
      throw new SimError(
        `\`balances.${asset}\` must be a non-negative decimal string such as "10000"; got ${JSON.stringify(amount)}`,
      )
    }
  }
  for (const field of ['makerFeeBps', 'takerFeeBps'] as const) {
    const v = o[field]
    if (v !== undefined && !parseDecimal(v).ok) {
      throw new SimError(
        `\`${field}\` must be a decimal string of basis points such as "8"; got ${JSON.stringify(v)}`,
      )
    }
  }
  const speed =
    o.feed && 'speed' in o.feed && o.feed.speed !== undefined ? o.feed.speed : 1
  if (!(speed > 0) || !Number.isFinite(speed)) {
    throw new SimError(
      `\`feed.speed\` must be a positive number of simulated seconds per real second; got ${String(speed)}`,
    )
  }
  const positive: [string, unknown][] = [
    ['feed.tickMs', o.feed && 'tickMs' in o.feed ? o.feed.tickMs : undefined],
    ['pingIntervalMs', o.pingIntervalMs],
    [
      'depthHeartbeatMs',
      o.depthHeartbeatMs === false ? undefined : o.depthHeartbeatMs,
    ],
  ]
  for (const [field, v] of positive) {
    if (
      v !== undefined &&
      !(typeof v === 'number' && v >= 1 && Number.isFinite(v))
    ) {
      throw new SimError(
        `\`${field}\` must be a number of milliseconds of at least 1; got ${String(v)}`,
      )
    }
  }
  if (o.seed !== undefined && !Number.isSafeInteger(o.seed)) {
    throw new SimError(`\`seed\` must be an integer; got ${String(o.seed)}`)
  }
  const sizes: [string, unknown, number][] = [
    ['maxBodyBytes', o.maxBodyBytes, 1],
    ['maxHeaderBytes', o.maxHeaderBytes, 1024],
  ]
  for (const [field, v, min] of sizes) {
    if (
      v !== undefined &&
      !(typeof v === 'number' && Number.isSafeInteger(v) && v >= min)
    ) {
      throw new SimError(
        `\`${field}\` must be an integer of at least ${min} (bytes); got ${String(v)}`,
      )
    }
  }
  if (o.faults !== undefined) checkFaults(o.faults, 'faults.')
}

/**
 * Starts a local Backpack exchange: REST (`/api/v1/…`, `/wapi/v1/…`) and
 * WebSocket on one port, a matching engine, a market feed, and an admin API
 * under `/_sim/`.
 *
 * @param options - Port, seed, feed, markets, balances, faults, clock.
 * @returns The running simulator: URLs, admin helpers and `close()`.
 * @throws {SimError} when an option is invalid, the replay file cannot be
 *   read, or the port cannot be bound.
 * @example
 * ```ts
 * import { startSim } from '@rung/backpack-sim'
 *
 * const sim = await startSim({ seed: 42, feed: { mode: 'manual' } })
 * console.log(sim.url, sim.wsUrl)
 * sim.setPrice('BTC_USDC', '60000')
 * await sim.close()
 * ```
 */
export async function startSim(options: SimOptions = {}): Promise<Sim> {
  checkOptions(options)
  const now = options.now ?? Date.now
  const host = options.host ?? '127.0.0.1'
  const seed = options.seed ?? 1
  const feedOpts: SimFeedOptions = options.feed ?? { mode: 'generated' }
  const logger = options.logger ?? {}
  const allowed = options.keys ? new Set(options.keys) : undefined
  const marketConfigs = options.markets ?? DEFAULT_MARKETS
  if (marketConfigs.length === 0) {
    throw new SimError('`markets` must list at least one market')
  }
  const markets = marketConfigs.map((c) => {
    try {
      return toMarket(c)
    } catch (cause) {
      throw new SimError(
        `Market ${c.symbol} has an invalid filter: use decimal strings such as "0.01"`,
        { cause },
      )
    }
  })
  const engine = new Engine({
    markets,
    now,
    makerFeeBps: options.makerFeeBps ?? '8',
    takerFeeBps: options.takerFeeBps ?? '10',
    initialBalances: { ...(options.balances ?? DEFAULT_BALANCES) },
  })
  const data = new Map(markets.map((m) => [m.symbol, new MarketData()]))
  const lastDepth = new Map<string, number>()
  const recorder: EngineListener = {
    orderEvent() {},
    trade(t) {
      data.get(t.market.symbol)?.record(t)
    },
    depth(m) {
      lastDepth.set(m.symbol, now())
    },
  }
  engine.addListener(recorder)

  let faults: SimFaults = checkFaults(options.faults ?? {}, 'faults.')
  engine.splitFills = faults.splitFills ?? 1

  // Feed.
  let feed: Feed | undefined
  const timers: NodeJS.Timeout[] = []
  if (feedOpts.mode !== 'off') {
    const L = options.liquidity ?? {}
    const liquidity: LiquidityOptions = {
      levels: L.levels ?? 5,
      spreadBps: L.spreadBps ?? 4,
      levelGapBps: L.levelGapBps ?? 5,
      levelNotional: L.levelNotional ?? 5000,
      takerPerSecond: L.takerPerSecond ?? 1,
      takerNotional: L.takerNotional ?? 300,
    }
    feed = new Feed(engine, liquidity, seed)
    const replaySymbol =
      feedOpts.mode === 'replay' ? (feedOpts.symbol ?? 'BTC_USDC') : undefined
    if (replaySymbol !== undefined && !engine.markets.has(replaySymbol)) {
      throw new SimError(
        `\`feed.symbol\` ${replaySymbol} is not a listed market: pick one of ${[...engine.markets.keys()].join(', ')}`,
      )
    }
    for (const m of markets) {
      let path: PricePath
      if (feedOpts.mode === 'replay' && m.symbol === replaySymbol) {
        let candles = readCandles(feedOpts.file)
        if (feedOpts.rescale) {
          const k = toFloat(dec(m.config.initialPrice)) / candles[0]!.open
          candles = candles.map((c) => ({
            time: c.time,
            open: c.open * k,
            high: c.high * k,
            low: c.low * k,
            close: c.close * k,
          }))
        }
        path = new ReplayPath(candles, feedOpts.loop ?? false)
      } else {
        path = new GeneratedPath(
          toFloat(dec(m.config.initialPrice)),
          seed,
          m.symbol,
          m.config.volatility ?? 1,
        )
      }
      feed.paths.set(m.symbol, path)
      feed.quote(m)
    }
    if (feedOpts.mode === 'generated' || feedOpts.mode === 'replay') {
      const tickMs = feedOpts.tickMs ?? 200
      const speed = feedOpts.speed ?? (feedOpts.mode === 'replay' ? 60 : 1)
      const f = feed
      const t = setInterval(() => f.advance((tickMs / 1000) * speed), tickMs)
      t.unref()
      timers.push(t)
    }
  }
  const heartbeat = options.depthHeartbeatMs ?? 250
  if (heartbeat !== false) {
    const t = setInterval(() => {
      const cutoff = now() - heartbeat
      for (const m of markets) {
        if ((lastDepth.get(m.symbol) ?? 0) <= cutoff) engine.heartbeat(m.symbol)
      }
    }, heartbeat)
    t.unref()
    timers.push(t)
  }

  const createdAt = now()
  const ctx = { engine, data, now, createdAt }
  const maxBodyBytes = options.maxBodyBytes ?? 1_048_576
  const maxHeaderBytes = options.maxHeaderBytes ?? 16_384

  const send = (
    res: ServerResponse,
    status: number,
    body: unknown,
    text = false,
    headers: Record<string, string> = {},
  ) => {
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

  const admin = (
    method: string,
    path: string,
    query: URLSearchParams,
    body: unknown,
  ): unknown => {
    const route = `${method} ${path}`
    const noInput = () => {
      adminQuery(route, query, [])
      adminBody(route, body, [])
    }
    switch (route) {
      case 'GET /_sim/faults':
        noInput()
        return sim.faults()
      case 'POST /_sim/faults': {
        adminQuery(route, query, [])
        // checkFaults names an unknown key as "not a fault".
        const b = adminBody(route, body, undefined)
        const next: Record<string, unknown> = {
          ...faults,
          ...checkFaults(b),
        }
        // `null` clears one fault.
        for (const [key, value] of Object.entries(b)) {
          if (value === null) delete next[key]
        }
        sim.setFaults(next as SimFaults)
        return sim.faults()
      }
      case 'DELETE /_sim/faults':
        noInput()
        sim.setFaults({})
        return sim.faults()
      case 'POST /_sim/drop-connections': {
        noInput()
        const n = hub.size
        sim.dropConnections()
        return { dropped: n }
      }
      case 'POST /_sim/price': {
        adminQuery(route, query, [])
        const b = adminBody(route, body, ['symbol', 'price'])
        const symbol = listedSymbol(b.symbol)
        sim.setPrice(symbol, b.price as string)
        return { symbol, price: sim.fairPrice(symbol) }
      }
      case 'POST /_sim/step': {
        adminQuery(route, query, [])
        const b = adminBody(route, body, ['steps', 'seconds'])
        sim.step((b.steps ?? 1) as number, (b.seconds ?? 1) as number)
        return Object.fromEntries(
          markets.map((m) => [m.symbol, sim.fairPrice(m.symbol)]),
        )
      }
      case 'GET /_sim/ledger': {
        adminQuery(route, query, ['account'])
        adminBody(route, body, [])
        const account = query.get('account')
        if (!account) {
          throw new SimError(
            '`account` is required in the query: /_sim/ledger?account=<base64 public key>',
          )
        }
        return sim.ledger(account)
      }
      case 'POST /_sim/credit': {
        adminQuery(route, query, [])
        const b = adminBody(route, body, ['account', 'asset', 'amount'])
        if (typeof b.account !== 'string' || b.account === '') {
          throw new SimError('`account` is required: a base64 public key')
        }
        sim.credit(b.account, b.asset as string, b.amount as string)
        return sim.ledger(b.account).balances
      }
      case 'GET /_sim/state':
        noInput()
        return {
          markets: Object.fromEntries(
            markets.map((m) => [
              m.symbol,
              { fairPrice: sim.fairPrice(m.symbol), book: sim.book(m.symbol) },
            ]),
          ),
          accounts: sim.accounts(),
          feesCollected: sim.feesCollected(),
          connections: hub.size,
          subscriptions: hub.subscriptions(),
        }
      default:
        throw new ApiFailure(
          404,
          'RESOURCE_NOT_FOUND',
          `Unknown admin route ${method} ${path}: see docs/simulator.md`,
        )
    }
  }

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const method = (req.method ?? 'GET').toUpperCase()
    const url = new URL(req.url ?? '/', 'http://sim')
    const path = url.pathname
    let raw: string
    try {
      raw = await readBody(req, maxBodyBytes)
    } catch (e) {
      if (!(e instanceof BodyTooLarge)) throw e
      logger.warn?.(
        `body over ${maxBodyBytes} bytes refused: ${method} ${path}`,
      )
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
      return
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
        return
      }
    }
    if (path.startsWith('/_sim/') && options.admin !== false) {
      try {
        send(res, 200, admin(method, path, url.searchParams, body) ?? null)
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
    const fail = faults.failNext
    if (fail && fail.count > 0 && matches(fail, method, path)) {
      fail.count -= 1
      if (fail.count <= 0) faults.failNext = undefined
      logger.warn?.(`fault: ${fail.status} for ${method} ${path}`)
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
      return
    }
    if (faults.delayMs && faults.delayMs > 0) {
      await new Promise((r) => setTimeout(r, faults.delayMs))
    }
    let status: number
    let out: unknown
    let text = false
    let headers: Record<string, string> = {}
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
          now: now(),
          allowed,
        })
        account = engine.account(key)
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
      const result = r.handler(ctx, {
        method,
        path,
        query: url.searchParams,
        body,
        account,
      })
      status = result.status
      out = result.body
      text = result.text ?? false
      headers = result.headers ?? {}
    } catch (e) {
      if (e instanceof ApiFailure) {
        status = e.status
        out = { code: e.code, message: e.message }
      } else {
        logger.warn?.(
          `internal error on ${method} ${path}: ${e instanceof Error ? e.message : String(e)}`,
        )
        status = 500
        out = { code: 'SERVER_ERROR', message: 'Internal server error' }
      }
    }
    const lose = faults.loseResponses
    if (lose && lose.count > 0 && matches(lose, method, path)) {
      lose.count -= 1
      if (lose.count <= 0) faults.loseResponses = undefined
      logger.warn?.(`fault: response lost for ${method} ${path}`)
      if ((lose.mode ?? 'destroy') === 'destroy') {
        req.socket.destroy()
      } else {
        send(res, 504, { code: 'TIMEOUT', message: 'Gateway timeout' })
      }
      return
    }
    send(res, status, out, text, headers)
  }

  const server = createServer({ maxHeaderSize: maxHeaderBytes }, (req, res) => {
    handle(req, res).catch((e: unknown) => {
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
  const hub = new StreamHub(server, {
    engine,
    data,
    now,
    allowed,
    pingIntervalMs: options.pingIntervalMs ?? 60_000,
    log: (level, message) => logger[level]?.(message),
  })
  engine.addListener(hub)

  await new Promise<void>((resolve, reject) => {
    const onError = (cause: unknown) =>
      reject(
        new SimError(
          `Cannot listen on ${host}:${options.port ?? 0}: pick another \`port\``,
          { cause },
        ),
      )
    server.once('error', onError)
    server.listen(options.port ?? 0, host, () => {
      server.off('error', onError)
      resolve()
    })
  })
  const port = (server.address() as AddressInfo).port
  const origin = `${host.includes(':') ? `[${host}]` : host}:${port}`
  let closed = false

  const market = (symbol: string) => {
    const m = engine.markets.get(symbol)
    if (!m) {
      throw new SimError(
        `Unknown market ${symbol}: pick one of ${[...engine.markets.keys()].join(', ')}`,
      )
    }
    return m
  }

  const listedSymbol = (symbol: unknown): string => {
    const names = [...engine.markets.keys()].join(', ')
    if (symbol === undefined || symbol === null || symbol === '') {
      throw new SimError(`\`symbol\` is required: one of ${names}`)
    }
    if (typeof symbol !== 'string' || !engine.markets.has(symbol)) {
      throw new SimError(
        `\`symbol\` must be a listed market: one of ${names}; got ${shown(symbol)}`,
      )
    }
    return symbol
  }
  const assets = [...new Set(markets.flatMap((m) => [m.base, m.quote]))]

  const sim: Sim = {
    url: `http://${origin}`,
    wsUrl: `ws://${origin}`,
    port,
    async close() {
      if (closed) return
      closed = true
      for (const t of timers) clearInterval(t)
      await hub.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
    setPrice(symbol, price) {
      const m = market(symbol)
      const r = typeof price === 'string' ? parseDecimal(price) : undefined
      if (!r?.ok || r.value <= 0n) {
        throw new SimError(
          `\`price\` must be a positive decimal string such as "60000"; got ${shown(price)}`,
        )
      }
      if (!feed) {
        throw new SimError(
          'setPrice needs a feed: start with feed.mode other than "off"',
        )
      }
      feed.paths.get(symbol)?.set(toFloat(r.value))
      feed.quote(m)
    },
    step(steps = 1, seconds = 1) {
      checkStep(steps, seconds)
      if (!feed) return
      for (let i = 0; i < steps; i++) feed.advance(seconds)
    },
    setFaults(f) {
      faults = checkFaults(f)
      engine.splitFills = faults.splitFills ?? 1
    },
    faults() {
      return structuredClone(faults)
    },
    dropConnections() {
      hub.dropAll()
    },
    ledger(account) {
      const acc = engine.accounts.get(account)
      const balances: SimLedger['balances'] = {}
      for (const [asset, b] of acc?.balances ?? []) {
        balances[asset] = {
          available: formatDecimal(b.available),
          locked: formatDecimal(b.locked),
        }
      }
      return {
        account,
        balances,
        entries: (acc?.ledger ?? []).map((e) => ({
          time: e.time,
          asset: e.asset,
          change: formatDecimal(e.change),
          kind: e.kind,
          ref: e.ref ?? null,
        })),
      }
    },
    credit(account, asset, amount) {
      if (typeof asset !== 'string' || !assets.includes(asset)) {
        throw new SimError(
          `\`asset\` must be an asset of a listed market: one of ${assets.join(', ')}; got ${shown(asset)}`,
        )
      }
      const r = typeof amount === 'string' ? parseDecimal(amount) : undefined
      if (!r?.ok) {
        throw new SimError(
          `\`amount\` must be a decimal string such as "100" (negative to debit); got ${shown(amount)}`,
        )
      }
      try {
        engine.credit(engine.account(account), asset, r.value)
      } catch (cause) {
        throw new SimError(
          `Cannot debit ${amount} ${asset}: the available balance is too small`,
          { cause },
        )
      }
    },
    book(symbol) {
      const m = market(symbol)
      const { bids, asks } = engine.levels(symbol, 1000)
      const f = ([p, q]: [bigint, bigint]): [string, string] => [
        px(m, p),
        qty(m, q),
      ]
      return {
        bids: bids.map(f),
        asks: asks.map(f),
        lastUpdateId: engine.book(symbol).updateId,
      }
    },
    fairPrice(symbol) {
      const m = market(symbol)
      const ref =
        engine.book(symbol).referencePrice ?? engine.book(symbol).lastPrice
      return ref === undefined ? m.config.initialPrice : px(m, ref)
    },
    feesCollected() {
      return Object.fromEntries(
        [...engine.feesCollected].map(([a, v]) => [a, formatDecimal(v)]),
      )
    },
    accounts() {
      return [...engine.accounts.values()]
        .filter((a) => !a.internal)
        .map((a) => a.key)
    },
    connections() {
      return hub.size
    },
    subscriptions() {
      return hub.subscriptions()
    },
  }
  logger.info?.(`backpack-sim listening on ${sim.url} (WebSocket ${sim.wsUrl})`)
  return sim
}
