import { join } from 'node:path'
import { type Command, Option } from 'commander'
import type { CommandContext } from '../config/context.js'
import type { CliIo } from '../io.js'
import type { CycleRow, FillRow } from '../runtime/history/historyTypes.js'
import { rebuildHistory } from '../runtime/history/rebuildHistory.js'
import { formatTable } from '../ui/table.js'
import type { CommandEnv } from './command.js'
import {
  type HistoryCommandOptions,
  openExisting,
  parseRange,
} from './historyRange.js'

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

/** Registers `rung history` on the program. */
export function registerHistory(program: Command, env: CommandEnv): void {
  program
    .command('history')
    .description(
      'the trade history of the data directory: cycles and fills (or one table), as a table, JSON or CSV',
    )
    .option('--from <date>', 'from this UTC date (2024-01-31) or ISO time')
    .option('--to <date>', 'up to this UTC date (inclusive) or ISO time')
    .option('--market <symbol>', 'only this market, e.g. BTC_USDC')
    .addOption(
      new Option('--table <name>', 'one table only').choices([
        'cycles',
        'fills',
        'leftovers',
        'sessions',
      ]),
    )
    .option('--csv', 'CSV of one table (fills unless --table says otherwise)')
    .option('--paper', 'the paper-trading history (data directory .rung/paper)')
    .option(
      '--rebuild',
      'write the history again from the journal and its archive first',
    )
    .action(
      (
        options: HistoryCommandOptions & {
          table?: HistoryTable
          csv?: boolean
          paper?: boolean
          rebuild?: boolean
        },
        command: Command,
      ) =>
        historyCommand(
          env.context(command, options.paper ? 'paper' : 'offline'),
          env.io,
          options,
        ),
    )
}
