/**
 * The options of {@link startSim} and their checks: every option is checked
 * before anything starts, and a bad one throws a {@link SimError} naming it.
 *
 * @internal
 */
import { parseDecimal } from './decimal.js'
import { SimError } from './errors.js'
import { checkFaults, type SimFaults } from './faults.js'
import type { SimMarketConfig } from './markets.js'
import type { MirrorFeedOptions } from './mirror/mirror.js'

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
 * - `mirror`: the listed market (or markets, `symbols`) follows a real
 *   exchange's public market data (its rules, its best levels, its trades
 *   fill your orders), every market on one upstream stream; see
 *   {@link MirrorFeedOptions} and `docs/simulator.md`.
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
  | MirrorFeedOptions

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
  // now and logger read like the SDK's StreamClientOptions on purpose: the
  // same injected clock and logger, documented for this package.
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

/** Paper balances of a new account unless `SimOptions.balances` says otherwise. */
export const DEFAULT_BALANCES = {
  USDC: '10000',
  BTC: '0.1',
  ETH: '1',
  SOL: '20',
}

/**
 * Checks every option of {@link startSim}.
 *
 * @throws {SimError} naming the first bad option.
 */
export function checkOptions(o: SimOptions): void {
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
  if (o.feed?.mode === 'mirror') checkMirror(o.feed)
}

/** Checks `feed: { mode: 'mirror' }`. */
function checkMirror(f: MirrorFeedOptions): void {
  for (const [field, value, protocols] of [
    ['feed.baseUrl', f.baseUrl, ['http:', 'https:']],
    ['feed.wsUrl', f.wsUrl, ['ws:', 'wss:']],
  ] as const) {
    if (value === undefined) continue
    let ok = false
    try {
      ok = (protocols as readonly string[]).includes(new URL(value).protocol)
    } catch {
      ok = false
    }
    if (!ok)
      throw new SimError(
        `\`${field}\` must be a URL starting with ${protocols.join(' or ')}; got ${JSON.stringify(value)}`,
      )
  }
  if (
    f.fillModel !== undefined &&
    f.fillModel !== 'trade' &&
    f.fillModel !== 'queue'
  )
    throw new SimError(
      `\`feed.fillModel\` must be "trade" or "queue"; got ${JSON.stringify(f.fillModel)}`,
    )
  if (
    f.symbols !== undefined &&
    (!Array.isArray(f.symbols) ||
      f.symbols.some((x) => typeof x !== 'string' || x === '') ||
      new Set(f.symbols).size !== f.symbols.length)
  )
    throw new SimError(
      `\`feed.symbols\` must be a list of distinct market symbols, e.g. ["BTC_USDC", "ETH_USDC"]; got ${JSON.stringify(f.symbols)}`,
    )
  for (const [field, v, lo] of [
    ['feed.levels', f.levels, 1],
    ['feed.reconnectDelayMs', f.reconnectDelayMs, 1],
  ] as const) {
    if (v !== undefined && !(Number.isSafeInteger(v) && v >= lo))
      throw new SimError(
        `\`${field}\` must be a whole number of at least ${lo}; got ${String(v)}`,
      )
  }
}
