/**
 * The chart library the dashboard and the HTML reports use: TradingView's
 * lightweight-charts, a dependency of this package. Its standalone build
 * (one file, defines `LightweightCharts`) is read from the installed
 * package at run time, so the same code serves it from the sources
 * (`npm start`, through tsx) and from the published build, and the page
 * loads nothing from the internet.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

let cached: string | undefined

/** The library's standalone build (JavaScript source). */
export function chartLibrarySource(): string {
  if (cached === undefined) {
    const require = createRequire(import.meta.url)
    // Only `package.json` is exported: the standalone file sits in its dist/.
    const root = dirname(require.resolve('lightweight-charts/package.json'))
    cached = readFileSync(
      join(root, 'dist', 'lightweight-charts.standalone.production.js'),
      'utf8',
    )
  }
  return cached
}
