import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, test } from 'vitest'
import {
  openPage,
  screenshot,
  skipBrowser,
  useBrowser,
} from '../../test/browser.js'
import { captureIo, tempDir, writeCandleFile } from '../../test/e2e.js'
import { main } from '../main.js'

const browser = useBrowser()

describe.skipIf(skipBrowser)(
  'rung backtest --report (Chromium)',
  {
    timeout: 60_000,
  },
  () => {
    test('behavior: the report opens from disk and renders one marker per fill, with no console error', async () => {
      const dir = tempDir()
      const data = writeCandleFile(dir, 3000)
      const { io, stdout } = captureIo({}, dir)
      expect(
        await main(
          [
            'backtest',
            '--data',
            data,
            '--json',
            '--no-chart',
            '--report',
            'r.html',
          ],
          io,
        ),
      ).toBe(0)
      const result = JSON.parse(stdout()) as {
        trades: unknown[]
        fills: number
        report: string
      }
      expect(result.report).toBe(join(dir, 'r.html'))
      expect(result.trades.length).toBeGreaterThan(result.fills)
      const html = readFileSync(result.report, 'utf8')
      // Self-contained: nothing is loaded from anywhere.
      expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href="http/)

      const { page, errors } = await openPage(
        browser(),
        pathToFileURL(result.report).href,
      )
      await page.waitForSelector('body[data-rendered="true"]')
      const markers = await page.$eval(
        '#price-chart',
        (el) => (el as HTMLElement).dataset.markers,
      )
      expect(markers).toBe(String(result.trades.length))
      expect(await page.textContent('#stat-fills')).toMatch(
        new RegExp(`^${result.trades.length} \\(${result.fills} / `),
      )
      expect(
        await page.$eval('#equity-chart canvas', (c) => c.clientHeight),
      ).toBeGreaterThan(0)
      await screenshot(page, 'backtest-report')
      expect(errors).toEqual([])
    })
  },
)
