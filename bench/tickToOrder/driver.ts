/**
 * The tick-to-order benchmark's machinery: the markets it lists, the
 * `http.request` wrapper that times market-sell answers, the real `rung run`
 * started in-process against backpack-sim (on a worker thread of its own,
 * as an exchange is never on the bot's event loop), and a driver per market
 * that takes its ladder through one take profit.
 */
import { writeFileSync } from 'node:fs'
import type { IncomingMessage, RequestOptions } from 'node:http'
import { createRequire, syncBuiltinESMExports } from 'node:module'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { addDecimals, subtractDecimals } from '@rung/backpack-sdk'
import { generateKeyPair } from '@rung/backpack-sdk/signing'
import { DEFAULT_MARKETS } from '@rung/backpack-sim'
import type { LadderState } from '@rung/ladder-strategy'
import WebSocket from 'ws'
import type { StartedHandle } from '../../packages/bot-cli/src/commands/trade.js'
import { mainWithHooks } from '../../packages/bot-cli/src/main.js'
import { captureIo, tempDir } from '../../packages/bot-cli/test/e2e.js'
import { type SimThread, startSimThread } from './simThread.js'

/** A market of the benchmark: its sim listing and a second price to move to. */
export interface BenchMarket {
  config: (typeof DEFAULT_MARKETS)[number]
  /** A price a few spreads away from the initial one (the floor alternates). */
  upPrice: string
  /** A price far below the book (the floor's resting bids). */
  lowPrice: string
}

const SOL = DEFAULT_MARKETS[2] as (typeof DEFAULT_MARKETS)[number]
/** Seven more SOL-like markets, so that 10 can trade at once. */
const EXTRA = ['AVAX', 'LINK', 'DOT', 'ATOM', 'NEAR', 'APT', 'SUI'].map(
  (base) => ({ ...SOL, symbol: `${base}_USDC`, baseSymbol: base }),
)

/** BTC, ETH, SOL (the sim's defaults), then seven SOL-like markets. */
export const BENCH_MARKETS: readonly BenchMarket[] = [
  {
    config: DEFAULT_MARKETS[0] as BenchMarket['config'],
    upPrice: '65100.0',
    lowPrice: '60000.0',
  },
  {
    config: DEFAULT_MARKETS[1] as BenchMarket['config'],
    upPrice: '3410.00',
    lowPrice: '3000.00',
  },
  ...[SOL, ...EXTRA].map((config) => ({
    config,
    upPrice: '150.50',
    lowPrice: '130.00',
  })),
]

/** Rungs of every benchmark ladder (a repetition fills the top one). */
export const BENCH_ORDER_COUNT = 3

/** Value at quantile `q` (0..1) of `samples` (nearest rank). */
export function percentile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return Number.NaN
  const sorted = [...samples].sort((a, b) => a - b)
  const rank = Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)
  return sorted[Math.max(0, rank)] as number
}

/**
 * Wraps `http.request` of `node:http` (what `createNodeFetch`, the bot's
 * and the floor's transport, sends with) to note when the answer to a
 * market sell arrives (its headers, when a `fetch` would resolve), and how
 * many requests are in flight.
 */
export function watchMarketSells() {
  const http = createRequire(import.meta.url)(
    'node:http',
  ) as typeof import('node:http')
  const native = http.request
  const waiting = new Map<string, (at: number) => void>()
  let inFlight = 0
  let lastDone = performance.now()
  const done = () => {
    inFlight -= 1
    lastDone = performance.now()
  }
  http.request = ((
    url: URL,
    options: RequestOptions,
    onResponse: (res: IncomingMessage) => void,
    ...rest: unknown[]
  ) => {
    // Only the transport's calls (URL, options, callback): others, such as
    // the WebSocket upgrade of `ws`, go through untouched.
    if (!(url instanceof URL) || typeof onResponse !== 'function')
      return (native as (...a: unknown[]) => unknown)(
        url,
        options,
        onResponse,
        ...rest,
      )
    const method = options.method ?? 'GET'
    const order = url.pathname === '/api/v1/order'
    // The body (and so the side) is known at `end`, which follows at once.
    let sell: string | undefined
    let kind = method === 'DELETE' && order ? 'cancel' : 'other'
    inFlight += 1
    const request = native(url, options, (res) => {
      mark(`${kind} answered`)
      if (sell !== undefined) {
        const resolve = waiting.get(sell)
        waiting.delete(sell)
        resolve?.(performance.now())
      }
      res.once('end', done)
      onResponse(res)
    })
    request.once('error', done)
    request.once('finish', () => mark(`${kind} handed to the OS`))
    const end = request.end.bind(request)
    request.end = ((body?: string) => {
      if (
        method === 'POST' &&
        order &&
        typeof body === 'string' &&
        body.includes('"Ask"') &&
        body.includes('"Market"')
      ) {
        kind = 'sell'
        sell = (JSON.parse(body) as { symbol: string }).symbol
      }
      mark(`${kind} sent`)
      return end(body)
    }) as typeof request.end
    return request
  }) as typeof http.request
  return {
    /** Resolves with the time the next market sell of `symbol` is answered. */
    next(symbol: string): Promise<number> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no market sell of ${symbol} within 10 s`)),
          10_000,
        )
        waiting.set(symbol, (at) => {
          clearTimeout(timer)
          resolve(at)
        })
      })
    },
    /** True when no request is in flight and none ended for `quietMs`. */
    idle(quietMs: number): boolean {
      return inFlight === 0 && performance.now() - lastDone >= quietMs
    },
    restore(): void {
      http.request = native
    },
  }
}

type Sells = ReturnType<typeof watchMarketSells>

/**
 * The breakdown of a repetition (`RUNG_BENCH_BREAKDOWN=1`): marks noted
 * between the measured `setPrice` and the sell's answer (requests sent and
 * answered, seen by the `http.request` wrapper; time in fsyncs, in log-line
 * appends and in renames, seen by wrappers of `node:fs`), as ms from
 * `setPrice`.
 */
export interface Trace {
  /** Each mark and its time (ms from the measured `setPrice`). */
  marks: [string, number][]
  /** Time in fsyncs (`fsyncSync`, or `fsync` to its callback), ms, and their count. */
  fsyncMs: number
  fsyncs: number
  /** Time spent inside `appendFileSync` calls (the log file's lines) and their count. */
  logMs: number
  logs: number
  /** Time spent inside `renameSync` calls (status files, compaction) and their count. */
  renameMs: number
  renames: number
}

let tracing: { t0: number; trace: Trace } | undefined
/** Notes a mark in the traced repetition (no-op when none is traced). */
export function mark(label: string): void {
  if (tracing) tracing.trace.marks.push([label, performance.now() - tracing.t0])
}
/**
 * Times `fsyncSync`, `fsync` (to its callback), `appendFileSync` and
 * `renameSync` while a repetition is traced, and marks the end of each
 * fsync and each WebSocket frame received.
 */
export function traceFs(): () => void {
  const fs = createRequire(import.meta.url)(
    'node:fs',
  ) as typeof import('node:fs')
  const saved = {
    fsyncSync: fs.fsyncSync,
    fsync: fs.fsync,
    appendFileSync: fs.appendFileSync,
    renameSync: fs.renameSync,
  }
  const timed =
    <A extends unknown[], R>(
      f: (...a: A) => R,
      add: (t: Trace, ms: number) => void,
    ) =>
    (...a: A): R => {
      if (!tracing) return f(...a)
      const start = performance.now()
      try {
        return f(...a)
      } finally {
        if (tracing) add(tracing.trace, performance.now() - start)
      }
    }
  fs.fsyncSync = timed(saved.fsyncSync, (t, ms) => {
    t.fsyncMs += ms
    t.fsyncs += 1
    // When the journal's write-ahead ends, beside the requests' marks.
    t.marks.push(['fsync done', performance.now() - (tracing?.t0 ?? 0)])
  })
  // The journal's write-ahead of a step with requests: fsync on the thread
  // pool, timed from the call to its callback (the requests wait for it).
  fs.fsync = ((fd: number, callback: (error: Error | null) => void) => {
    const trace = tracing?.trace
    const start = performance.now()
    saved.fsync(fd, (error) => {
      if (trace !== undefined && tracing?.trace === trace) {
        trace.fsyncMs += performance.now() - start
        trace.fsyncs += 1
        trace.marks.push(['fsync done', performance.now() - tracing.t0])
      }
      callback(error)
    })
  }) as typeof fs.fsync
  fs.appendFileSync = timed(saved.appendFileSync, (t, ms) => {
    t.logMs += ms
    t.logs += 1
  })
  fs.renameSync = timed(saved.renameSync, (t, ms) => {
    t.renameMs += ms
    t.renames += 1
  })
  syncBuiltinESMExports()
  // Each WebSocket frame the bot's connection receives (the SDK's `ws`).
  const emit = WebSocket.prototype.emit
  WebSocket.prototype.emit = function (
    this: WebSocket,
    event: string | symbol,
    ...args: unknown[]
  ) {
    if (event === 'message') mark('frame received')
    return emit.call(this, event, ...args)
  }
  return () => {
    Object.assign(fs, saved)
    syncBuiltinESMExports()
    WebSocket.prototype.emit = emit
  }
}
/** The traces of the repetitions, when `RUNG_BENCH_BREAKDOWN` is set. */
export const traces: Trace[] = []
const BREAKDOWN = process.env.RUNG_BENCH_BREAKDOWN === '1'

/** Polls `check` every 2 ms until it returns a value, or fails after 10 s. */
async function until<T>(
  check: () => T | undefined,
  what: string | (() => string),
  nudge?: () => void,
): Promise<T> {
  const deadline = Date.now() + 10_000
  let last = Date.now()
  for (;;) {
    const value = check()
    if (value !== undefined) return value
    if (Date.now() > deadline)
      throw new Error(
        `timed out waiting for ${typeof what === 'string' ? what : what()}`,
      )
    if (nudge && Date.now() - last > 100) {
      nudge()
      last = Date.now()
    }
    await new Promise((r) => setTimeout(r, 2))
  }
}

/** Takes one market's ladder through fills and take profits. */
export interface MarketDriver {
  symbol: string
  /** Fills the top rung, waits until the bot is idle, then crosses the take profit: ms to the sell's answer. */
  crossTakeProfit(): Promise<number>
}

async function driver(
  sim: SimThread,
  symbol: string,
  state: () => LadderState | undefined,
  sells: Sells,
): Promise<MarketDriver> {
  const best = await sim.top(symbol)
  // Best ask minus best bid: a price this far past a rung crosses it.
  const spread = subtractDecimals(best.ask, best.bid)
  return {
    symbol,
    async crossTakeProfit() {
      // 1. The ladder is on the book (a new cycle waits for a price: nudge it).
      const laddered = await until(
        () => {
          const s = state()
          if (s?.status !== 'laddering' || !sells.idle(5)) return undefined
          const open = s.orders.filter(
            (o) => o.side === 'buy' && o.cycle === s.cycle,
          )
          return open.every((o) => o.status === 'open') ? open : undefined
        },
        () =>
          `${symbol} ladder ${JSON.stringify({ s: state()?.status, o: state()?.orders.map((o) => [o.side, o.status, o.cycle]), c: state()?.cycle, idle: sells.idle(5) })}`,
        () => sim.nudge(symbol),
      )
      const top = laddered.reduce((a, b) =>
        b.priceTicks > a.priceTicks ? b : a,
      )
      // 2. A drop past the top rung fills it; wait until the bot is idle.
      sim.setPrice(symbol, subtractDecimals(top.price, spread))
      const tp = await until(() => {
        const s = state()
        return s?.status === 'inPosition' && sells.idle(20)
          ? s.takeProfitPrice
          : undefined
      }, `${symbol} position`)
      // 3. The measured move: the best bid goes above the take profit.
      const sold = sells.next(symbol)
      const t0 = performance.now()
      const trace: Trace = {
        marks: [],
        fsyncMs: 0,
        fsyncs: 0,
        logMs: 0,
        logs: 0,
        renameMs: 0,
        renames: 0,
      }
      if (BREAKDOWN) {
        await sim.marks() // what the sim did before the measured move
        tracing = { t0, trace }
      }
      sim.setPrice(symbol, addDecimals(tp, spread))
      const t1 = await sold
      tracing = undefined
      if (BREAKDOWN) {
        // The sim's marks, on this thread's clock (both count from their
        // thread's timeOrigin; absolute times line them up).
        for (const [label, at] of await sim.marks())
          trace.marks.push([label, at - performance.timeOrigin - t0])
        traces.push(trace)
      }
      return t1 - t0
    },
  }
}

/** A running bot and its drivers. */
export interface BenchBot {
  /** `startBot (classic config)` or `runMarkets (markets list)`. */
  path: string
  drivers: MarketDriver[]
  stop(): Promise<void>
}

/**
 * Starts a sim listing `markets` and the real `rung run` on them: a classic
 * config for one market, a `markets` list for several.
 */
export async function startBenchBot(
  markets: readonly BenchMarket[],
  sells: Sells,
): Promise<BenchBot> {
  const sim = await startSimThread({
    feed: { mode: 'manual' },
    depthHeartbeatMs: false,
    balances: { USDC: '1000000' },
    markets: markets.map((m) => m.config),
  })
  const dir = tempDir('rung-bench-')
  const classic = markets.length === 1
  const trading = {
    maxDropPercentage: 3,
    orderCount: BENCH_ORDER_COUNT,
    incrementPercentage: 50,
    takeProfitPercentage: 0.3,
  }
  const first = markets[0]?.config.baseSymbol
  writeFileSync(
    join(dir, 'rung.config.json'),
    JSON.stringify({
      ...(classic
        ? { trading: { ...trading, tradingCoin: first, totalAmount: 1000 } }
        : {
            maxTotalAmount: String(1000 * markets.length),
            trading,
            markets: markets.map((m) => ({
              symbol: m.config.symbol,
              totalAmount: '1000',
            })),
          }),
      actions: {
        sellNonUsdcAssets: false,
        cancelAllOrders: true,
        restartAfterTakeProfit: true,
        autoRestartNoFill: false,
      },
      advanced: { minOrderAmount: 10, checkOrdersIntervalMinutes: 60 },
      websocket: {
        url: 'wss://ws.backpack.exchange',
        options: { reconnectInterval: 100, maxReconnectAttempts: 0 },
      },
    }),
    { mode: 0o600 },
  )
  const keys = generateKeyPair()
  const { io, stderr } = captureIo(
    { BACKPACK_API_KEY: keys.publicKey, BACKPACK_API_SECRET: keys.secretKey },
    dir,
  )
  let handle: StartedHandle | undefined
  const exit = mainWithHooks(
    [
      'run',
      '--config',
      join(dir, 'rung.config.json'),
      '--data-dir',
      join(dir, 'data'),
      '--base-url',
      sim.url,
      '--ws-url',
      sim.wsUrl,
      '--no-ui',
    ],
    io,
    { onStarted: (h) => (handle = h) },
  )
  let ended: number | undefined
  void exit.then((code) => (ended = code))
  const started = await until(() => {
    if (handle === undefined && ended !== undefined)
      throw new Error(`rung run exited ${ended}:\n${stderr()}`)
    return handle
  }, 'the bot to start')
  const stateOf = (symbol: string) =>
    classic ? () => started.state() : () => started.ladders?.[symbol]?.state()
  return {
    path: classic ? 'startBot, classic config' : 'runMarkets, markets list',
    drivers: await Promise.all(
      markets.map((m) =>
        driver(sim, m.config.symbol, stateOf(m.config.symbol), sells),
      ),
    ),
    async stop() {
      started.stop()
      await exit
      await sim.close()
    },
  }
}
