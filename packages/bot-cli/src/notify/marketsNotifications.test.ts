/**
 * startMarketsNotifications on loopback: one notifier for every market (a
 * local HTTP server as the webhook), each log line routed to its market's
 * sink by its `market` tag, the run's own lines naming every market.
 */
import { afterEach, describe, expect, test } from 'vitest'
import { type HttpStub, startHttpStub } from '../../test/httpStub.js'
import { createRedactor } from '../redact.js'
import { createLogger, type LogRecord } from '../ui/logger.js'
import { startMarketsNotifications } from './notifications.js'
import { parseNotifySettings, resolveNotifyChannels } from './notifyConfig.js'

const stubs: HttpStub[] = []
afterEach(async () => {
  for (const s of stubs.splice(0)) await s.close()
})

const logger = createLogger({
  format: 'plain',
  write: false,
  dir: false,
  redactor: createRedactor(),
})

const warn = (msg: string, market?: string): LogRecord => ({
  time: '2026-01-01T12:00:00.000Z',
  level: 'warn',
  msg,
  ...(market === undefined ? {} : { fields: { market } }),
})

describe('startMarketsNotifications', () => {
  test('behavior: a tagged line goes to its market, an untagged one names every market; one notifier counts them all', async () => {
    const hook = await startHttpStub()
    stubs.push(hook)
    const settings = parseNotifySettings({
      webhooks: [
        { url: `${hook.url}/hook`, format: 'json', events: ['warning'] },
      ],
    })
    const notify = startMarketsNotifications({
      settings,
      channels: resolveNotifyChannels(settings, {}, createRedactor()),
      logger,
      markets: ['BTC_USDC', 'ETH_USDC'],
      mode: 'paper',
      redact: (t) => t,
      timing: { baseDelayMs: 20 },
    })
    if (notify === undefined) throw new Error('no notifications')
    expect(notify.market('SOL_USDC')).toBeUndefined()
    notify.log(warn('order refused', 'ETH_USDC'))
    notify.log(warn('budget cap reached'))
    notify.log(warn('notify: webhook 1 failed', 'BTC_USDC'))
    const stats = await notify.close(2000)
    const got = hook.requests.map(
      (r) => r.body as { market: string; title: string; mode: string },
    )
    expect(got.map((m) => [m.market, m.title, m.mode])).toEqual([
      ['ETH_USDC', 'ETH_USDC: order refused', 'paper'],
      ['BTC_USDC, ETH_USDC', 'BTC_USDC, ETH_USDC: budget cap reached', 'paper'],
    ])
    expect(stats.sent).toBe(2)
  })

  test("behavior: the run's one connection down past streamDownMinutes is one message naming every market, and one when it is back", async () => {
    const hook = await startHttpStub()
    stubs.push(hook)
    const settings = parseNotifySettings({
      streamDownMinutes: 0.001,
      webhooks: [
        { url: `${hook.url}/hook`, format: 'json', events: ['critical'] },
      ],
    })
    const notify = startMarketsNotifications({
      settings,
      channels: resolveNotifyChannels(settings, {}, createRedactor()),
      logger,
      markets: ['BTC_USDC', 'ETH_USDC', 'SOL_USDC'],
      mode: 'live',
      redact: (t) => t,
      timing: { baseDelayMs: 20, checkEveryMs: 10 },
    })
    if (notify === undefined) throw new Error('no notifications')
    notify.connection('open')
    notify.connection('reconnecting')
    await new Promise((r) => setTimeout(r, 200))
    notify.connection('reconnecting')
    notify.connection('open')
    await notify.close(2000)
    const got = hook.requests.map((r) => (r.body as { title: string }).title)
    expect(got).toHaveLength(2)
    expect(got[0]).toMatch(
      /^BTC_USDC, ETH_USDC, SOL_USDC: market stream down for \d+ min$/,
    )
    expect(got[1]).toBe('BTC_USDC, ETH_USDC, SOL_USDC: market stream back')
  })

  test('default: no channel, no notifications', () => {
    const settings = parseNotifySettings({})
    expect(
      startMarketsNotifications({
        settings,
        channels: [],
        logger,
        markets: ['BTC_USDC', 'ETH_USDC'],
        mode: 'live',
        redact: (t) => t,
      }),
    ).toBeUndefined()
  })
})
