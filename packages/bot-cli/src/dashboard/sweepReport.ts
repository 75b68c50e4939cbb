/**
 * `rung sweep --report FILE`: a self-contained HTML report (no script at
 * all): the ranking table and a heat map of the metric over two chosen
 * parameters (`--heatmap x,y`, default the first two of the grid). With
 * more parameters, each cell shows the best run among those with that pair
 * of values.
 */
import { compareDecimals } from '@rung/backpack-sdk'
import type { BacktestReport } from '@rung/ladder-strategy'
import { toFixedDecimals, toPlotNumber } from '../decimal.js'
import { documentHead, escapeHtml } from './page.js'

/** A ranked run as the sweep returns it. */
export interface SweepRun {
  /** 1 for the best. */
  rank: number
  /** The parameter values of the run. */
  params: Record<string, unknown>
  /** The ranking metric (decimal string, or `Infinity`). */
  metric: string
  /** The run's report. */
  report: Pick<BacktestReport, 'cycles' | 'realisedProfit' | 'maxDrawdown'>
}

/** What {@link renderSweepReport} draws. */
export interface SweepReportInput {
  /** Title. */
  title: string
  /** The grid's parameter names, in the table's order. */
  names: readonly string[]
  /** The ranking metric's name. */
  metric: string
  /** The runs, best first. */
  ranked: readonly SweepRun[]
  /** The heat map's axes: [columns, rows]. */
  axes: readonly [string, string] | readonly [string]
  /** A line under the title (fee rates...). */
  note: string
}

/** The metric as shown: 2 decimals, `inf` for no drawdown. */
export const metricText = (m: string): string =>
  m === 'Infinity' ? 'inf' : toFixedDecimals(m, 2, 'nearest')

const compareMetric = (a: string, b: string) =>
  a === b
    ? 0
    : a === 'Infinity'
      ? 1
      : b === 'Infinity'
        ? -1
        : compareDecimals(a, b)

/** The heat map's cells: the best run for each (column value, row value). */
export function heatCells(
  ranked: readonly SweepRun[],
  x: string,
  y: string | undefined,
): { xs: string[]; ys: string[]; best: Map<string, SweepRun> } {
  const xs: string[] = []
  const ys: string[] = []
  const best = new Map<string, SweepRun>()
  for (const r of ranked) {
    const xv = String(r.params[x])
    const yv = y === undefined ? '' : String(r.params[y])
    if (!xs.includes(xv)) xs.push(xv)
    if (!ys.includes(yv)) ys.push(yv)
    const key = `${xv}\u0000${yv}`
    const known = best.get(key)
    if (known === undefined || compareMetric(r.metric, known.metric) > 0)
      best.set(key, r)
  }
  const byValue = (a: string, b: string) =>
    Number.isNaN(Number(a)) || Number.isNaN(Number(b))
      ? a.localeCompare(b)
      : Number(a) - Number(b)
  return { xs: xs.sort(byValue), ys: ys.sort(byValue), best }
}

/** Renders the sweep's HTML report. */
export function renderSweepReport(input: SweepReportInput): string {
  const [x, y] = input.axes
  const { xs, ys, best } = heatCells(input.ranked, x, y)
  const finite = input.ranked
    .map((r) => r.metric)
    .filter((m) => m !== 'Infinity')
    .map(toPlotNumber)
  const lo = finite.length ? Math.min(...finite) : 0
  const hi = finite.length ? Math.max(...finite) : 0
  // Colour for plotting only: red (worst) to green (best).
  const colour = (m: string) => {
    const f =
      m === 'Infinity' ? 1 : hi > lo ? (toPlotNumber(m) - lo) / (hi - lo) : 1
    return `hsl(${Math.round(f * 120)}, 55%, 32%)`
  }
  const head = `<tr><th>${escapeHtml(y ?? '')} \\ ${escapeHtml(x)}</th>${xs.map((v) => `<th>${escapeHtml(v)}</th>`).join('')}</tr>`
  const body = ys
    .map((yv) => {
      const cells = xs
        .map((xv) => {
          const r = best.get(`${xv}\u0000${yv}`)
          if (r === undefined) return '<td class="cell">-</td>'
          return `<td class="cell" data-x="${escapeHtml(xv)}" data-y="${escapeHtml(yv)}" data-rank="${r.rank}" style="background:${colour(r.metric)}" title="rank ${r.rank}">${escapeHtml(metricText(r.metric))}</td>`
        })
        .join('')
      return `<tr><th>${escapeHtml(yv)}</th>${cells}</tr>`
    })
    .join('\n')
  const rankingHead = `<tr><th>rank</th>${input.names.map((n) => `<th>${escapeHtml(n)}</th>`).join('')}<th>${escapeHtml(input.metric)}</th><th>cycles</th><th>realised</th><th>max drawdown</th></tr>`
  const ranking = input.ranked
    .map(
      (r) =>
        `<tr><td>${r.rank}</td>${input.names.map((n) => `<td>${escapeHtml(String(r.params[n]))}</td>`).join('')}<td>${escapeHtml(metricText(r.metric))}</td><td>${r.report.cycles}</td><td>${escapeHtml(toFixedDecimals(r.report.realisedProfit, 2, 'nearest'))}</td><td>${escapeHtml(toFixedDecimals(r.report.maxDrawdown, 2, 'nearest'))}</td></tr>`,
    )
    .join('\n')
  const others = input.names.filter((n) => n !== x && n !== y)
  return `${documentHead(
    input.title,
    `
  table.heat { width: auto; }
  table.heat td.cell { text-align: center; min-width: 70px; color: #fff; }
`,
  )}
<body>
<header><h1>${escapeHtml(input.title)}</h1><span>${escapeHtml(input.note)}</span></header>
<main>
  <section><h2>${escapeHtml(input.metric)} by ${escapeHtml(x)}${y === undefined ? '' : ` and ${escapeHtml(y)}`}${others.length ? ` (each cell: the best over ${escapeHtml(others.join(', '))})` : ''}; green is better</h2>
    <table id="heatmap" class="heat"><thead>${head}</thead><tbody>
${body}
    </tbody></table>
  </section>
  <section><h2>Ranking (${input.ranked.length} runs)</h2>
    <table id="ranking"><thead>${rankingHead}</thead><tbody>
${ranking}
    </tbody></table>
  </section>
</main>
</body>
</html>
`
}
