import {
  addDecimals,
  compareDecimals,
  divideDecimals,
} from '@rung/backpack-sdk'
import { type Command, Option } from 'commander'
import type { CommandContext } from '../config/context.js'
import type { CliIo } from '../io.js'
import type {
  HistoryFilter,
  HistoryStore,
} from '../runtime/history/historyTypes.js'
import { formatMoney } from '../ui/statusView.js'
import { formatTable } from '../ui/table.js'
import type { CommandEnv } from './command.js'
import {
  type HistoryCommandOptions,
  openExisting,
  parseRange,
} from './historyRange.js'

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
    // Paper trading and dry runs moved no money: said first.
    const simulated = [
      ...new Set(
        history
          .sessions(filter)
          .map((s) => s.mode)
          .filter((m) => m !== 'live'),
      ),
    ]
    if (ctx.json) {
      io.stdout.write(
        `${JSON.stringify({ ...report, paper: simulated.length > 0 })}\n`,
      )
      return
    }
    if (simulated.length > 0)
      io.stdout.write(
        `PAPER: simulated fills (${simulated.join(', ')} sessions), no money moved.\n\n`,
      )
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

/** Registers `rung report` on the program. */
export function registerReport(program: Command, env: CommandEnv): void {
  program
    .command('report')
    .description(
      'realised profit per day, week or month, fees, win rate, cycle times, capital in use, leftover sales',
    )
    .option('--from <date>', 'cycles ended from this UTC date or ISO time')
    .option('--to <date>', 'up to this UTC date (inclusive) or ISO time')
    .option('--market <symbol>', 'only this market, e.g. BTC_USDC')
    .addOption(
      new Option('--period <period>', 'grouping of the P&L table')
        .choices(['day', 'week', 'month'])
        .default('day'),
    )
    .option('--paper', 'the paper-trading history (data directory .rung/paper)')
    .action(
      (
        options: HistoryCommandOptions & {
          period: ReportPeriod
          paper?: boolean
        },
        command: Command,
      ) =>
        reportCommand(
          env.context(command, options.paper ? 'paper' : 'offline'),
          env.io,
          options,
        ),
    )
}
