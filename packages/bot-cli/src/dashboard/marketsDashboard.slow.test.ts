/**
 * The dashboard of a multi-market `rung paper` in Chromium: a page per
 * market, each with the bar of every market and the total; a market whose
 * book closes shows as paused on every page.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import {
  openPage,
  screenshot,
  skipBrowser,
  useBrowser,
} from '../../test/browser.js'
import { captureIo, tempDir, waitFor } from '../../test/e2e.js'
import type { StartedHandle } from '../commands/trade.js'
import { mainWithHooks } from '../main.js'
import { readStatusFile } from '../runtime/statusFile.js'

const browser = useBrowser()

const data = (page: Page, selector: string, key: string) =>
  page.$eval(selector, (el, k) => (el as HTMLElement).dataset[k] ?? '', key)

describe.skipIf(skipBrowser)(
  'the dashboard of a multi-market rung paper (Chromium)',
  { timeout: 60_000 },
  () => {
    test('behavior: each market has its page, every page lists every market and the total, and a closed market shows as paused', async () => {
      const dir = tempDir()
      const config = join(dir, 'rung.config.json')
      writeFileSync(
        config,
        JSON.stringify({
          maxTotalAmount: '2000',
          trading: {
            maxDropPercentage: 5,
            orderCount: 3,
            incrementPercentage: 50,
            takeProfitPercentage: 0.5,
          },
          advanced: { monitorIntervalSeconds: 0.2 },
          markets: [
            { tradingCoin: 'BTC', totalAmount: '1200' },
            { tradingCoin: 'SOL', totalAmount: '600' },
          ],
        }),
        { mode: 0o600 },
      )
      const dataDir = join(dir, 'paper')
      const { io } = captureIo({}, dir)
      let handle: StartedHandle | undefined
      const exit = mainWithHooks(
        ['paper', '--config', config, '--data-dir', dataDir],
        io,
        {
          simOptions: { feed: { mode: 'manual' } },
          onStarted: (h) => {
            handle = h
          },
        },
      )
      const bot = await waitFor(() => handle, 'the bot to start')
      try {
        const url = bot.dashboardUrl
        if (url === undefined) throw new Error('no dashboard URL')
        await waitFor(
          () => readStatusFile(dataDir)?.markets?.length === 2,
          'both markets in status.json',
        )
        const { page, errors } = await openPage(browser(), url)
        await page.waitForSelector('#conn[data-state="live"]')
        // The default page is the first market's, with the bar of both.
        await page.waitForSelector('#markets[data-markets="2"]')
        await waitFor(
          async () => (await page.textContent('#symbol')) === 'BTC_USDC',
          'the BTC page',
        )
        expect(
          await page.$$eval('#markets a', (as) =>
            as.map((a) => (a as HTMLElement).dataset.market),
          ),
        ).toEqual(['BTC_USDC', 'SOL_USDC'])
        expect(await page.textContent('#markets a.current')).toContain(
          'BTC_USDC',
        )
        expect(await page.textContent('#markets-total')).toContain('of 2000.00')
        await screenshot(page, 'dashboard-markets-btc')

        // The SOL link opens SOL's page: its rungs, its figures.
        await page.click('#markets a[data-market="SOL_USDC"]')
        await page.waitForSelector('#conn[data-state="live"]')
        await waitFor(
          async () => (await page.textContent('#symbol')) === 'SOL_USDC',
          'the SOL page',
        )
        const solRungs = (bot.ladders?.SOL_USDC?.state().orders ?? []).filter(
          (o) => o.side === 'buy' && o.status === 'open',
        ).length
        expect(solRungs).toBe(3)
        await waitFor(
          async () =>
            (await data(page, '#price-chart', 'rungs')) === String(solRungs),
          "SOL's rungs on the chart",
        )

        // SOL's book closes: the bar says so on its page.
        bot.sim?.setMarketState('SOL_USDC', 'Closed')
        await page.waitForSelector('#markets a.paused[data-market="SOL_USDC"]')
        expect(
          await page.textContent('#markets a[data-market="SOL_USDC"]'),
        ).toContain('paused: the SOL_USDC order book is Closed')
        await waitFor(
          async () =>
            (await page.textContent('#status-text')) ===
            'paused: the SOL_USDC order book is Closed',
          "the paused state in SOL's header",
        )
        await screenshot(page, 'dashboard-markets-sol-paused')
        expect(errors).toEqual([])
      } finally {
        bot.stop()
        expect(await exit).toBe(0)
      }
    })
  },
)
