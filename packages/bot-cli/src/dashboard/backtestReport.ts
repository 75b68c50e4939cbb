/**
 * `rung backtest --report FILE`: a self-contained HTML report (the chart
 * library, the data and the script inlined: it opens from disk, offline).
 * The candles with every fill and take profit marked, the equity and
 * drawdown curves, and the statistics. Every figure is computed here with
 * the SDK's exact decimals and written as text; the page turns values into
 * numbers only to plot them.
 */
import {
  addDecimals,
  compareDecimals,
  divideDecimals,
  multiplyDecimals,
  subtractDecimals,
} from '@rung/backpack-sdk'
import type { BacktestReport, CandleSeries, Trade } from '@rung/ladder-strategy'
import { padDecimals, toFixedDecimals } from '../decimal.js'
import { chartLibrarySource } from './assets.js'
import { CHART_HELPERS, documentHead, escapeHtml } from './page.js'

/** Most candles the report's chart draws: longer files are merged into wider candles. */
export const REPORT_MAX_CANDLES = 3000

/** Candle widths the report picks from (minutes). */
const WIDTHS = [1, 5, 15, 30, 60, 240, 720, 1440, 10080]

/** A candle of the report (UTC seconds, decimal strings). */
export interface ReportCandle {
  /** Open time (UTC seconds). */
  time: number
  /** Open. */
  open: string
  /** High. */
  high: string
  /** Low. */
  low: string
  /** Close. */
  close: string
}

/** The report's statistics (decimal strings, as shown). */
export interface BacktestStats {
  /** Completed cycles. */
  cycles: number
  /** Every fill (buys and sells): the chart has one marker each. */
  fills: number
  /** Buy fills. */
  buys: number
  /** Sell fills (take profits, stop losses). */
  sells: number
  /** Completed cycles with a profit after fees, in percent of the cycles (`-` without any). */
  winRate: string
  /** Realised profit. */
  realisedProfit: string
  /** Unrealised profit of the open position at the end. */
  unrealisedProfit: string
  /** Fees. */
  fees: string
  /** Max drawdown. */
  maxDrawdown: string
  /** Peak capital in use. */
  peakCapital: string
  /** Profit of the cycles completed in each month (UTC, `YYYY-MM`), oldest first. */
  monthly: { month: string; profit: string; cycles: number }[]
  /** Longest time from a cycle's first buy to its last sell (or the end), in words. */
  longestInPosition: string
}

/** Scaled integers of the candle file back into decimal strings. */
export const scaledToDecimal = (value: number, scale: number): string => {
  const digits = BigInt(Math.round(value)).toString()
  if (scale === 0) return digits
  const negative = digits.startsWith('-')
  const abs = (negative ? digits.slice(1) : digits).padStart(scale + 1, '0')
  const text = `${abs.slice(0, -scale)}.${abs.slice(-scale)}`.replace(
    /\.?0+$/,
    '',
  )
  return negative ? `-${text}` : text
}

/** The candle width (minutes) that keeps a series within {@link REPORT_MAX_CANDLES}. */
export function candleMinutes(spanMinutes: number): number {
  return (
    WIDTHS.find((w) => spanMinutes / w <= REPORT_MAX_CANDLES) ??
    (WIDTHS.at(-1) as number)
  )
}

/** The series as report candles, merged into wider candles when long. */
export function reportCandles(series: CandleSeries): {
  candles: ReportCandle[]
  minutes: number
} {
  const first = series.openTime[0] ?? 0
  const last = series.openTime[series.length - 1] ?? 0
  const minutes = candleMinutes((last - first) / 60_000 + 1)
  const width = minutes * 60
  const candles: ReportCandle[] = []
  let current:
    | { time: number; open: number; high: number; low: number; close: number }
    | undefined
  const push = () => {
    if (current === undefined) return
    const d = (v: number) => scaledToDecimal(v, series.priceScale)
    candles.push({
      time: current.time,
      open: d(current.open),
      high: d(current.high),
      low: d(current.low),
      close: d(current.close),
    })
  }
  for (let i = 0; i < series.length; i++) {
    const time =
      Math.floor((series.openTime[i] as number) / 1000 / width) * width
    const [o, h, l, c] = [
      series.open[i] as number,
      series.high[i] as number,
      series.low[i] as number,
      series.close[i] as number,
    ]
    if (current?.time !== time) {
      push()
      current = { time, open: o, high: h, low: l, close: c }
    } else {
      current.high = Math.max(current.high, h)
      current.low = Math.min(current.low, l)
      current.close = c
    }
  }
  push()
  return { candles, minutes }
}

/** Milliseconds in words: `3 d 4 h 5 min`. */
export function durationWords(ms: number): string {
  const minutes = Math.round(ms / 60_000)
  const d = Math.floor(minutes / 1440)
  const h = Math.floor((minutes % 1440) / 60)
  const m = minutes % 60
  const parts = [
    d ? `${d} d` : '',
    h ? `${h} h` : '',
    m || (!d && !h) ? `${m} min` : '',
  ]
  return parts.filter(Boolean).join(' ')
}

/** Each cycle's trades, and the profit after fees of the completed ones (with a sell). */
export function cycleResults(
  trades: readonly Trade[],
): Map<number, { trades: Trade[]; profit: string | undefined }> {
  const byCycle = new Map<
    number,
    { trades: Trade[]; profit: string | undefined }
  >()
  for (const t of trades) {
    const c = byCycle.get(t.cycle) ?? { trades: [], profit: undefined }
    c.trades.push(t)
    byCycle.set(t.cycle, c)
  }
  for (const c of byCycle.values()) {
    if (!c.trades.some((t) => t.side === 'sell')) continue
    // What its sells received less what its buys cost, less its fees.
    let profit = '0'
    for (const t of c.trades) {
      const value = multiplyDecimals(t.price, t.quantity)
      profit =
        t.side === 'sell'
          ? addDecimals(profit, value)
          : subtractDecimals(profit, value)
      profit = subtractDecimals(profit, t.fee)
    }
    c.profit = profit
  }
  return byCycle
}

/**
 * The statistics of a backtest with its trades.
 * @param report - A report run with `trades: true`.
 * @param end - The end of the data (ms): an open position is counted to it.
 */
export function backtestStats(
  report: BacktestReport,
  end: number,
): BacktestStats {
  const money = (v: string) => toFixedDecimals(v, 2, 'nearest')
  let wins = 0
  let completed = 0
  let longest = 0
  const months = new Map<string, { profit: string; cycles: number }>()
  for (const { trades, profit } of cycleResults(report.trades).values()) {
    const firstBuy = trades.find((t) => t.side === 'buy')
    const lastSell = trades.filter((t) => t.side === 'sell').at(-1)
    if (firstBuy !== undefined)
      longest = Math.max(longest, (lastSell?.time ?? end) - firstBuy.time)
    if (lastSell === undefined || profit === undefined) continue
    completed++
    if (compareDecimals(profit, '0') > 0) wins++
    const month = new Date(lastSell.time).toISOString().slice(0, 7)
    const m = months.get(month) ?? { profit: '0', cycles: 0 }
    months.set(month, {
      profit: addDecimals(m.profit, profit),
      cycles: m.cycles + 1,
    })
  }
  const buys = report.trades.filter((t) => t.side === 'buy').length
  return {
    cycles: report.cycles,
    fills: report.trades.length,
    buys,
    sells: report.trades.length - buys,
    winRate:
      completed === 0
        ? '-'
        : `${padDecimals(divideDecimals(String(wins * 100), String(completed), { decimals: 1, rounding: 'nearest' }), 1)} %`,
    realisedProfit: money(report.realisedProfit),
    unrealisedProfit: money(report.unrealisedProfit),
    fees: money(report.fees),
    maxDrawdown: money(report.maxDrawdown),
    peakCapital: money(report.peakCapital),
    monthly: [...months]
      .sort((a, b) => a[0].localeCompare(b[0]))
      .map(([month, m]) => ({
        month,
        profit: money(m.profit),
        cycles: m.cycles,
      })),
    longestInPosition: longest > 0 ? durationWords(longest) : '-',
  }
}

/** JSON for an inline `<script type="application/json">` (no `</script>` inside). */
export const inlineJson = (value: unknown): string =>
  JSON.stringify(value)
    .replaceAll('<', '\\u003c')
    .replaceAll('\u2028', '\\u2028')
    .replaceAll('\u2029', '\\u2029')

/** The report's script (browser JavaScript, inlined). */
const REPORT_SCRIPT = `(function () {
'use strict';
${CHART_HELPERS}
var data = JSON.parse(document.getElementById('report-data').textContent);
var priceEl = document.getElementById('price-chart');
var chart = LC.createChart(priceEl, chartOptions());
var candles = chart.addSeries(LC.CandlestickSeries, {
  upColor: '#3fb950', downColor: '#f85149', borderVisible: false,
  wickUpColor: '#3fb950', wickDownColor: '#f85149'
});
candles.setData(data.candles.map(candleBar));
var width = data.minutes * 60;
var marks = data.trades.map(function (t) {
  return fillMarker(t, Math.floor(t.time / 1000 / width) * width);
}).sort(function (a, b) { return a.time - b.time; });
LC.createSeriesMarkers(candles, marks);
priceEl.dataset.markers = String(marks.length);
priceEl.dataset.candles = String(data.candles.length);
chart.timeScale().fitContent();

var equityEl = document.getElementById('equity-chart');
var equityChart = LC.createChart(equityEl, chartOptions());
var equity = equityChart.addSeries(LC.BaselineSeries, { baseValue: { type: 'price', price: 0 }, title: 'equity' });
var drawdown = equityChart.addSeries(LC.AreaSeries, {
  lineColor: '#f85149', topColor: 'rgba(248,81,73,0.05)', bottomColor: 'rgba(248,81,73,0.35)',
  priceScaleId: 'left', title: 'drawdown', invertFilledArea: true
});
equityChart.applyOptions({ leftPriceScale: { visible: true, borderColor: '#30363d' } });
equity.setData(data.equity.map(function (p) { return { time: p.time, value: plot(p.equity) }; }));
drawdown.setData(data.equity.map(function (p) { return { time: p.time, value: -plot(p.drawdown) }; }));
equityChart.timeScale().fitContent();
equityEl.dataset.points = String(data.equity.length);
document.body.dataset.rendered = 'true';
})();
`

/** What {@link renderBacktestReport} draws. */
export interface BacktestReportInput {
  /** Title, e.g. `rung backtest: BTC_USDC candles.csv`. */
  title: string
  /** The report, run with `trades: true`. */
  report: BacktestReport
  /** The candles it ran on. */
  series: CandleSeries
  /** The rows of the terminal's table (period, fee rates...). */
  rows: [string, string][]
}

/**
 * Renders the backtest's HTML report.
 * @returns The HTML document (self-contained).
 */
export function renderBacktestReport(input: BacktestReportInput): string {
  const { report, series } = input
  const end = (series.openTime[series.length - 1] ?? 0) + 60_000
  const stats = backtestStats(report, end)
  const { candles, minutes } = reportCandles(series)
  // Drawdown: how far each point's equity is below the running peak.
  let peak: string | undefined
  const equity = report.equity.map((p) => {
    peak =
      peak === undefined || compareDecimals(p.equity, peak) > 0
        ? p.equity
        : peak
    const low = compareDecimals(p.low, p.equity) < 0 ? p.low : p.equity
    return {
      time: Math.floor(p.time / 1000),
      equity: p.equity,
      drawdown: subtractDecimals(peak, low),
    }
  })
  // A sell of a cycle that made a profit took it (TP); the others are plain sells (S).
  const cycles = cycleResults(report.trades)
  const trades = report.trades.map((t) => {
    const profit = cycles.get(t.cycle)?.profit
    return {
      time: t.time,
      side: t.side,
      price: t.price,
      reason:
        t.side === 'sell' &&
        profit !== undefined &&
        compareDecimals(profit, '0') > 0
          ? 'takeProfit'
          : null,
    }
  })
  const data = { candles, minutes, trades, equity }
  const cell = (label: string, value: string, id: string) =>
    `<div><dt>${escapeHtml(label)}</dt><dd id="stat-${id}">${escapeHtml(value)}</dd></div>`
  const figures = [
    cell('cycles', String(stats.cycles), 'cycles'),
    cell(
      'fills (buys / sells)',
      `${stats.fills} (${stats.buys} / ${stats.sells})`,
      'fills',
    ),
    cell('win rate', stats.winRate, 'win-rate'),
    cell('realised P&L', stats.realisedProfit, 'realised'),
    cell('unrealised P&L', stats.unrealisedProfit, 'unrealised'),
    cell('fees', stats.fees, 'fees'),
    cell('max drawdown', stats.maxDrawdown, 'max-drawdown'),
    cell('peak capital', stats.peakCapital, 'peak-capital'),
    cell('longest in a position', stats.longestInPosition, 'longest'),
  ].join('\n')
  const monthly = stats.monthly
    .map(
      (m) =>
        `<tr><td>${m.month}</td><td>${m.cycles}</td><td${m.profit.startsWith('-') ? ' class="neg"' : ''}>${escapeHtml(m.profit)}</td></tr>`,
    )
    .join('\n')
  const rows = input.rows
    .map(
      ([k, v]) => `<tr><td>${escapeHtml(k)}</td><td>${escapeHtml(v)}</td></tr>`,
    )
    .join('\n')
  return `${documentHead(input.title)}
<body data-fills="${stats.fills}">
<header><h1>${escapeHtml(input.title)}</h1></header>
<main>
  <dl class="figures">
${figures}
  </dl>
  <h2>Price (${minutes}-minute candles, quote), every fill marked: B buy, TP take profit</h2>
  <div id="price-chart" class="chart" data-markers="0"></div>
  <h2>Equity (realised + unrealised, right scale) and drawdown from its peak (left scale), quote</h2>
  <div id="equity-chart" class="chart small" data-points="0"></div>
  <div class="cols">
    <section><h2>P&amp;L per month (completed cycles, UTC)</h2>
      <table id="monthly"><thead><tr><th>month</th><th>cycles</th><th>profit</th></tr></thead><tbody>
${monthly}
      </tbody></table>
    </section>
    <section><h2>Run</h2><table id="run"><tbody>
${rows}
    </tbody></table></section>
  </div>
</main>
<script type="application/json" id="report-data">${inlineJson(data)}</script>
<script>${chartLibrarySource().replaceAll('</script', '<\\/script')}</script>
<script>${REPORT_SCRIPT}</script>
</body>
</html>
`
}
