/**
 * `startSim`: wires one simulator together. The pieces live in their own
 * rooms: the options and their checks in `options.ts`, the matching engine in
 * `engine/`, the market feed in `feed.ts`, the HTTP server in `server/`, the
 * REST routes in `rest.ts`, the WebSocket streams in `streams.ts`, the admin
 * API in `admin/`, fault injection in `faults/`, and the handle it returns in
 * `handle.ts`.
 */
import { adminRoute } from './admin/routes.js'
import { Engine } from './engine/engine.js'
import type { EngineListener } from './engine/types.js'
import { SimError } from './errors.js'
import { FaultState } from './faults.js'
import { createFeed } from './feed.js'
import { createHandle, type Sim } from './handle.js'
import { MarketData } from './marketdata.js'
import { DEFAULT_MARKETS, type Market, toMarket } from './markets.js'
import {
  Mirror,
  type MirrorFeedOptions,
  publicUpstream,
  upstreamMarket,
} from './mirror/mirror.js'
import {
  checkOptions,
  DEFAULT_BALANCES,
  type SimFeedOptions,
  type SimOptions,
} from './options.js'
import { createSimServer, listen } from './server/server.js'
import { StreamHub } from './streams.js'

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
  // A mirror lists the upstream's markets (their rules, at their prices),
  // all followed on the one upstream stream.
  const upstream =
    feedOpts.mode === 'mirror' ? publicUpstream(feedOpts) : undefined
  let markets: Market[]
  try {
    markets = []
    if (feedOpts.mode === 'mirror' && upstream)
      for (const symbol of mirroredSymbols(feedOpts))
        markets.push(toMarket(await upstreamMarket(upstream, symbol)))
    else markets = listedMarkets(options)
  } catch (error) {
    upstream?.stream.close()
    throw error
  }
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
  const faults = new FaultState(options.faults ?? {}, (parts) => {
    engine.splitFills = parts
  })
  const timers: NodeJS.Timeout[] = []
  const feed = createFeed(
    engine,
    markets,
    feedOpts,
    options.liquidity,
    seed,
    timers,
  )
  const mirrors =
    feedOpts.mode === 'mirror' && upstream
      ? markets.map(
          (m) =>
            new Mirror(engine, m, upstream, feedOpts, (level, message) =>
              logger[level]?.(message),
            ),
        )
      : []
  const closeMirrors = () => {
    for (const m of mirrors) m.close()
    upstream?.stream.close()
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

  const allowed = options.keys ? new Set(options.keys) : undefined
  const symbols = markets.map((m) => m.symbol)
  const server = createSimServer({
    ctx: { engine, data, now, createdAt: now() },
    faults,
    logger,
    allowed,
    maxBodyBytes: options.maxBodyBytes ?? 1_048_576,
    maxHeaderBytes: options.maxHeaderBytes ?? 16_384,
    admin:
      options.admin === false
        ? undefined
        : (method, path, query, body) =>
            adminRoute(sim, symbols, method, path, query, body),
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

  try {
    await Promise.all(mirrors.map((m) => m.ready()))
  } catch (error) {
    closeMirrors()
    for (const t of timers) clearInterval(t)
    await hub.close()
    throw error
  }
  const port = await listen(server, host, options.port ?? 0)
  let closed = false
  const sim: Sim = createHandle({
    origin: `${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    engine,
    feed,
    faults,
    hub,
    markets,
    mirrors,
    async close() {
      if (closed) return
      closed = true
      closeMirrors()
      for (const t of timers) clearInterval(t)
      await hub.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  })
  logger.info?.(`backpack-sim listening on ${sim.url} (WebSocket ${sim.wsUrl})`)
  return sim
}

/** The listed markets, their filters parsed. */
function listedMarkets(options: SimOptions): Market[] {
  const marketConfigs = options.markets ?? DEFAULT_MARKETS
  if (marketConfigs.length === 0) {
    throw new SimError('`markets` must list at least one market')
  }
  return marketConfigs.map((c) => {
    try {
      return toMarket(c)
    } catch (cause) {
      throw new SimError(
        `Market ${c.symbol} has an invalid filter: use decimal strings such as "0.01"`,
        { cause },
      )
    }
  })
}

/** The markets a mirror follows: `symbols`, else `symbol`, else BTC_USDC. */
function mirroredSymbols(feed: MirrorFeedOptions): readonly string[] {
  if (feed.symbols !== undefined && feed.symbols.length > 0) return feed.symbols
  return [feed.symbol ?? 'BTC_USDC']
}
