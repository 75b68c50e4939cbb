/**
 * Tick to order: how long the bot takes from a price frame that crosses its
 * take profit to the acknowledgement of the sell order it sends, beside the
 * floor measured in the same run against the same simulator.
 *
 * Which path: the default take profit (`takeProfitOrder: 'market'`, see
 * docs/strategy.md and ladder-strategy machine/takeProfit.ts) is not a
 * resting order: the bot watches the best bid (`bookTicker`) and, when a
 * `priceUpdated` reaches `takeProfitPrice`, `step` emits a market sell that
 * the executor sends. That is the path measured (a resting limit take
 * profit, `takeProfitOrder: 'limit'`, is filled by the exchange's matching
 * and needs no order from the bot at the crossing, so it has no
 * tick-to-order latency of its own).
 *
 *   sim.setPrice() ──frame──► SDK stream client ──► queue ──► step
 *        t0                                              │ journal (fsync)
 *                      POST /api/v1/order (market sell) ◄┘ executor
 *                                 t1 = its HTTP answer arrives
 *
 * - Bot: the real `rung run` (mainWithHooks, the code `rung trade` runs:
 *   config, SDK REST + WS clients, startBot / runMarkets, the live
 *   executor, journal and status file) against backpack-sim on loopback,
 *   the sim on a worker thread of its own (an exchange is never on the
 *   bot's event loop: in one thread the sim's signature checks and matching
 *   queued behind the bot's work and the bot's behind them, which charged
 *   both rows for CPU that a real exchange spends elsewhere).
 *   Each repetition fills the top rung (a price drop), waits until the bot
 *   is idle in position, then moves the price above the take profit; the
 *   latency is from that `setPrice` to the answer of the bot's market sell.
 *   The cycle then restarts by itself (restartAfterTakeProfit).
 * - Floor: the same sim, no bot: `setPrice`, the `bookTicker` frame
 *   received by an SDK stream client, then one market sell POSTed by an SDK
 *   REST client, to its answer. Beside it, the same with the requests the
 *   strategy's exit sends: the cancels of the rungs still open, one after
 *   another before the sell (how the bot sent them before issue 17), and
 *   in flight together with the sell, started first (how it sends them
 *   now), so the bot's own cost (queue, step, journal fsync, bookkeeping)
 *   is the ratio to that last row.
 *
 * Both send with the same transport, `createNodeFetch` (what `rung run`
 * uses), and are timed at the same point: `http.request` is wrapped to
 * note when the answer to a market sell arrives.
 * `RUNG_BENCH_REPS` sets the repetitions (default 200 per row).
 * `RUNG_BENCH_BREAKDOWN=1` also prints, per bot row, the median time from
 * `setPrice` to each request sent (handed to the transport), handed to
 * the OS and answered, and the time spent in fsyncs (`fsyncSync`, or
 * `fsync` on the thread pool to its callback: the journal's write-ahead
 * of a step with requests), log-line appends and renames (the breakdown
 * of issue 17), and the simulator's own marks (each request got and
 * answered, each WebSocket frame sent, on its thread, lined up by absolute
 * time).
 */
import { closeSync, fsyncSync, openSync, rmSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import {
  createBackpackClient,
  createNodeFetch,
  createStreamClient,
} from '@rung/backpack-sdk'
import { generateKeyPair } from '@rung/backpack-sdk/signing'
import { tempDir } from '../packages/bot-cli/test/e2e.js'
import {
  BENCH_MARKETS,
  BENCH_ORDER_COUNT,
  type BenchMarket,
  type MarketDriver,
  percentile,
  startBenchBot,
  type Trace,
  traceFs,
  traces,
  watchMarketSells,
} from './tickToOrder/driver.js'
import { startSimThread } from './tickToOrder/simThread.js'

const REPS = Number(process.env.RUNG_BENCH_REPS ?? 200)
/**
 * Rows of the table: how many markets the bot runs. One market is a classic
 * config (a one-entry `markets` list runs the same single-ladder path);
 * several are a `markets` list (runMarkets: one connection, one REST client).
 */
const MARKET_COUNTS = [1, 10] as const

/** One row: p50 and p99 in ms, or why there is none. */
interface Row {
  name: string
  samples: number[]
}

/** Cancels the exit sends before its sell: the rungs left open after one fill. */
const EXIT_CANCELS = BENCH_ORDER_COUNT - 1

/**
 * The floor on the same sim, no bot: the frame, then one market sell; and,
 * with `cancels`, the requests the strategy's exit sends (a cancel per open
 * rung and the sell): one after another, or with `together` all in flight
 * at once, the sell started first, so the bot's own cost shows apart from
 * its requests.
 */
async function floor(
  market: BenchMarket,
  sells: ReturnType<typeof watchMarketSells>,
  cancels: number,
  together = false,
  writeAhead = false,
): Promise<Row> {
  const sim = await startSimThread({
    feed: { mode: 'manual' },
    depthHeartbeatMs: false,
    balances: { USDC: '1000000' },
    markets: [market.config],
  })
  const transport = createNodeFetch()
  try {
    const symbol = market.config.symbol
    const { publicKey, secretKey } = generateKeyPair()
    const client = createBackpackClient({
      baseUrl: sim.url,
      apiKey: publicKey,
      secretKey,
      retry: false,
      fetch: transport,
    })
    await client.getBalances() // opens the account
    await sim.credit(publicKey, market.config.baseSymbol, '1000')
    const stream = createStreamClient({ url: sim.wsUrl })
    let onFrame: (() => void) | undefined
    stream.subscribe(`bookTicker.${symbol}`, () => onFrame?.())
    await stream.ready()
    await new Promise((r) => setTimeout(r, 50))
    const prices = [market.config.initialPrice, market.upPrice]
    const samples: number[] = []
    // `writeAhead`: one line appended and fsynced before the requests, as
    // the bot's journal does (in a temp dir on the disk the bot's uses).
    const walDir = writeAhead ? tempDir('rung-bench-wal-') : undefined
    const journal =
      walDir === undefined
        ? undefined
        : openSync(join(walDir, 'journal.jsonl'), 'a')
    const line = `${JSON.stringify({ type: 'event', event: { type: 'priceUpdated', price: market.upPrice } })}\n`
    for (let i = 0; i < REPS + 10; i++) {
      // Resting bids far below the book, as the rungs left after a fill.
      const resting: number[] = []
      for (let k = 0; k < cancels; k++) {
        const id = 1 + i * 8 + k
        await client.executeOrder({
          symbol,
          side: 'Bid',
          orderType: 'Limit',
          price: market.lowPrice,
          quantity: market.config.minQuantity,
          clientId: id,
        })
        resting.push(id)
      }
      const sold = sells.next(symbol)
      const frame = new Promise<void>((r) => {
        onFrame = r
      })
      const t0 = performance.now()
      sim.setPrice(symbol, prices[i % 2] as string)
      await frame
      onFrame = undefined
      if (journal !== undefined) {
        writeSync(journal, line)
        fsyncSync(journal)
      }
      const sell = () =>
        client.executeOrder({
          symbol,
          side: 'Ask',
          orderType: 'Market',
          quantity: market.config.minQuantity,
        })
      if (together)
        await Promise.all([
          sell(),
          ...resting.map((clientId) =>
            client.cancelOrder({ symbol, clientId }),
          ),
        ])
      else {
        for (const clientId of resting)
          await client.cancelOrder({ symbol, clientId })
        await sell()
      }
      const t1 = await sold
      if (i >= 10) samples.push(t1 - t0) // the first 10 warm up
    }
    await stream.close()
    if (journal !== undefined) closeSync(journal)
    if (walDir !== undefined) rmSync(walDir, { recursive: true, force: true })
    return {
      name:
        cancels === 0
          ? 'floor: WS frame + one order POST (SDK, no bot)'
          : writeAhead
            ? `floor + ${cancels} cancels with it + one fsync first`
            : together
              ? `floor + the exit's ${cancels} cancels with the sell`
              : `floor + the exit's ${cancels} cancels before the sell`,
      samples,
    }
  } finally {
    transport.close()
    await sim.close()
  }
}

async function bot(
  count: number,
  sells: ReturnType<typeof watchMarketSells>,
): Promise<Row> {
  const markets = BENCH_MARKETS.slice(0, count)
  const run = await startBenchBot(markets, sells)
  try {
    const drivers = run.drivers
    const samples: number[] = []
    for (let i = 0; i < REPS + 10; i++) {
      // Round robin: each repetition crosses one market's take profit while
      // the others hold their ladders on the same connection.
      const d = drivers[i % drivers.length] as MarketDriver
      const dt = await d.crossTakeProfit()
      if (i >= 10) samples.push(dt)
    }
    const name = `bot: ${count} market${count === 1 ? '' : 's'} (${run.path})`
    if (traces.length > 0) printBreakdown(name, traces.splice(0).slice(10))
    return { name, samples }
  } finally {
    await run.stop()
  }
}

/**
 * `RUNG_BENCH_BREAKDOWN=1`: where a repetition's time goes, as the median
 * over the repetitions of each mark (the n-th time a label is noted in a
 * repetition is its own row), in ms from the measured `setPrice`.
 */
function printBreakdown(name: string, all: readonly Trace[]): void {
  const at = new Map<string, number[]>()
  for (const t of all) {
    const seen = new Map<string, number>()
    for (const [label, ms] of t.marks) {
      const n = (seen.get(label) ?? 0) + 1
      seen.set(label, n)
      const key = `${label} #${n}`
      at.set(key, [...(at.get(key) ?? []), ms])
    }
  }
  const rows = [...at].sort(
    (a, b) => percentile(a[1], 0.5) - percentile(b[1], 0.5),
  )
  console.log(`\n### breakdown: ${name} (median ms from setPrice; reps seen)`)
  for (const [key, ms] of rows)
    console.log(
      `${key.padEnd(32)} ${percentile(ms, 0.5).toFixed(3).padStart(8)}  ${String(ms.length).padStart(4)}`,
    )
  const med = (f: (t: Trace) => number) =>
    percentile(all.map(f), 0.5).toFixed(3)
  console.log(
    `fsync (sync, or on the thread pool to its callback): ${med((t) => t.fsyncMs)} ms in ${med((t) => t.fsyncs)} calls; log lines (appendFileSync): ${med((t) => t.logMs)} ms in ${med((t) => t.logs)}; renameSync: ${med((t) => t.renameMs)} ms in ${med((t) => t.renames)}`,
  )
}

function print(rows: readonly Row[]): void {
  const p = (r: Row | undefined, q: number) =>
    r ? percentile(r.samples, q) : Number.NaN
  const [bare, , same, ahead] = rows
  console.log(
    `\n## tick to order: price frame crossing the take profit -> sell order acknowledged (${REPS} repetitions a row, loopback)`,
  )
  console.log(
    `${'case'.padEnd(52)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)}  p50 vs floor  p99 vs floor  p50 vs same requests  p50 vs same + fsync`,
  )
  for (const [i, r] of rows.entries()) {
    const cell = (x: number, y: number, width: number, self: boolean) =>
      (self ? 'baseline' : `${(x / y).toFixed(2)}x`).padStart(width)
    const p50 = p(r, 0.5)
    console.log(
      [
        r.name.padEnd(52),
        p50.toFixed(3).padStart(8),
        p(r, 0.99).toFixed(3).padStart(8),
        ` ${cell(p50, p(bare, 0.5), 12, i === 0)}`,
        ` ${cell(p(r, 0.99), p(bare, 0.99), 12, i === 0)}`,
        ` ${i < 4 ? ''.padStart(20) : cell(p50, p(same, 0.5), 20, false)}`,
        ` ${i < 4 ? '' : cell(p50, p(ahead, 0.5), 19, false)}`,
      ]
        .join(' ')
        .trimEnd(),
    )
  }
  console.log(
    'same requests: the floor plus the cancels the exit sends, in flight with its sell (as the bot sends them since issue 17)',
  )
  console.log(
    "same + fsync: that, after appending and fsyncing one line first (the journal's write-ahead, which no crash-safe bot skips)",
  )
  console.log('goal (issue 17): bot p50 <= 1.5x the floor with 10 markets')
}

export default async function tickToOrder(): Promise<void> {
  const sells = watchMarketSells()
  const untraceFs =
    process.env.RUNG_BENCH_BREAKDOWN === '1' ? traceFs() : () => {}
  try {
    const btc = BENCH_MARKETS[0] as BenchMarket
    // A whole floor row to warm up, discarded: the first row of a process
    // otherwise runs its SDK and sim code in V8's colder tiers, which made
    // the floor slower than the floors with more requests after it.
    await floor(btc, sells, EXIT_CANCELS, true)
    const rows: Row[] = [
      await floor(btc, sells, 0),
      await floor(btc, sells, EXIT_CANCELS),
      await floor(btc, sells, EXIT_CANCELS, true),
      await floor(btc, sells, EXIT_CANCELS, true, true),
    ]
    for (const count of MARKET_COUNTS) rows.push(await bot(count, sells))
    print(rows)
  } finally {
    untraceFs()
    sells.restore()
  }
}
