import { afterEach, describe, expect, test } from 'vitest'
import { waitFor } from '../../test/e2e.js'
import { deadUrl, type HttpStub, startHttpStub } from '../../test/httpStub.js'
import type { Logger } from '../ui/logger.js'
import { createNotifier, type NotifyMessage, payload } from './notifier.js'
import type { NotifyChannel, NotifyEvent } from './notifyConfig.js'

const stubs: HttpStub[] = []
afterEach(async () => {
  for (const s of stubs.splice(0)) await s.close()
})
async function stub() {
  const s = await startHttpStub()
  stubs.push(s)
  return s
}

function recordingLogger() {
  const lines: string[] = []
  const push = (level: string) => (msg: string, fields?: object) =>
    lines.push(`${level} ${msg} ${JSON.stringify(fields ?? {})}`)
  const logger: Logger = {
    debug: push('debug'),
    info: push('info'),
    warn: push('warn'),
    error: push('error'),
  }
  return { logger, lines }
}

const message = (over: Partial<NotifyMessage> = {}): NotifyMessage => ({
  event: 'takeProfit',
  title: 'BTC_USDC take profit: sold 0.01 @ 61000',
  text: 'fee 0.61 quote',
  at: Date.UTC(2026, 0, 2, 3, 4, 5),
  market: 'BTC_USDC',
  mode: 'paper',
  fields: { price: '61000' },
  ...over,
})

const channel = (
  url: string,
  format: NotifyChannel['format'],
  events: NotifyEvent[] = ['takeProfit', 'critical'],
  chatId?: string,
): NotifyChannel => ({
  name: `${format} test`,
  url,
  format,
  events: new Set(events),
  ...(chatId === undefined ? {} : { chatId }),
})

describe('payload', () => {
  test('behavior: json, Slack, Discord and Telegram shapes carry the title, the mode and the detail', () => {
    const m = message()
    expect(payload({ format: 'json' }, m)).toEqual({
      event: 'takeProfit',
      market: 'BTC_USDC',
      mode: 'paper',
      at: '2026-01-02T03:04:05.000Z',
      title: m.title,
      text: m.text,
      fields: { price: '61000' },
    })
    const text = `${m.title} [paper]\n${m.text}`
    expect(payload({ format: 'slack' }, m)).toEqual({ text })
    expect(payload({ format: 'discord' }, m)).toEqual({ content: text })
    expect(payload({ format: 'telegram', chatId: '42' }, m)).toEqual({
      chat_id: '42',
      text,
      disable_web_page_preview: true,
    })
    // Live money carries no tag.
    expect(payload({ format: 'slack' }, message({ mode: 'live' }))).toEqual({
      text: `${m.title}\n${m.text}`,
    })
  })
})

describe('createNotifier', () => {
  test('behavior: posts each message to the channels that want its event, in order', async () => {
    const hook = await stub()
    const telegram = await stub()
    const notifier = createNotifier({
      channels: [
        channel(`${hook.url}/hook`, 'slack', ['takeProfit']),
        channel(
          `${telegram.url}/botTOKEN123/sendMessage`,
          'telegram',
          ['critical'],
          '-100',
        ),
      ],
      logger: recordingLogger().logger,
    })
    notifier.notify(message({ title: 'first' }))
    notifier.notify(message({ event: 'critical', title: 'stopped', text: '' }))
    notifier.notify(message({ title: 'second' }))
    notifier.notify(message({ event: 'fill', title: 'nobody wants this' }))
    const stats = await notifier.close()
    expect(hook.requests.map((r) => [r.method, r.path, r.body])).toEqual([
      ['POST', '/hook', { text: 'first [paper]\nfee 0.61 quote' }],
      ['POST', '/hook', { text: 'second [paper]\nfee 0.61 quote' }],
    ])
    expect(hook.requests[0]?.headers['content-type']).toBe('application/json')
    expect(telegram.requests.map((r) => [r.path, r.body])).toEqual([
      [
        '/botTOKEN123/sendMessage',
        {
          chat_id: '-100',
          text: 'stopped [paper]',
          disable_web_page_preview: true,
        },
      ],
    ])
    expect(stats).toMatchObject({ sent: 3, failed: 0, dropped: 0, queued: 0 })
  })

  test('behavior: retries after 500s with doubling delays, then delivers', async () => {
    const hook = await stub()
    hook.answer(500, 503, 200)
    const delays: number[] = []
    const notifier = createNotifier({
      channels: [channel(hook.url, 'json')],
      logger: recordingLogger().logger,
      baseDelayMs: 100,
      sleep: async (ms) => {
        delays.push(ms)
      },
    })
    notifier.notify(message())
    const stats = await notifier.close()
    expect(hook.requests).toHaveLength(3)
    expect(delays).toEqual([100, 200])
    expect(stats).toMatchObject({ sent: 1, failed: 0 })
  })

  test("behavior: a 429's Retry-After sets the wait; a 4xx is not retried", async () => {
    const hook = await stub()
    hook.answer({ status: 429, headers: { 'retry-after': '7' } }, 200, 404)
    const delays: number[] = []
    const { logger, lines } = recordingLogger()
    const notifier = createNotifier({
      channels: [channel(`${hook.url}/secret-path-abc`, 'discord')],
      logger,
      baseDelayMs: 100,
      sleep: async (ms) => {
        delays.push(ms)
      },
    })
    notifier.notify(message())
    notifier.notify(message())
    const stats = await notifier.close()
    expect(delays).toEqual([7000])
    expect(hook.requests).toHaveLength(3)
    expect(stats).toMatchObject({ sent: 1, failed: 1 })
    expect(lines.join('\n')).toContain(
      'discord test refused a message (HTTP 404)',
    )
    // The URL (a secret) is never logged.
    expect(lines.join('\n')).not.toContain('secret-path-abc')
  })

  test('behavior: a full queue drops its oldest messages, counts and logs them once', async () => {
    const hook = await stub()
    let release = () => {}
    const gate = new Promise<void>((r) => {
      release = r
    })
    const { logger, lines } = recordingLogger()
    const notifier = createNotifier({
      channels: [channel(hook.url, 'json')],
      logger,
      queueSize: 2,
      // The first delivery waits at the gate (a slow endpoint).
      fetch: async (url, init) => {
        await gate
        return fetch(url, init)
      },
    })
    for (let i = 1; i <= 5; i++) notifier.notify(message({ title: `m${i}` }))
    // m1 is in flight, m2 and m3 were dropped for m4 and m5.
    expect(notifier.stats()).toMatchObject({ dropped: 2, queued: 3 })
    release()
    const stats = await notifier.close()
    expect(
      hook.requests.map((r) => (r.body as { title: string }).title),
    ).toEqual(['m1', 'm4', 'm5'])
    expect(stats).toMatchObject({ sent: 3, dropped: 2 })
    expect(lines.filter((l) => l.includes('queue full'))).toHaveLength(1)
  })

  test('behavior: an endpoint that is down never blocks notify(); close() gives up after its grace', async () => {
    const url = await deadUrl()
    const { logger, lines } = recordingLogger()
    const notifier = createNotifier({
      channels: [channel(`${url}/T000/B000/XXXXSECRET`, 'slack')],
      logger,
      baseDelayMs: 5,
      maxAttempts: 3,
      queueSize: 10,
    })
    for (let i = 0; i < 25; i++) notifier.notify(message())
    // Returned at once: one in flight, ten queued, the rest dropped; nothing was waited for.
    const now = notifier.stats()
    expect(now.sent + now.failed).toBe(0)
    expect(now).toMatchObject({ queued: 11, dropped: 14 })
    await waitFor(() => notifier.stats().failed >= 1, 'a failure')
    const stats = await notifier.close(50)
    expect(stats.sent).toBe(0)
    expect(stats.failed + stats.dropped).toBe(25)
    expect(stats.queued).toBe(0)
    const log = lines.join('\n')
    expect(log).toContain('slack test failed after 3 attempts (ECONNREFUSED)')
    expect(log).not.toContain('XXXXSECRET')
  })
})
