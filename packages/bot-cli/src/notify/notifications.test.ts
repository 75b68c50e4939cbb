/**
 * `rung run` with a `notify` section, end to end on loopback: a webhook and
 * the Telegram Bot API stood in for by local HTTP servers, and a webhook
 * that is down for the whole run while the bot trades a full cycle.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { openClientIds, startRun, stopRuns, waitFor } from '../../test/e2e.js'
import { deadUrl, type HttpStub, startHttpStub } from '../../test/httpStub.js'
import { readStatusFile } from '../runtime/statusFile.js'

const stubs: HttpStub[] = []
afterEach(async () => {
  await stopRuns()
  for (const s of stubs.splice(0)) await s.close()
})

const TOKEN = '987654:TELEGRAMTOKENVALUE'

describe('rung run with notify (end to end)', { timeout: 30_000 }, () => {
  test('behavior: fills, the take profit, the cycle and the stop reach the webhook and Telegram; a dead webhook never holds up trading', async () => {
    const hook = await startHttpStub()
    const telegram = await startHttpStub()
    stubs.push(hook, telegram)
    // The first two deliveries to the webhook fail with a 500: retried.
    hook.answer(500, 500, 200)
    const dead = `${await deadUrl()}/services/T000/B000/DEADSECRET`
    const run = await startRun(
      {
        extra: {
          notify: {
            webhooks: [
              {
                url: `${hook.url}/hook`,
                format: 'json',
                events: ['fill', 'takeProfit', 'cycle', 'critical'],
              },
              {
                urlEnv: 'DEAD_HOOK',
                format: 'slack',
                events: ['fill', 'takeProfit', 'cycle', 'critical'],
              },
            ],
            telegram: { apiUrl: telegram.url, events: ['critical'] },
          },
        },
      },
      {},
      undefined,
      [],
      {
        RUNG_TELEGRAM_TOKEN: TOKEN,
        RUNG_TELEGRAM_CHAT_ID: '-100123',
        DEAD_HOOK: dead,
      },
    )
    await waitFor(
      async () => (await openClientIds(run.client)).length === 8,
      'the ladder',
    )
    run.sim.setPrice('BTC_USDC', '59000')
    await waitFor(() => run.bot.state().position.fills >= 1, 'a fill')
    run.sim.setPrice('BTC_USDC', '60500')
    await waitFor(() => run.bot.state().cycle === 2, 'cycle 2')
    const events = () =>
      hook.requests
        .map((r) => r.body as { event: string; title: string; mode: string })
        .filter((b) => typeof b === 'object')
    await waitFor(
      () => events().some((e) => e.event === 'cycle'),
      'the cycle message',
    )
    run.bot.stop()
    expect(await run.exit).toBe(0)

    const got = events()
    expect(got.filter((e) => e.event === 'fill').length).toBeGreaterThanOrEqual(
      1,
    )
    expect(got.find((e) => e.event === 'takeProfit')?.title).toMatch(
      /^BTC_USDC take profit: sold [\d.]+ @ [\d.]+ \(cycle 1\)$/,
    )
    expect(got.find((e) => e.event === 'cycle')?.title).toMatch(
      /^BTC_USDC cycle 1 take profit: profit [\d.]+ USDC$/,
    )
    expect(got.at(-1)).toMatchObject({
      event: 'critical',
      title: 'BTC_USDC: bot stopped (signal)',
      mode: 'live',
    })
    // The first message met two 500s: it was sent three times, then the next one.
    expect(got[1]).toEqual(got[0])
    expect(got[2]).toEqual(got[0])
    expect(got[3]).not.toEqual(got[0])
    expect(
      telegram.requests.map((r) => [
        r.path,
        (r.body as { chat_id: string }).chat_id,
      ]),
    ).toEqual([[`/bot${TOKEN}/sendMessage`, '-100123']])

    // The counts are in status.json; the dead webhook failed (or was dropped), the others delivered.
    const status = readStatusFile(run.dataDir)
    const channels = status?.notify?.channels ?? []
    expect(channels.map((c) => c.name)).toEqual([
      `webhook 1 (${new URL(hook.url).host})`,
      `webhook 2 (${new URL(dead).host})`,
      'telegram',
    ])
    expect(channels[1]?.sent).toBe(0)

    // No secret in any output.
    const logs = readdirSync(join(run.dataDir, 'logs'))
      .map((f) => readFileSync(join(run.dataDir, 'logs', f), 'utf8'))
      .join('')
    for (const text of [
      logs,
      run.stdout(),
      run.stderr(),
      JSON.stringify(status),
    ]) {
      expect(text).not.toContain('DEADSECRET')
      expect(text).not.toContain('TELEGRAMTOKENVALUE')
    }
    expect(logs).toContain('notify: webhook 2')
  })

  test('error: a Telegram channel without its token variable stops the start, naming the variable', async () => {
    await expect(
      startRun({ extra: { notify: { telegram: {} } } }),
    ).rejects.toThrow(
      /RUNG_TELEGRAM_TOKEN \(named by notify.telegram.tokenEnv\) is not set/,
    )
  })
})
