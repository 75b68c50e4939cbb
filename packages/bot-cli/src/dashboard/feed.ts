/**
 * The dashboard's model: what the page shows, built on the server from the
 * bot's status snapshots and its trade history, and the messages that keep
 * an open page up to date (a full `snapshot` when it connects, then
 * `status` after every status change and `history` when the history grew).
 *
 * Every amount stays a decimal string: the page writes the strings it is
 * given and turns them into numbers only to plot them.
 */
import { addDecimals, compareDecimals } from '@rung/backpack-sdk'
import type { CycleRow, FillRow } from '../runtime/history/historyTypes.js'
import {
  describeStatus,
  formatMoney,
  formatStatusNumbers,
  type RestingOrder,
  type StatusSnapshot,
} from '../ui/statusView.js'

/** Length of a candle of the price chart (seconds). */
export const CANDLE_SECONDS = 60

/** Most fills the page's table lists (the chart marks every fill it was sent). */
export const TABLE_ROWS = 50

/** A candle: open time in UTC seconds, prices as decimal strings. */
export interface DashboardCandle {
  /** Open time (UTC seconds). */
  time: number
  /** First price. */
  open: string
  /** Highest price. */
  high: string
  /** Lowest price. */
  low: string
  /** Last price. */
  close: string
}

/** A point of the equity curve: realised (all time) plus unrealised profit. */
export interface EquityPoint {
  /** UTC seconds. */
  time: number
  /** Profit (quote, decimal string). */
  value: string
}

/** The figures of the status panel, ready to show (decimal strings). */
export interface DashboardStatus {
  /** Market. */
  symbol: string
  /** `paper`, `live`, `dry-run`. */
  mode: string
  /** The status in words. */
  statusText: string
  /** The bot's stream state. */
  connection: string
  /** Last price (tick decimals). */
  price: string
  /** Average entry (tick decimals). */
  averageEntry: string
  /** Take-profit target. */
  takeProfitPrice: string
  /** Distance from the price to the target, in percent (signed), or `-`. */
  tpDistance: string
  /** Base held (step decimals). */
  position: string
  /** This session's realised profit (2 decimals), and exact. */
  realisedSession: { shown: string; exact: string }
  /** All-time realised profit (2 decimals), and exact; `-` without a history. */
  realisedAllTime: { shown: string; exact: string }
  /** Unrealised profit (2 decimals), and exact; `-` when flat. */
  unrealised: { shown: string; exact: string }
  /** Fees paid in the quote asset over the history (2 decimals), and exact. */
  fees: { shown: string; exact: string }
  /** Completed cycles. */
  cycles: number
  /** Rungs filled / placed this cycle. */
  rungs: string
  /** Exact average entry and take-profit target, for the chart's lines. */
  lines: { averageEntry?: string | undefined; takeProfit?: string | undefined }
  /** When the bot wrote this status (ISO-8601). */
  updatedAt: string
}

/** The whole page's data: sent when a page connects. */
export interface DashboardView {
  /** The status panel, or null before the first status. */
  status: DashboardStatus | null
  /** The resting orders (the ladder's rungs and the exit). */
  orders: readonly RestingOrder[]
  /** The price candles, oldest first. */
  candles: DashboardCandle[]
  /** Every fill sent so far (markers), oldest first. */
  fills: FillRow[]
  /** The most recent cycles, newest first. */
  cycles: CycleRow[]
  /** The equity curve, oldest first. */
  equity: EquityPoint[]
  /** The last log lines, newest last. */
  events: readonly string[]
}

/** A message to the page. */
export type DashboardMessage =
  | { type: 'snapshot'; view: DashboardView }
  | {
      type: 'status'
      status: DashboardStatus
      orders: readonly RestingOrder[]
      candle: DashboardCandle | undefined
      equity: EquityPoint | undefined
      events: readonly string[]
    }
  | {
      type: 'history'
      fills: FillRow[]
      cycles: CycleRow[]
      candles: DashboardCandle[]
      equity: EquityPoint[]
      fees: DashboardStatus['fees']
    }

/** What the feed reads of the trade history. */
export interface HistorySource {
  /** Fills from `from` (ms, inclusive) on, oldest first. */
  fills(from: number | undefined): FillRow[]
  /** Every cycle of the market, oldest first. */
  cycles(): CycleRow[]
}

/** The status the feed is given (the status file's content, or the bot's snapshot). */
export type FeedStatus = StatusSnapshot & { updatedAt?: string | undefined }

/** The dashboard's model. */
export interface DashboardFeed {
  /** Takes a new status (and reads what the history gained). */
  update(status: FeedStatus): void
  /** The whole view, for a page that connects. */
  view(): DashboardView
  /** Subscribes to the messages; returns the unsubscribe function. */
  subscribe(listener: (message: DashboardMessage) => void): () => void
}

const fillKey = (f: FillRow) =>
  `${f.market}:${f.clientId}:${f.at}:${f.quantity}:${f.price}`

const bucket = (ms: number) =>
  Math.floor(ms / 1000 / CANDLE_SECONDS) * CANDLE_SECONDS

/**
 * Creates the dashboard's model over a history (none for a dry run).
 * @param history - The trade history's reader, if kept.
 * @param now - Clock (ms).
 */
export function createDashboardFeed(
  history: HistorySource | undefined,
  now: () => number = Date.now,
): DashboardFeed {
  const candles = new Map<number, DashboardCandle>()
  let lastTime = Number.NEGATIVE_INFINITY
  const fills: FillRow[] = []
  const seen = new Set<string>()
  let cycles: CycleRow[] = []
  let cycleCount = -1
  let liveEquity: EquityPoint[] = []
  let feesQuote = '0'
  let status: DashboardStatus | null = null
  let orders: readonly RestingOrder[] = []
  let events: readonly string[] = []
  const listeners = new Set<(message: DashboardMessage) => void>()

  /** Adds a price to its candle; returns the candle. */
  const addPrice = (ms: number, price: string): DashboardCandle => {
    const time = bucket(ms)
    const c = candles.get(time)
    if (c === undefined) {
      const fresh = { time, open: price, high: price, low: price, close: price }
      candles.set(time, fresh)
      lastTime = Math.max(lastTime, time)
      return fresh
    }
    if (compareDecimals(price, c.high) > 0) c.high = price
    if (compareDecimals(price, c.low) < 0) c.low = price
    // A fill of the past (read from the history) does not move the close.
    if (time >= lastTime) c.close = price
    lastTime = Math.max(lastTime, time)
    return c
  }

  const equity = () => mergeEquity(cycles, liveEquity)

  /** Reads what the history gained; returns the new fills and whether cycles changed. */
  const readHistory = (cycleTotal: number) => {
    if (history === undefined) return { added: [], cyclesChanged: false }
    const from = fills.at(-1)?.at
    const added: FillRow[] = []
    for (const f of history.fills(from)) {
      const key = fillKey(f)
      if (seen.has(key)) continue
      seen.add(key)
      fills.push(f)
      added.push(f)
      if (f.feeAsset === 'quote') feesQuote = addDecimals(feesQuote, f.fee)
    }
    // A cycle row changes when a fill lands (cost) or a cycle completes.
    const cyclesChanged = added.length > 0 || cycleTotal !== cycleCount
    if (cyclesChanged) {
      cycles = history.cycles()
      cycleCount = cycleTotal
    }
    return { added, cyclesChanged }
  }

  const feesShown = () => ({ shown: formatMoney(feesQuote), exact: feesQuote })

  const toStatus = (s: FeedStatus) => dashboardStatus(s, feesShown(), now)

  const send = (message: DashboardMessage) => {
    for (const l of listeners) l(message)
  }

  return {
    update(s) {
      const { added, cyclesChanged } = readHistory(s.cycles)
      const touched = new Map<number, DashboardCandle>()
      for (const f of added) {
        const c = addPrice(f.at, f.price)
        touched.set(c.time, c)
      }
      const candle =
        s.price === undefined ? undefined : addPrice(now(), s.price)
      status = toStatus(s)
      orders = s.orders ?? []
      events = s.events
      // Equity: all-time realised (this session's without a history) plus unrealised.
      const base = s.realisedAllTime ?? s.realisedProfit
      const point: EquityPoint = {
        time: Math.floor(now() / 1000),
        value:
          status.unrealised.exact === '-'
            ? base
            : addDecimals(base, status.unrealised.exact),
      }
      if (liveEquity.at(-1)?.time === point.time) liveEquity.pop()
      liveEquity.push(point)
      if (liveEquity.length > 10_000) liveEquity = liveEquity.slice(-10_000)
      if (added.length > 0 || cyclesChanged)
        send({
          type: 'history',
          fills: added,
          cycles: recentCycles(cycles),
          candles: [...touched.values()],
          equity: equity(),
          fees: feesShown(),
        })
      send({ type: 'status', status, orders, candle, equity: point, events })
    },
    view() {
      return {
        status,
        orders,
        candles: [...candles.values()].sort((a, b) => a.time - b.time),
        fills: [...fills],
        cycles: recentCycles(cycles),
        equity: equity(),
        events,
      }
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}

/** The realised curve of the completed cycles, overlaid by the live points. */
function mergeEquity(
  cycles: readonly CycleRow[],
  liveEquity: readonly EquityPoint[],
): EquityPoint[] {
  let total = '0'
  const byTime = new Map<number, string>()
  for (const c of cycles) {
    if (c.profit === null || c.endedAt === null) continue
    total = addDecimals(total, c.profit)
    byTime.set(Math.floor(c.endedAt / 1000), total)
  }
  for (const p of liveEquity) byTime.set(p.time, p.value)
  return [...byTime]
    .sort((a, b) => a[0] - b[0])
    .map(([time, value]) => ({ time, value }))
}

/** The status card's figures: shown rounded, exact beside. */
function dashboardStatus(
  s: FeedStatus,
  fees: DashboardStatus['fees'],
  now: () => number,
): DashboardStatus {
  const shown = formatStatusNumbers(s)
  const { unrealised, tpDistance } = describeStatus(s)
  const money = (v: string | undefined) => ({
    shown: formatMoney(v),
    exact: v ?? '-',
  })
  return {
    symbol: s.symbol,
    mode: s.mode,
    statusText: s.statusText ?? s.status,
    connection: s.connection,
    price: shown.price,
    averageEntry: shown.averageEntry,
    takeProfitPrice: shown.takeProfitPrice,
    tpDistance:
      tpDistance === undefined
        ? '-'
        : `${tpDistance.startsWith('-') ? '' : '+'}${tpDistance}%`,
    position: shown.position,
    realisedSession: money(s.realisedProfit),
    realisedAllTime: money(s.realisedAllTime),
    unrealised: money(unrealised),
    fees,
    cycles: s.cycles,
    rungs: `${s.rungsFilled}/${s.rungsTotal}`,
    lines: {
      averageEntry: s.averageEntry,
      takeProfit: s.takeProfitPrice,
    },
    updatedAt: s.updatedAt ?? new Date(now()).toISOString(),
  }
}

/** The table's cycles: the most recent first. */
const recentCycles = (cycles: CycleRow[]) => cycles.slice(-TABLE_ROWS).reverse()
