/**
 * `rung history` and `rung report`: what the trade history of a data
 * directory holds (cycles, fills, leftover sales, sessions) and what it adds
 * up to (realised profit per day, week or month, fees, win rate, cycle
 * times, capital in use). `rung history --rebuild` writes the history again
 * from the journal and its archive.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import {
  addDecimals,
  compareDecimals,
  divideDecimals,
} from '@rung/backpack-sdk'
import { type LadderState, step } from '@rung/ladder-strategy'
import type { CommandContext } from '../config/context.js'
import { EXIT, ExitError } from '../errors.js'
import type { CliIo } from '../io.js'
import type { JournalNote, JournalSnapshot } from '../runtime/bot.js'
import {
  type CycleRow,
  type FillRow,
  HISTORY_FILE,
  type HistoryFilter,
  type HistoryStore,
  openHistory,
} from '../runtime/historyStore.js'
import { readJournalRecord } from '../runtime/journal.js'
import { tradeRecords } from '../runtime/tradeRecord.js'
import { formatMoney } from '../ui/statusView.js'
import { formatTable } from './backtest.js'

/** What {@link rebuildHistory} read. */
export interface RebuildSummary {
  /** Journal lines replayed (snapshots, events, notes). */
  lines: number
  /** Lines that did not parse (torn appends), skipped. */
  skipped: number
  /** Sessions found. */
  sessions: number
}

/**
 * Writes the trade history again from the journal and its archive: every
 * snapshot restarts the replay, every event is stepped through the strategy
 * and its trade records written, every note (sessions, leftover sales) is
 * stored. The result is the history a live run would have written.
 *
 * @param journalPath - The journal (its archive is read first).
 * @param history - The history to clear and fill (one transaction).
 * @returns What was read.
 */
export function rebuildHistory(
  journalPath: string,
  history: HistoryStore,
): RebuildSummary {
  const { lines, skipped } = readJournalRecord(journalPath)
  let sessions = 0
  history.transaction(() => {
    history.clear()
    let state: LadderState | undefined
    let session: string | null = null
    for (const line of lines) {
      if (line.type === 'snapshot') {
        state = (line.state as JournalSnapshot | undefined)?.ladder
      } else if (line.type === 'event') {
        if (state === undefined) continue
        const event = line.event as Parameters<typeof step>[1]
        const [next, commands] = step(state, event)
        history.write(tradeRecords(state, event, next, commands), session)
        state = next
      } else {
        const note = line.note as JournalNote
        if (note.kind === 'sessionStarted') {
          sessions++
          session = note.id
          history.beginSession({
            id: note.id,
            market: note.market,
            mode: note.mode,
            startedAt: line.at,
            resumed: note.resumed,
          })
        } else if (note.kind === 'sessionEnded') {
          history.endSession(note.id, line.at, note.reason)
        } else if (note.kind === 'leftoverSold') {
          history.writeLeftover(note.sale, note.session)
        }
      }
    }
  })
  return { lines: lines.length, skipped, sessions }
}

/** Flags of `rung history` and `rung report`. */
export interface HistoryCommandOptions {
  /** `--from`: a UTC date (`2024-01-01`) or an ISO time. */
  from?: string | undefined
  /** `--to`: a UTC date (inclusive: the whole day) or an ISO time (exclusive). */
  to?: string | undefined
  /** `--market`, e.g. `BTC_USDC`. */
  market?: string | undefined
}

/**
 * Parses `--from` / `--to`.
 * @throws {ExitError} (exit 2) naming the flag.
 */
export function parseRange(options: HistoryCommandOptions): HistoryFilter {
  const time = (flag: string, text: string, endOfDay: boolean): number => {
    const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text)
    const ms = Date.parse(dateOnly ? `${text}T00:00:00Z` : text)
    if (!Number.isFinite(ms))
      throw new ExitError(
        EXIT.usage,
        `${flag} ${JSON.stringify(text)} is not a date.\nFix: write a UTC date such as 2024-01-31, or an ISO time such as 2024-01-31T12:00:00Z.`,
      )
    return dateOnly && endOfDay ? ms + 86_400_000 : ms
  }
  const filter: HistoryFilter = {
    ...(options.market === undefined ? {} : { market: options.market }),
    ...(options.from === undefined
      ? {}
      : { from: time('--from', options.from, false) }),
    ...(options.to === undefined ? {} : { to: time('--to', options.to, true) }),
  }
  if (
    filter.from !== undefined &&
    filter.to !== undefined &&
    filter.to <= filter.from
  )
    throw new ExitError(
      EXIT.usage,
      `--to ${options.to} is not after --from ${options.from}.\nFix: swap them, or widen the range.`,
    )
  return filter
}

/** Opens the data directory's history, refusing a missing one with the fix. */
function openExisting(ctx: CommandContext, create: boolean): HistoryStore {
  const path = join(ctx.settings.dataDir, HISTORY_FILE)
  if (!create && !existsSync(path))
    throw new ExitError(
      EXIT.usage,
      `No trade history in ${ctx.settings.dataDir} (no ${HISTORY_FILE}).\nFix: pass the bot's --data-dir (paper trading keeps its own: --data-dir .rung/paper), or run \`rung history --rebuild\` to write it from the journal.`,
    )
  return openHistory(path)
}

const iso = (ms: number | null) =>
  ms === null ? '-' : new Date(ms).toISOString().replace('.000Z', 'Z')

const csvCell = (v: unknown) => {
  const text = v === null || v === undefined ? '' : String(v)
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}
const toCsv = (rows: readonly object[]): string => {
  const first = rows[0]
  if (first === undefined) return ''
  const keys = Object.keys(first)
  const cells = (r: object) =>
    keys.map((k) => csvCell((r as Record<string, unknown>)[k])).join(',')
  return `${[keys.join(','), ...rows.map(cells)].join('\n')}\n`
}

/** Which table `rung history` prints. */
export type HistoryTable = 'cycles' | 'fills' | 'leftovers' | 'sessions'

/**
 * `rung history`: cycles and fills (or one table) of the data directory's
 * trade history, as a table, JSON or CSV; `--rebuild` writes it again from
 * the journal first.
 */
export function historyCommand(
  ctx: CommandContext,
  io: CliIo,
  options: HistoryCommandOptions & {
    table?: HistoryTable | undefined
    csv?: boolean | undefined
    rebuild?: boolean | undefined
  },
): void {
  const filter = parseRange(options)
  const history = openExisting(ctx, options.rebuild === true)
  try {
    if (options.rebuild) {
      const journal = join(ctx.settings.dataDir, 'journal.jsonl')
      const summary = rebuildHistory(journal, history)
      io.stderr.write(
        `Rebuilt ${history.path} from ${summary.lines} journal lines (${summary.sessions} sessions${summary.skipped > 0 ? `, ${summary.skipped} torn lines skipped` : ''}).\n`,
      )
    }
    const tables = {
      cycles: () => history.cycles(filter),
      fills: () => history.fills(filter),
      leftovers: () => history.leftovers(filter),
      sessions: () => history.sessions(filter),
    }
    if (options.csv) {
      io.stdout.write(toCsv(tables[options.table ?? 'fills']()))
      return
    }
    const wanted: HistoryTable[] =
      options.table === undefined ? ['cycles', 'fills'] : [options.table]
    if (ctx.json) {
      io.stdout.write(
        `${JSON.stringify(Object.fromEntries(wanted.map((t) => [t, tables[t]()])))}\n`,
      )
      return
    }
    for (const t of wanted) {
      const rows = tables[t]()
      io.stdout.write(`${t} (${rows.length})\n`)
      if (rows.length === 0) continue
      io.stdout.write(`${formatTable(plainRows(t, rows))}\n\n`)
    }
  } finally {
    history.close()
  }
}

function plainRows(table: HistoryTable, rows: readonly object[]): string[][] {
  switch (table) {
    case 'cycles':
      return [
        [
          'market',
          'cycle',
          'started',
          'ended',
          'reason',
          'cost',
          'proceeds',
          'fees',
          'profit',
          'carried',
        ],
        ...(rows as CycleRow[]).map((c) => [
          c.market,
          String(c.cycle),
          iso(c.startedAt),
          iso(c.endedAt),
          c.reason ?? 'open',
          c.cost,
          c.proceeds,
          c.fees ?? '-',
          c.profit ?? '-',
          c.carriedQuantity ?? '-',
        ]),
      ]
    case 'fills':
      return [
        [
          'time',
          'market',
          'cycle',
          'side',
          'rung',
          'price',
          'quantity',
          'fee',
          'avg entry',
          'target',
        ],
        ...(rows as FillRow[]).map((f) => [
          iso(f.at),
          f.market,
          String(f.cycle),
          f.side === 'buy' ? 'buy' : `sell (${f.reason ?? 'takeProfit'})`,
          f.rung < 0 ? '-' : String(f.rung + 1),
          f.price,
          f.quantity,
          `${f.fee} ${f.feeAsset}`,
          f.averageEntry ?? '-',
          f.takeProfitPrice ?? '-',
        ]),
      ]
    default: {
      const list = rows as Record<string, unknown>[]
      const keys = Object.keys(list[0] ?? {})
      return [
        keys,
        ...list.map((r) =>
          keys.map((k) => {
            const v = r[k]
            return typeof v === 'number' && /At$|^at$/.test(k)
              ? iso(v)
              : String(v ?? '-')
          }),
        ),
      ]
    }
  }
}

/** Grouping of `rung report`. */
export type ReportPeriod = 'day' | 'week' | 'month'

/** The figures of `rung report`, every amount a decimal string. */
export interface HistoryReport {
  /** Realised profit, fees and cycles per period (by cycle end, UTC). */
  periods: {
    period: string
    cycles: number
    wins: number
    profit: string
    fees: string
  }[]
  /** Completed cycles. */
  cycles: number
  /** Cycles with a profit above 0. */
  wins: number
  /** Wins / cycles in percent (2 decimals), or null with no cycle. */
  winRate: string | null
  /** Realised profit of the completed cycles (after fees). */
  realisedProfit: string
  /** Their fees. */
  fees: string
  /** Mean time from a cycle's first ladder to its end (ms), or null. */
  averageCycleMs: number | null
  /** Highest cost of one cycle's buys (the capital it had in use). */
  peakCapital: string
  /** Mean cost of a cycle's buys, or null with no cycle. */
  averageCapital: string | null
  /** Leftover balances sold at starts: their own line, not in the realised profit (their cost is not the bot's). */
  leftovers: { sales: number; proceeds: string; fees: string }
  /** Cycles still open (not in the figures above). */
  openCycles: number
}

const periodOf = (ms: number, period: ReportPeriod): string => {
  const d = new Date(ms)
  const day = d.toISOString().slice(0, 10)
  if (period === 'day') return day
  if (period === 'month') return day.slice(0, 7)
  // ISO week: the Thursday of the week decides the year.
  const t = new Date(
    Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()),
  )
  const weekday = t.getUTCDay() || 7
  t.setUTCDate(t.getUTCDate() + 4 - weekday)
  const yearStart = Date.UTC(t.getUTCFullYear(), 0, 1)
  const week = Math.ceil(((t.getTime() - yearStart) / 86_400_000 + 1) / 7)
  return `${t.getUTCFullYear()}-W${String(week).padStart(2, '0')}`
}

/**
 * Adds up a history: the figures of `rung report`.
 *
 * @param history - An open history.
 * @param filter - Market and time range (cycles by their end).
 * @param period - Grouping of the P&L table.
 * @returns The report.
 */
export function buildReport(
  history: HistoryStore,
  filter: HistoryFilter,
  period: ReportPeriod,
): HistoryReport {
  const all = history.cycles(filter)
  const done = all.filter((c) => c.profit !== null && c.endedAt !== null)
  const byPeriod = new Map<string, HistoryReport['periods'][number]>()
  let realisedProfit = '0'
  let fees = '0'
  let wins = 0
  let timed = 0
  let timeSum = 0
  let peakCapital = '0'
  let capitalSum = '0'
  for (const c of done) {
    const profit = c.profit ?? '0'
    const key = periodOf(c.endedAt ?? 0, period)
    const row = byPeriod.get(key) ?? {
      period: key,
      cycles: 0,
      wins: 0,
      profit: '0',
      fees: '0',
    }
    const win = compareDecimals(profit, '0') > 0
    row.cycles++
    if (win) row.wins++
    row.profit = addDecimals(row.profit, profit)
    row.fees = addDecimals(row.fees, c.fees ?? '0')
    byPeriod.set(key, row)
    realisedProfit = addDecimals(realisedProfit, profit)
    fees = addDecimals(fees, c.fees ?? '0')
    if (win) wins++
    if (c.startedAt !== null && c.endedAt !== null) {
      timed++
      timeSum += c.endedAt - c.startedAt
    }
    if (compareDecimals(c.cost, peakCapital) > 0) peakCapital = c.cost
    capitalSum = addDecimals(capitalSum, c.cost)
  }
  let proceeds = '0'
  let leftoverFees = '0'
  const sales = history.leftovers(filter)
  for (const s of sales) {
    proceeds = addDecimals(proceeds, s.proceeds)
    if (s.feeAsset === 'quote') leftoverFees = addDecimals(leftoverFees, s.fee)
  }
  const n = done.length
  return {
    periods: [...byPeriod.values()],
    cycles: n,
    wins,
    winRate:
      n === 0
        ? null
        : divideDecimals(String(wins * 100), String(n), {
            decimals: 2,
            rounding: 'nearest',
          }),
    realisedProfit,
    fees,
    averageCycleMs: timed === 0 ? null : Math.round(timeSum / timed),
    peakCapital,
    averageCapital:
      n === 0
        ? null
        : divideDecimals(capitalSum, String(n), {
            decimals: 2,
            rounding: 'nearest',
          }),
    leftovers: { sales: sales.length, proceeds, fees: leftoverFees },
    openCycles: all.length - n,
  }
}

const duration = (ms: number | null): string => {
  if (ms === null) return '-'
  const s = Math.round(ms / 1000)
  if (s < 120) return `${s} s`
  const m = Math.round(s / 60)
  return m < 120 ? `${m} min` : `${(m / 60).toFixed(1)} h`
}

/** `rung report`: realised P&L per period and the totals of the history. */
export function reportCommand(
  ctx: CommandContext,
  io: CliIo,
  options: HistoryCommandOptions & { period?: ReportPeriod | undefined },
): void {
  const filter = parseRange(options)
  const history = openExisting(ctx, false)
  try {
    const report = buildReport(history, filter, options.period ?? 'day')
    if (ctx.json) {
      io.stdout.write(`${JSON.stringify(report)}\n`)
      return
    }
    const rows = [
      [options.period ?? 'day', 'cycles', 'wins', 'realised', 'fees'],
      ...report.periods.map((p) => [
        p.period,
        String(p.cycles),
        String(p.wins),
        formatMoney(p.profit),
        formatMoney(p.fees),
      ]),
    ]
    if (report.leftovers.sales > 0)
      rows.push([
        'leftover sales',
        String(report.leftovers.sales),
        '-',
        `proceeds ${formatMoney(report.leftovers.proceeds)}`,
        formatMoney(report.leftovers.fees),
      ])
    io.stdout.write(`${formatTable(rows)}\n\n`)
    io.stdout.write(
      `${formatTable([
        [
          'realised profit',
          `${formatMoney(report.realisedProfit)} (after fees; exact: ${report.realisedProfit})`,
        ],
        ['fees', formatMoney(report.fees)],
        [
          'cycles',
          `${report.cycles}${report.openCycles > 0 ? ` (+${report.openCycles} open)` : ''}`,
        ],
        ['win rate', report.winRate === null ? '-' : `${report.winRate} %`],
        ['average cycle time', duration(report.averageCycleMs)],
        [
          'capital in use',
          `peak ${formatMoney(report.peakCapital)}, average ${formatMoney(report.averageCapital ?? undefined)}`,
        ],
        [
          'leftover sales',
          report.leftovers.sales === 0
            ? 'none'
            : `${report.leftovers.sales}, proceeds ${formatMoney(report.leftovers.proceeds)} (their cost is not the bot's: not in the realised profit)`,
        ],
      ])}\n`,
    )
  } finally {
    history.close()
  }
}
