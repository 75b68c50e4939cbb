import { join } from 'node:path'
import {
  addDecimals,
  compareDecimals,
  multiplyDecimals,
} from '@rung/backpack-sdk'
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
import { HISTORY_FILE, openHistory } from '../runtime/history/historyStore.js'
import { readStatusFile } from '../runtime/statusFile.js'
import { formatMoney, formatStatusNumbers } from '../ui/statusView.js'

const browser = useBrowser()

/** Starts `rung paper` in-process (manual price feed) on a data directory. */
async function startPaper(dataDir: string, dir: string, args: string[] = []) {
  const { io, stdout } = captureIo({}, dir)
  let handle: StartedHandle | undefined
  const exit = mainWithHooks(['paper', '--data-dir', dataDir, ...args], io, {
    simOptions: { feed: { mode: 'manual' } },
    onStarted: (h) => {
      handle = h
    },
  })
  const bot = await waitFor(() => handle, 'the bot to start')
  await waitFor(
    () => bot.state().orders.filter((o) => o.status === 'open').length > 0,
    'the ladder',
  )
  return { bot, exit, stdout }
}

const data = (page: Page, selector: string, key: string) =>
  page.$eval(selector, (el, k) => (el as HTMLElement).dataset[k] ?? '', key)
const exact = (page: Page, id: string) => data(page, `#${id}`, 'exact')
const shown = (page: Page, id: string) => page.textContent(`#${id}`)

describe.skipIf(skipBrowser)(
  'the dashboard of rung paper (Chromium)',
  {
    timeout: 60_000,
  },
  () => {
    test('behavior: the page shows the rungs, a marker per fill and the P&L of status.json and the history, and reconnects after a restart', async () => {
      const dir = tempDir()
      const dataDir = join(dir, 'paper')
      let run = await startPaper(dataDir, dir)
      const url = run.bot.dashboardUrl
      if (url === undefined) throw new Error('no dashboard URL')
      expect(run.stdout()).toContain(`dashboard: ${url}`)
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{43}$/)

      const { page, errors } = await openPage(browser(), url)
      await page.waitForSelector('#conn[data-state="live"]')
      // The resting rungs: one line per open buy of the ladder.
      const buys = run.bot
        .state()
        .orders.filter((o) => o.side === 'buy' && o.status === 'open')
      await waitFor(
        async () =>
          (await data(page, '#price-chart', 'rungs')) === String(buys.length),
        'the rungs on the chart',
      )

      // The price falls through the two highest rungs: two fills.
      const prices = buys
        .map((o) => o.price)
        .sort(compareDecimals)
        .reverse()
      const [, second] = prices
      if (second === undefined) throw new Error('a ladder of one rung')
      run.bot.sim?.setPrice(
        run.bot.state().setup.market.symbol,
        multiplyDecimals(second, '0.999'),
      )
      await waitFor(() => run.bot.state().position.fills >= 2, 'two fills')

      const history = openHistory(join(dataDir, HISTORY_FILE))
      try {
        // Every fill of the history has its marker; the figures are status.json's.
        await waitFor(async () => {
          const fills = history.fills()
          const status = readStatusFile(dataDir)
          if (status === undefined || status.rungsFilled < 2) return false
          return (
            fills.length >= 2 &&
            (await data(page, '#price-chart', 'markers')) ===
              String(fills.length) &&
            (await shown(page, 'position')) ===
              formatStatusNumbers(status).position &&
            (await shown(page, 'avg-entry')) ===
              formatStatusNumbers(status).averageEntry &&
            (await exact(page, 'fees')) ===
              fills
                .filter((f) => f.feeAsset === 'quote')
                .reduce((a, f) => addDecimals(a, f.fee), '0')
          )
        }, 'the fill markers and the figures of status.json')
        await screenshot(page, 'dashboard-in-position')

        // Up through the take-profit: one cycle, its profit realised.
        const state = run.bot.state()
        if (state.status !== 'inPosition') throw new Error('not in position')
        const tp = state.takeProfitPrice
        run.bot.sim?.setPrice(
          run.bot.state().setup.market.symbol,
          addDecimals(tp, '100'),
        )
        await waitFor(
          () => run.bot.state().totals.cycles === 1,
          'the take profit',
        )
        await waitFor(async () => {
          const status = readStatusFile(dataDir)
          const cycles = history.cycles()
          const done = cycles.find((c) => c.cycle === 1)
          if (status?.cycles !== 1 || done?.profit == null) return false
          return (
            (await exact(page, 'realised-session')) === status.realisedProfit &&
            (await shown(page, 'realised-session')) ===
              formatMoney(status.realisedProfit) &&
            (await exact(page, 'realised-all')) === status.realisedAllTime &&
            status.realisedProfit === done.profit &&
            (await shown(page, 'cycles')) === '1' &&
            (await data(page, '#price-chart', 'markers')) ===
              String(history.fills().length) &&
            (await page.$$eval(
              '#cycles-table tbody tr',
              (rows, profit) =>
                rows.some((r) => r.lastElementChild?.textContent === profit),
              done.profit,
            ))
          )
        }, 'the cycle in the table and the realised profit of status.json')
        expect(
          await page.$$eval('#fills-table tbody tr', (r) => r.length),
        ).toBe(history.fills().length)
        await screenshot(page, 'dashboard-after-take-profit')
      } finally {
        history.close()
      }

      // The bot restarts on the same data directory: the page reconnects by itself.
      run.bot.stop()
      expect(await run.exit).toBe(0)
      await page.waitForSelector('#conn[data-state="reconnecting"]')
      run = await startPaper(dataDir, dir)
      expect(run.bot.dashboardUrl).toBe(url)
      await page.waitForSelector('#conn[data-state="live"]')
      await waitFor(
        async () => (await data(page, 'body', 'snapshots')) === '2',
        'the new snapshot',
      )
      // The history (the first session's cycle) is still there.
      await waitFor(
        async () =>
          (await page.$$eval('#cycles-table tbody tr', (r) => r.length)) >= 1,
        'the cycles after the restart',
      )
      await screenshot(page, 'dashboard-after-restart')
      expect(errors).toEqual([])
      run.bot.stop()
      expect(await run.exit).toBe(0)
    })

    test('behavior: rung dashboard serves the page of a bot running in another process, from status.json and the history', async () => {
      const dir = tempDir()
      const dataDir = join(dir, 'paper')
      const run = await startPaper(dataDir, dir, ['--no-ui'])
      expect(run.bot.dashboardUrl).toBeUndefined()
      expect(run.stdout()).not.toContain('dashboard:')
      const child = runChild(['dashboard', '--data-dir', dataDir], {})
      try {
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
        const buys = run.bot
          .state()
          .orders.filter((o) => o.side === 'buy' && o.status === 'open')
        await waitFor(
          async () =>
            (await data(page, '#price-chart', 'rungs')) === String(buys.length),
          'the rungs on the chart',
        )
        const [top] = buys
          .map((o) => o.price)
          .sort(compareDecimals)
          .reverse()
        if (top === undefined) throw new Error('no rung')
        run.bot.sim?.setPrice(
          run.bot.state().setup.market.symbol,
          multiplyDecimals(top, '0.999'),
        )
        const history = openHistory(join(dataDir, HISTORY_FILE))
        try {
          await waitFor(async () => {
            const status = readStatusFile(dataDir)
            const fills = history.fills()
            if (status === undefined || fills.length === 0) return false
            return (
              (await data(page, '#price-chart', 'markers')) ===
                String(fills.length) &&
              (await shown(page, 'position')) ===
                formatStatusNumbers(status).position &&
              (await shown(page, 'rungs')) ===
                `${status.rungsFilled}/${status.rungsTotal}` &&
              (await exact(page, 'realised-session')) === status.realisedProfit
            )
          }, 'the fill and the figures of status.json')
        } finally {
          history.close()
        }
        await screenshot(page, 'rung-dashboard')
        expect(errors).toEqual([])
      } finally {
        child.proc.kill('SIGTERM')
        await child.exited
        run.bot.stop()
        await run.exit
      }
    })
  },
)
