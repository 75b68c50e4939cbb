/**
 * A self-contained SVG equity curve (no scripts, no external assets), written
 * beside the backtest report. Values are drawn through `toPlotNumber`: floats
 * are fine for pixels, never for money. The axis labels are exact: a tick is
 * an integer multiple of a step of 1, 2 or 5 times a power of ten, written
 * from those integers (never from a float's digits).
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

/** `units` x 10^`exponent` as a decimal string. */
function scaled(units: bigint, exponent: number): string {
  if (exponent >= 0) return (units * 10n ** BigInt(exponent)).toString()
  const negative = units < 0n
  const digits = (negative ? -units : units)
    .toString()
    .padStart(-exponent + 1, '0')
  const text = `${digits.slice(0, exponent)}.${digits.slice(exponent)}`.replace(
    /\.?0+$/,
    '',
  )
  return negative && text !== '0' ? `-${text}` : text
}

/**
 * Axis ticks over `[min, max]`: about `target` steps of 1, 2 or 5 times a
 * power of ten, from the step below `min` to the step above `max`.
 * @returns The tick labels (decimal strings), lowest first; the value
 *   itself when `min` equals `max`.
 */
export function niceTicks(min: number, max: number, target = 5): string[] {
  if (!(max > min)) return [String(min)]
  const rough = (max - min) / target
  const e = Math.floor(Math.log10(rough))
  // The step closest to the rough one: m x 10^e.
  const m = [1, 2, 5, 10].reduce((best, c) =>
    Math.abs(c * 10 ** e - rough) < Math.abs(best * 10 ** e - rough) ? c : best,
  )
  const step = m * 10 ** e
  const first = Math.floor(min / step + 1e-9)
  const last = Math.ceil(max / step - 1e-9)
  const ticks: string[] = []
  for (let k = first; k <= last; k++) ticks.push(scaled(BigInt(k * m), e))
  return ticks
}

/** Renders the equity curve as an SVG document. */
export function renderEquitySvg(
  points: readonly EquityPoint[],
  title: string,
): string {
  const width = 960
  const height = 400
  // The backtester already summarises the curve (500 points by default).
  const data = points
  const values = data.map((p) => toPlotNumber(p.equity))
  const lo = values.length ? Math.min(...values) : 0
  const hi = values.length ? Math.max(...values) : 1
  const yTicks = niceTicks(lo, hi)
  const min = Math.min(lo, toPlotNumber(yTicks[0] ?? '0'))
  const max = Math.max(hi, toPlotNumber(yTicks.at(-1) ?? '1'))
  // Room for the widest label (about 7 px a character at 12 px).
  const labelWidth = Math.max(...yTicks.map((t) => t.length)) * 7
  const pad = { left: labelWidth + 40, right: 24, top: 44, bottom: 44 }
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
  const bottom = height - pad.bottom
  const right = width - pad.right
  const yLines = yTicks
    .map((label) => {
      const py = y(toPlotNumber(label)).toFixed(1)
      return `  <line class="grid" x1="${pad.left}" y1="${py}" x2="${right}" y2="${py}" stroke="#e5e7eb"/>
  <text class="y-tick" x="${pad.left - 8}" y="${py}" dy="4" text-anchor="end">${escapeXml(label)}</text>`
    })
    .join('\n')
  // Dates: about 6 ticks on whole days (hours when the data span less than 2 days).
  const dayMs = 86_400_000
  const unit = tSpan >= 2 * dayMs ? dayMs : 3_600_000
  const every = Math.max(1, Math.ceil(tSpan / unit / 6))
  const xLines: string[] = []
  if (data.length)
    for (let t = Math.ceil(t0 / unit) * unit; t <= t1; t += every * unit) {
      const px = x(t).toFixed(1)
      const label =
        unit === dayMs
          ? new Date(t).toISOString().slice(0, 10)
          : new Date(t).toISOString().slice(5, 16).replace('T', ' ')
      xLines.push(`  <line class="grid" x1="${px}" y1="${pad.top}" x2="${px}" y2="${bottom}" stroke="#e5e7eb"/>
  <text class="x-tick" x="${px}" y="${bottom + 18}" text-anchor="middle">${label}</text>`)
    }
  return `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">
  <title>${escapeXml(title)}</title>
  <rect width="100%" height="100%" fill="#fff"/>
  <text x="${pad.left}" y="24" font-size="15">${escapeXml(title)}</text>
${yLines}
${xLines.join('\n')}
  <line class="axis" x1="${pad.left}" y1="${bottom}" x2="${right}" y2="${bottom}" stroke="#6b7280"/>
  <line class="axis" x1="${pad.left}" y1="${pad.top}" x2="${pad.left}" y2="${bottom}" stroke="#6b7280"/>
  <text x="14" y="${(pad.top + bottom) / 2}" transform="rotate(-90 14 ${(pad.top + bottom) / 2})" text-anchor="middle" fill="#374151">equity (quote)</text>
  <text x="${(pad.left + right) / 2}" y="${height - 6}" text-anchor="middle" fill="#374151">time (UTC)</text>
  <path d="${path}" fill="none" stroke="#2563eb" stroke-width="1.5"/>
</svg>
`
}
