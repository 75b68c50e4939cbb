/**
 * A self-contained SVG equity curve (no scripts, no external assets), written
 * beside the backtest report. Values are drawn through `toPlotNumber`: floats
 * are fine for pixels, never for money.
 */
import { toPlotNumber } from '../decimal.js'

/** One point of the curve. */
export interface EquityPoint {
  /** Time in ms since the epoch. */
  time: number
  /** Equity in quote currency (decimal string). */
  equity: string
}

const escapeXml = (text: string) =>
  text.replace(
    /[<>&"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c] ?? c,
  )

/** Renders the equity curve as an SVG document. */
export function renderEquitySvg(
  points: readonly EquityPoint[],
  title: string,
): string {
  const width = 960
  const height = 400
  const pad = { left: 80, right: 20, top: 40, bottom: 40 }
  // The backtester already summarises the curve (500 points by default).
  const data = points
  const values = data.map((p) => toPlotNumber(p.equity))
  const min = values.length ? Math.min(...values) : 0
  const max = values.length ? Math.max(...values) : 1
  const span = max - min || 1
  const t0 = data[0]?.time ?? 0
  const t1 = data.at(-1)?.time ?? 1
  const tSpan = t1 - t0 || 1
  const x = (t: number) =>
    pad.left + ((t - t0) / tSpan) * (width - pad.left - pad.right)
  const y = (v: number) =>
    pad.top + (1 - (v - min) / span) * (height - pad.top - pad.bottom)
  const path = data
    .map(
      (p, i) =>
        `${i === 0 ? 'M' : 'L'}${x(p.time).toFixed(1)},${y(values[i] as number).toFixed(1)}`,
    )
    .join(' ')
  const day = (t: number) => new Date(t).toISOString().slice(0, 10)
  return `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">
  <title>${escapeXml(title)}</title>
  <rect width="100%" height="100%" fill="#fff"/>
  <text x="${pad.left}" y="24" font-size="16">${escapeXml(title)}</text>
  <line x1="${pad.left}" y1="${height - pad.bottom}" x2="${width - pad.right}" y2="${height - pad.bottom}" stroke="#999"/>
  <line x1="${pad.left}" y1="${pad.top}" x2="${pad.left}" y2="${height - pad.bottom}" stroke="#999"/>
  <text x="${pad.left - 6}" y="${pad.top + 4}" text-anchor="end">${escapeXml(data.length ? (data.find((_, i) => values[i] === max)?.equity ?? '') : '')}</text>
  <text x="${pad.left - 6}" y="${height - pad.bottom}" text-anchor="end">${escapeXml(data.length ? (data.find((_, i) => values[i] === min)?.equity ?? '') : '')}</text>
  <text x="${pad.left}" y="${height - 16}">${data.length ? day(t0) : ''}</text>
  <text x="${width - pad.right}" y="${height - 16}" text-anchor="end">${data.length ? day(t1) : ''}</text>
  <path d="${path}" fill="none" stroke="#2563eb" stroke-width="1.5"/>
</svg>
`
}
