/**
 * The status of a multi-market run: each market's snapshot goes to its own
 * `markets/<SYMBOL>/status.json`, and `status.json` at the top of the data
 * directory holds every market and the total (realised profit, committed
 * quote against `maxTotalAmount`), for `rung status` and the status view.
 */
import { addDecimals } from '@rung/backpack-sdk'
import type { NotifyStats } from '../../notify/notifier.js'
import type { StatusSnapshot } from '../../ui/statusView.js'
import {
  createStatusWriter,
  type MarketStatus,
  type MarketsTotal,
  type StatusFileContent,
  type StatusWriter,
} from '../statusFile.js'
import type { Budget } from './budget.js'
import { marketDir } from './shared.js'

export type { MarketStatus, MarketsTotal } from '../statusFile.js'

/** The status fan-out of a multi-market run. */
export interface MarketsStatus {
  /** A market's snapshot (its ladder's `onStatus`). */
  update(symbol: string, snapshot: StatusSnapshot): void
  /** Marks a market paused (with the reason) or stopped. */
  mark(
    symbol: string,
    change: { paused?: string | undefined; stopped?: boolean },
  ): void
  /** Writes what is pending and stops. */
  close(): void
}

/**
 * Creates the status fan-out of a multi-market run.
 *
 * @param dataDir - The data directory.
 * @param symbols - The markets, in config order.
 * @param lockToken - The pid lock's token, written beside the pid.
 * @param budget - The shared budget (the total's committed quote).
 * @param onTop - Also receives each top-level status (the terminal view).
 * @param notifyStats - The notifications' delivery counts, written in the top-level status.
 * @returns The fan-out.
 */
export function createMarketsStatus(
  dataDir: string,
  symbols: readonly string[],
  lockToken: string,
  budget: Budget,
  onTop?: (content: StatusFileContent) => void,
  notifyStats?: () => NotifyStats | undefined,
): MarketsStatus {
  const writers = new Map<string, StatusWriter>(
    symbols.map((s) => [s, createStatusWriter(marketDir(dataDir, s))]),
  )
  const top = createStatusWriter(dataDir)
  const latest = new Map<string, MarketStatus>()
  const stamp = () => ({
    pid: process.pid,
    lockToken,
    updatedAt: new Date().toISOString(),
  })
  const writeTop = () => {
    const markets = symbols.flatMap((s) => {
      const m = latest.get(s)
      return m === undefined ? [] : [m]
    })
    const first = markets[0]
    if (first === undefined) return
    const total: MarketsTotal = {
      realisedProfit: markets.reduce(
        (sum, m) => addDecimals(sum, m.realisedProfit),
        '0',
      ),
      cycles: markets.reduce((sum, m) => sum + m.cycles, 0),
      committedQuote: budget.committed().total,
      ...(budget.maxTotalAmount === undefined
        ? {}
        : { maxTotalAmount: budget.maxTotalAmount }),
    }
    const paused = markets.filter((m) => m.paused !== undefined).length
    const stopped = markets.filter((m) => m.stopped === true).length
    const content: StatusFileContent = {
      symbol: markets.map((m) => m.symbol).join(', '),
      mode: first.mode,
      status: `${markets.length - paused - stopped} trading, ${paused} paused, ${stopped} stopped`,
      rungsFilled: markets.reduce((sum, m) => sum + m.rungsFilled, 0),
      rungsTotal: markets.reduce((sum, m) => sum + m.rungsTotal, 0),
      position: '-',
      realisedProfit: total.realisedProfit,
      cycles: total.cycles,
      connection: first.connection,
      events: markets
        .flatMap((m) =>
          m.events.map((e) => `${e.slice(0, 9)}${m.symbol} ${e.slice(9)}`),
        )
        .sort((a, b) => a.slice(0, 8).localeCompare(b.slice(0, 8)))
        .slice(-6),
      markets,
      total,
      ...(notifyStats ? { notify: notifyStats() } : {}),
      ...stamp(),
    }
    top.update(content)
    onTop?.(content)
  }
  return {
    update(symbol, snapshot) {
      const before = latest.get(symbol)
      const status: MarketStatus = {
        ...snapshot,
        ...(before?.paused === undefined ? {} : { paused: before.paused }),
        ...(before?.stopped === undefined ? {} : { stopped: before.stopped }),
      }
      latest.set(symbol, status)
      writers.get(symbol)?.update({ ...status, ...stamp() })
      writeTop()
    },
    mark(symbol, change) {
      const before = latest.get(symbol)
      if (before === undefined) return
      const status = { ...before, ...change }
      latest.set(symbol, status)
      writers.get(symbol)?.update({ ...status, ...stamp() })
      writeTop()
    },
    close() {
      for (const w of writers.values()) w.close()
      top.close()
    },
  }
}
