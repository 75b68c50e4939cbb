/**
 * The dashboard of a multi-market run: one page per market (the same page
 * as a one-market bot, `?market=SOL_USDC`), each with a bar that lists every
 * market (its state and realised profit, a link to its page) and the total
 * (realised profit, cycles, quote committed against `maxTotalAmount`).
 * This module keeps that bar's model, fed by the run's top-level status.
 */
import type { MarketsStatusContent } from '../ui/marketsView.js'
import {
  formatMoney,
  formatStatusNumbers,
  statusWords,
} from '../ui/statusView.js'
import type { DashboardFeed } from './feed.js'

/** One market in the bar. */
export interface DashboardMarket {
  /** Market, e.g. `SOL_USDC`. */
  symbol: string
  /** Its state in words (`in position`, `paused: …`, `stopped`). */
  state: string
  /** Last price (tick decimals), or `-`. */
  price: string
  /** This session's realised profit: shown (2 decimals) and exact. */
  profit: { shown: string; exact: string }
}

/** The bar: every market and the total. */
export interface DashboardMarkets {
  /** The markets, in config order. */
  markets: DashboardMarket[]
  /** The total over every market. */
  total: {
    /** Realised profit this session: shown and exact. */
    profit: { shown: string; exact: string }
    /** Completed cycles. */
    cycles: number
    /** Quote committed now (2 decimals). */
    committed: string
    /** The cap (2 decimals), or `-`. */
    cap: string
  }
}

/** The bar's model, with listeners. */
export interface MarketsSummary {
  /** Takes a new top-level status. */
  update(status: MarketsStatusContent): void
  /** The current bar, or null before the first status. */
  view(): DashboardMarkets | null
  /** Subscribes to every new bar; returns the unsubscribe function. */
  subscribe(listener: (markets: DashboardMarkets) => void): () => void
}

/** What the dashboard server needs of a multi-market run. */
export interface MarketsDashboard {
  /** Each market's page model, in config order (the first is the default page). */
  feeds: ReadonlyMap<string, DashboardFeed>
  /** The bar. */
  summary: MarketsSummary
}

/**
 * The bar of a top-level status.
 *
 * @param s - The run's top-level status.
 * @returns What the page shows.
 */
export function dashboardMarkets(s: MarketsStatusContent): DashboardMarkets {
  return {
    markets: s.markets.map((m) => ({
      symbol: m.symbol,
      state:
        m.paused !== undefined
          ? `paused: ${m.paused}`
          : m.stopped === true
            ? 'stopped'
            : (m.statusText ?? statusWords(m.status)),
      price: formatStatusNumbers(m).price,
      profit: { shown: formatMoney(m.realisedProfit), exact: m.realisedProfit },
    })),
    total: {
      profit: {
        shown: formatMoney(s.total.realisedProfit),
        exact: s.total.realisedProfit,
      },
      cycles: s.total.cycles,
      committed: formatMoney(s.total.committedQuote),
      cap:
        s.total.maxTotalAmount === undefined
          ? '-'
          : formatMoney(s.total.maxTotalAmount),
    },
  }
}

/** Creates the bar's model. */
export function createMarketsSummary(): MarketsSummary {
  let latest: DashboardMarkets | null = null
  const listeners = new Set<(markets: DashboardMarkets) => void>()
  return {
    update(status) {
      const next = dashboardMarkets(status)
      latest = next
      for (const l of listeners) l(next)
    },
    view: () => latest,
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}
