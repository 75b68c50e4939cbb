/**
 * The dashboard of a multi-market `rung paper` in Chromium: a page per
 * market, each with the bar of every market and the total; a market whose
 * book closes shows as paused on every page. The same from `rung dashboard`
 * in another process, off the status file and the trade history.
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
import { captureIo, runChild, tempDir, waitFor } from '../../test/e2e.js'
import type { StartedHandle } from '../commands/trade.js'
import { mainWithHooks } from '../main.js'
import { readStatusFile } from '../runtime/statusFile.js'

const browser = useBrowser()

const data = (page: Page, selector: string, key: string) =>
  page.$eval(selector, (el, k) => (el as HTMLElement).dataset[k] ?? '', key)

/** Starts a two-market `rung paper` (BTC, SOL; manual prices) in-process. */
async function startMarketsPaper(args: string[] = []) {
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
    ['paper', '--config', config, '--data-dir', dataDir, ...args],
    io,
    {
      simOptions: { feed: { mode: 'manual' } },
      onStarted: (h) => {
        handle = h
      },
    },
  )
  const bot = await waitFor(() => handle, 'the bot to start')
  return { bot, exit, dataDir }
}

describe.skipIf(skipBrowser)(
  'the dashboard of a multi-market rung paper (Chromium)',
  { timeout: 60_000 },
  () => {
    test('behavior: each market has its page, every page lists every market and the total, and a closed market shows as paused', async () => {
      const { bot, exit, dataDir } = await startMarketsPaper()
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
    test('behavior: rung dashboard in another process shows every market of a multi-market bot, a page each, the total, and a paused market', async () => {
      const { bot, exit, dataDir } = await startMarketsPaper(['--no-ui'])
      expect(bot.dashboardUrl).toBeUndefined()
      const child = runChild(['dashboard', '--data-dir', dataDir], {})
      try {
        const status = await waitFor(() => {
          const s = readStatusFile(dataDir)
          return s?.markets?.length === 2 ? s : undefined
        }, 'both markets in status.json')
        const url = (
          await waitFor(
            () =>
              /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/.exec(child.output()),
            'the dashboard URL',
            20_000,
          )
        )[0]
        const { page, errors } = await openPage(browser(), url)
        await page.waitForSelector('#conn[data-state="live"]')
        // The default page is the first market's, with the bar of both and the total.
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
        expect(await page.textContent('#markets-total')).toContain('of 2000.00')
        expect(status.total?.maxTotalAmount).toBe('2000')
        const btcRungs = (bot.ladders?.BTC_USDC?.state().orders ?? []).filter(
          (o) => o.side === 'buy' && o.status === 'open',
        ).length
        await waitFor(
          async () =>
            (await data(page, '#price-chart', 'rungs')) === String(btcRungs),
          "BTC's rungs on the chart",
        )

        // SOL's page: its own rungs.
        await page.click('#markets a[data-market="SOL_USDC"]')
        await page.waitForSelector('#conn[data-state="live"]')
        await waitFor(
          async () => (await page.textContent('#symbol')) === 'SOL_USDC',
          'the SOL page',
        )
        await waitFor(
          async () => (await data(page, '#price-chart', 'rungs')) === '3',
          "SOL's rungs on the chart",
        )

        // SOL's book closes: the bar and SOL's header say paused.
        bot.sim?.setMarketState('SOL_USDC', 'Closed')
        await page.waitForSelector('#markets a.paused[data-market="SOL_USDC"]')
        await waitFor(
          async () =>
            (await page.textContent('#status-text')) ===
            'paused: the SOL_USDC order book is Closed',
          "the paused state in SOL's header",
        )
        await screenshot(page, 'rung-dashboard-markets')
        expect(errors).toEqual([])
      } finally {
        child.proc.kill('SIGTERM')
        await child.exited
        bot.stop()
        expect(await exit).toBe(0)
      }
    })
  },
)
