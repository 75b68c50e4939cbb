/**
 * The status block of a multi-market run: one line per market (status,
 * price, rungs, position, realised profit), the total (realised profit,
 * cycles, quote committed against `maxTotalAmount`) and the latest events
 * of every market. Used by the live terminal view and by `rung status`.
 */
import type {
  MarketStatus,
  MarketsTotal,
} from '../runtime/multi/marketsStatus.js'
import type { StatusFileContent } from '../runtime/statusFile.js'
import { formatMoney, formatStatusNumbers, statusWords } from './statusView.js'
import { formatTable } from './table.js'

/** A status with the `markets` of a multi-market run. */
export type MarketsStatusContent = StatusFileContent & {
  markets: MarketStatus[]
  total: MarketsTotal
}

/** Whether a status file / top-level snapshot is a multi-market one. */
export const isMarketsStatus = (
  s: StatusFileContent,
): s is MarketsStatusContent =>
  Array.isArray(s.markets) && s.total !== undefined

/**
 * Renders the block as lines (no ANSI), for the view and for tests.
 *
 * @param s - The top-level status of a multi-market run.
 * @param width - Terminal columns; longer lines are cut with `…`.
 * @returns The lines.
 */
export function renderMarketsStatus(
  s: MarketsStatusContent,
  width = 80,
): string[] {
  const { total } = s
  const rows = s.markets.map((m) => {
    const shown = formatStatusNumbers(m)
    const state =
      m.paused !== undefined
        ? `paused: ${m.paused}`
        : m.stopped === true
          ? 'stopped'
          : (m.statusText ?? statusWords(m.status))
    return [
      m.symbol,
      state,
      shown.price,
      `${m.rungsFilled}/${m.rungsTotal}`,
      shown.position,
      formatMoney(m.realisedProfit),
    ]
  })
  const head = ['market', 'status', 'price', 'rungs', 'position', 'profit']
  // The status column is the one that can be long (a pause reason): cut
  // at 28 characters.
  const cut = (row: string[]) =>
    row.map((c, i) => (i === 1 && c.length > 28 ? `${c.slice(0, 27)}…` : c))
  const table = formatTable([head, ...rows].map(cut)).split('\n')
  const committed = `${formatMoney(total.committedQuote)}${total.maxTotalAmount === undefined ? '' : ` of ${formatMoney(total.maxTotalAmount)}`}`
  const lines = [
    `rung ${s.mode} ${s.markets.length} markets  ${s.status}  stream ${s.connection}`,
    ...table,
    `total  profit realised ${formatMoney(total.realisedProfit)}   cycles ${total.cycles}   committed ${committed}`,
    '-'.repeat(Math.min(width, 60)),
    ...s.events.slice(-6),
  ]
  return lines.map((l) =>
    l.length > width - 1 ? `${l.slice(0, width - 2)}…` : l,
  )
}
