import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import {
  addDecimals,
  compareDecimals,
  multiplyDecimals,
} from '@rung/backpack-sdk'
import { afterEach, describe, expect, test } from 'vitest'
import {
  captureIo,
  ledgerBtc,
  openClientIds,
  rungIds,
  startRun,
  startTestSim,
  stopRuns,
  tempDir,
  waitFor,
} from '../../../test/e2e.js'
import { main } from '../../main.js'
import { HISTORY_FILE, openHistory } from './historyStore.js'

afterEach(stopRuns)

/** Runs `rung <args> --data-dir <dataDir>` in-process; returns the exit code and output. */
async function rung(dataDir: string, ...args: string[]) {
  const { io, stdout, stderr } = captureIo({}, dataDir)
  const code = await main([...args, '--data-dir', dataDir], io)
  return { code, stdout: stdout(), stderr: stderr() }
}

/** A run's trade-record lines for one message (plain format: `... INFO  <msg> cycle=...`). */
const linesOf = (text: string, msg: string) =>
  text.split('\n').filter((l) => l.includes(` INFO  ${msg} cycle=`))

describe('rung history (end to end against backpack-sim)', {
  timeout: 40_000,
}, () => {
  test('behavior: every order, fill and cycle is logged and kept; a rebuild from the journal writes the same rows', async () => {
    const run = await startRun()
    await waitFor(
      async () => (await openClientIds(run.client)).length === 8,
      'the ladder',
    )
    run.sim.setPrice('BTC_USDC', '58000')
    await waitFor(
      () =>
        run.bot.state().position.fills >= 4 &&
        run.bot.state().status === 'inPosition',
      'four fills',
    )
    run.sim.setPrice('BTC_USDC', '60500')
    await waitFor(
      async () =>
        run.bot.state().cycle === 2 &&
        (await openClientIds(run.client)).length === 8,
      'cycle 2',
    )
    run.bot.stop()
    expect(await run.exit).toBe(0)
    const out = run.stdout()

    // The log: one line per order placed, per fill and per cancel, each with
    // the rung, client id, side, price, quantity (and fee, average entry and
    // target for fills).
    expect(linesOf(out, 'order placed').length).toBe(8 + 1 + 8)
    const buys = linesOf(out, 'filled')
    expect(buys).toHaveLength(4)
    for (const line of buys)
      expect(line).toMatch(
        /cycle=1 clientId=\d+ side=buy rung=\d price=\S+ quantity=\S+ fee=\S+ feeAsset=(quote|base) .*averageEntry=\S+ takeProfitPrice=\S+/,
      )
    expect(out).toMatch(/INFO {2}filled \(take profit\) cycle=1 clientId=1536/)
    // The 4 unfilled rungs of cycle 1 at the take profit, the 8 of cycle 2 at the stop.
    expect(linesOf(out, 'order canceled')).toHaveLength(12)

    // The history holds exactly what the exchange booked.
    const exchange = await run.client.getFillHistory({ symbol: 'BTC_USDC' })
    const history = openHistory(join(run.dataDir, HISTORY_FILE))
    const fills = history.fills()
    expect(fills).toHaveLength(exchange.length)
    const key = (f: { clientId: number | string; quantity: string }) =>
      `${f.clientId}:${f.quantity}`
    expect(fills.map(key).sort()).toEqual(
      exchange.map((f) => key({ ...f, clientId: f.clientId ?? '' })).sort(),
    )
    const cycles = history.cycles()
    expect(cycles.map((c) => [c.cycle, c.reason])).toEqual([
      [1, 'takeProfit'],
      [2, null],
    ])
    const completed = out.match(
      /cycle completed cycle=1 reason=takeProfit profit=(\S+) fees=(\S+)/,
    )
    expect(cycles[0]).toMatchObject({
      profit: completed?.[1],
      fees: completed?.[2],
    })
    // Cost and proceeds are the exact sums of the fills.
    const sum = (side: string) =>
      fills
        .filter((f) => f.side === side && f.cycle === 1)
        .reduce(
          (acc, f) => addDecimals(acc, multiplyDecimals(f.price, f.quantity)),
          '0',
        )
    expect(cycles[0]).toMatchObject({ cost: sum('buy'), proceeds: sum('sell') })
    expect(compareDecimals(sum('buy'), '0')).toBe(1)
    expect(history.sessions()).toMatchObject([
      { mode: 'live', market: 'BTC_USDC', endReason: 'signal', resumed: false },
    ])
    history.close()
    expect(statSync(join(run.dataDir, HISTORY_FILE)).mode & 0o777).toBe(0o600)

    // `rung history --json`, then again after a rebuild from the journal.
    const before = await rung(run.dataDir, 'history', '--json')
    expect(before.code).toBe(0)
    const parsed = JSON.parse(before.stdout) as {
      fills: unknown[]
      cycles: unknown[]
    }
    expect(parsed.fills).toHaveLength(exchange.length)
    const sessions = await rung(
      run.dataDir,
      'history',
      '--table',
      'sessions',
      '--json',
    )
    const rebuilt = await rung(run.dataDir, 'history', '--rebuild', '--json')
    expect(rebuilt.code).toBe(0)
    expect(rebuilt.stderr).toMatch(/Rebuilt .* \(1 sessions\)/)
    expect(rebuilt.stdout).toBe(before.stdout)
    expect(
      (await rung(run.dataDir, 'history', '--table', 'sessions', '--json'))
        .stdout,
    ).toBe(sessions.stdout)
    // CSV of the fills: a header and one line per fill.
    const csv = await rung(run.dataDir, 'history', '--csv')
    expect(csv.stdout.trim().split('\n')).toHaveLength(exchange.length + 1)
    expect(csv.stdout.split('\n')[0]).toContain('price,quantity,fee,feeAsset')
    // The report adds the same cycle up.
    const report = await rung(run.dataDir, 'report', '--json')
    expect(JSON.parse(report.stdout)).toMatchObject({
      cycles: 1,
      wins: 1,
      winRate: '100',
      realisedProfit: completed?.[1],
      openCycles: 1,
    })
    // Filters: a range before the run holds nothing.
    const none = await rung(
      run.dataDir,
      'history',
      '--to',
      '2020-01-01',
      '--json',
    )
    expect(JSON.parse(none.stdout)).toEqual({ cycles: [], fills: [] })
  })

  test('behavior: a bot stopped while holding a position resumes it on restart, sells none of it, and books its profit', async () => {
    const t = await startTestSim()
    const dir = tempDir()
    const config = { actions: { sellNonUsdcAssets: true } }
    const first = await startRun(config, {}, { t, dir })
    await waitFor(
      async () => (await openClientIds(first.client)).length === 8,
      'the ladder',
    )
    first.sim.setPrice('BTC_USDC', '59000')
    await waitFor(() => first.bot.state().status === 'inPosition', 'a fill')
    const held = ledgerBtc(first.sim, first.keys.publicKey, 'trade')
    first.bot.stop()
    expect(await first.exit).toBe(0)
    expect(first.stdout()).toMatch(
      /strategy stopped reason=stopRequested heldQuantity=0\.\d+/,
    )
    expect(await openClientIds(first.client)).toEqual([])

    // Restart with sellNonUsdcAssets: the BTC is the bot's position, not a leftover.
    const second = await startRun(config, {}, { t, dir })
    await waitFor(
      () =>
        second.bot.state().status === 'inPosition' &&
        second.stdout().includes('cycle 1 resumed'),
      'the resumed position',
    )
    expect(second.stdout()).not.toContain('sold leftover balance')
    expect(ledgerBtc(second.sim, second.keys.publicKey, 'trade')).toBe(held)
    expect(second.bot.state().cycle).toBe(1)
    // The rungs canceled at the stop are not placed again; the position waits for its target.
    expect(await openClientIds(second.client)).toEqual([])
    second.sim.setPrice('BTC_USDC', '60500')
    await waitFor(
      async () =>
        second.bot.state().cycle === 2 &&
        (await openClientIds(second.client)).join() === rungIds(2).join(),
      'the take profit and cycle 2',
    )
    const profit = second
      .stdout()
      .match(/cycle completed cycle=1 reason=takeProfit profit=(\S+)/)?.[1]
    expect(compareDecimals(profit ?? '0', '0')).toBe(1)
    second.bot.stop()
    expect(await second.exit).toBe(0)
    // The history has one cycle over two sessions, its profit counted.
    const report = JSON.parse(
      (await rung(second.dataDir, 'report', '--json')).stdout,
    )
    expect(report).toMatchObject({
      cycles: 1,
      realisedProfit: profit,
      leftovers: { sales: 0 },
    })
    const sessions = JSON.parse(
      (await rung(second.dataDir, 'history', '--table', 'sessions', '--json'))
        .stdout,
    ).sessions as { resumed: boolean }[]
    expect(sessions.map((s) => s.resumed)).toEqual([false, true])
    // status.json shows this session's and the all-time realised profit.
    const status = JSON.parse(
      readFileSync(join(second.dataDir, 'status.json'), 'utf8'),
    )
    expect(status).toMatchObject({
      realisedProfit: profit,
      realisedAllTime: profit,
    })
  })

  test('error: a stopped position the account no longer holds is not resumed (exit 2, nothing sent)', async () => {
    const t = await startTestSim()
    const dir = tempDir()
    const first = await startRun({}, {}, { t, dir })
    await waitFor(
      async () => (await openClientIds(first.client)).length === 8,
      'the ladder',
    )
    first.sim.setPrice('BTC_USDC', '59000')
    await waitFor(() => first.bot.state().status === 'inPosition', 'a fill')
    first.bot.stop()
    expect(await first.exit).toBe(0)
    // Someone sells the BTC by hand while the bot is stopped.
    const { available } = (await t.client.getBalances()).BTC ?? {
      available: '0',
    }
    await t.client.executeOrder({
      symbol: 'BTC_USDC',
      side: 'Ask',
      orderType: 'Market',
      quantity: available.replace(/(\.\d{5})\d+$/, '$1'),
      clientId: 5,
    })
    const second = await startRun({}, {}, { t, dir })
    expect(await second.exit).toBe(2)
    expect(second.stderr()).toMatch(
      /^rung: The journal says this bot holds 0\.\d+ BTC \(cycle 1, stopped with its position\) but the account holds 0\.\d+ BTC\.\nFix: /,
    )
    expect(second.stdout()).not.toContain('order placed')
    expect(await openClientIds(t.client)).toEqual([])
  })

  test('behavior: leftover sales are logged before they are made, kept in the history and reported on their own line', async () => {
    const t = await startTestSim({ balances: { USDC: '10000', BTC: '0.01' } })
    const dir = tempDir()
    const run = await startRun(
      { actions: { sellNonUsdcAssets: true } },
      {},
      { t, dir },
    )
    await waitFor(
      async () => (await openClientIds(run.client)).length === 8,
      'the ladder',
    )
    run.bot.stop()
    expect(await run.exit).toBe(0)
    const out = run.stdout()
    const before = out.indexOf(
      'selling leftover balance (sellNonUsdcAssets) asset=BTC market=BTC_USDC quantity=0.01 approxValue=600',
    )
    expect(before).toBeGreaterThan(-1)
    expect(out.indexOf('sold leftover balance')).toBeGreaterThan(before)
    const { leftovers } = JSON.parse(
      (await rung(run.dataDir, 'history', '--table', 'leftovers', '--json'))
        .stdout,
    ) as { leftovers: { asset: string; quantity: string; proceeds: string }[] }
    expect(leftovers).toMatchObject([{ asset: 'BTC', quantity: '0.01' }])
    expect(compareDecimals(leftovers[0]?.proceeds ?? '0', '500')).toBe(1)
    const report = await rung(run.dataDir, 'report')
    expect(report.stdout).toMatch(
      /leftover sales +1, proceeds \d+\.\d\d \(their cost is not the bot's/,
    )
  })

  test('behavior: run --dry-run is paper trading on the live market: nothing reaches the exchange, and its own history and report say paper', async () => {
    const t = await startTestSim()
    const dir = tempDir()
    const run = await startRun({ trading: { orderCount: 4 } }, {}, { t, dir }, [
      '--dry-run',
    ])
    await waitFor(
      () =>
        run.bot.state().orders.filter((o) => o.status === 'open').length === 4,
      'the paper ladder',
    )
    // The ladder rests on the in-process mirror, not on the exchange.
    expect(await openClientIds(t.client)).toEqual([])
    // A real sale at the real best bid (the top rung's price) fills the paper rung.
    t.sim.credit(t.keys.publicKey, 'BTC', '1')
    await t.client.executeOrder({
      symbol: 'BTC_USDC',
      side: 'Ask',
      orderType: 'Market',
      quantity: '0.001',
    })
    await waitFor(() => run.bot.state().position.fills === 1, 'the paper fill')
    run.bot.stop()
    expect(await run.exit).toBe(0)
    // Only the real participant's own trade is in the exchange's ledger.
    expect(ledgerBtc(t.sim, t.keys.publicKey, 'trade')).toBe('-0.001')
    expect(t.sim.accounts()).toEqual([t.keys.publicKey])
    const sessions = JSON.parse(
      (
        await rung(
          run.dataDir,
          'history',
          '--dry-run',
          '--table',
          'sessions',
          '--json',
        )
      ).stdout,
    ) as { sessions: { mode: string }[] }
    expect(sessions.sessions.map((s) => s.mode)).toEqual(['dry-run'])
    const fills = JSON.parse(
      (
        await rung(
          run.dataDir,
          'history',
          '--dry-run',
          '--table',
          'fills',
          '--json',
        )
      ).stdout,
    ) as { fills: { side: string }[] }
    expect(fills.fills.map((f) => f.side)).toEqual(['buy'])
    // The live history holds none of it.
    expect((await rung(run.dataDir, 'history')).code).toBe(2)
    const report = await rung(run.dataDir, 'report', '--dry-run')
    expect(report.stdout).toMatch(
      /^PAPER: simulated fills \(dry-run sessions\), no money moved\./,
    )
  })
})
