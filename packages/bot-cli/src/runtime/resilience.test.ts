/**
 * `rung run` against surroundings that cannot work: an exchange that rejects
 * the API key, and a base URL where nothing listens. Both are fatal at once
 * (exit 2) with one message that names the cause and the fix.
 */
import { existsSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { generateKeyPair } from '@rung/backpack-sdk'
import { afterEach, describe, expect, test } from 'vitest'
import {
  captureIo,
  openClientIds,
  startRun,
  startTestSim,
  stopRuns,
  type TestSim,
  tempDir,
  waitFor,
  writeConfig,
} from '../../test/e2e.js'
import { main } from '../main.js'
import { PID_FILE } from './lock.js'

let current: TestSim | undefined
afterEach(async () => {
  await current?.sim.close()
  current = undefined
  await stopRuns()
})

/** Runs `rung run` in-process with the given keys against `baseUrl`. */
async function run(
  keys: { publicKey: string; secretKey: string },
  baseUrl: string,
  wsUrl: string,
  dir = tempDir('rung-resilience-'),
) {
  const dataDir = join(dir, 'data')
  const { io, stdout, stderr } = captureIo(
    { BACKPACK_API_KEY: keys.publicKey, BACKPACK_API_SECRET: keys.secretKey },
    dir,
  )
  const code = await main(
    [
      'run',
      '--config',
      writeConfig(dir),
      '--data-dir',
      dataDir,
      '--base-url',
      baseUrl,
      '--ws-url',
      wsUrl,
    ],
    io,
  )
  return { code, stdout: stdout(), stderr: stderr(), dataDir }
}

const count = (text: string, what: string) => text.split(what).length - 1

describe('rung run: the exchange rejects the key', { timeout: 30_000 }, () => {
  test('error: a key the simulator does not know is fatal at once: exit 2, the cause and the fix, no order placed', async () => {
    // The simulator accepts only another account's key.
    const t = await startTestSim({ keys: [generateKeyPair().publicKey] })
    current = t
    const result = await run(t.keys, t.sim.url, t.sim.wsUrl)
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(
      /^rung: The exchange rejected the API key \(INVALID_SIGNATURE on [A-Z]+ \/api\/v1\/[a-z]+\)/,
    )
    expect(result.stderr).toContain('Fix: check that BACKPACK_API_KEY')
    expect(count(result.stderr, 'rejected the API key')).toBe(1)
    expect(result.stderr).not.toContain('unexpected failure')
    // Within a few reconciles, not 140.
    expect(count(result.stdout, 'reconcile failed')).toBeLessThanOrEqual(2)
    // Nothing reached the book, and the lock is released.
    expect(t.sim.accounts()).not.toContain(t.keys.publicKey)
    expect(existsSync(join(result.dataDir, PID_FILE))).toBe(false)
    // The secret never appears.
    expect(result.stdout + result.stderr).not.toContain(t.keys.secretKey)
  })
})

describe('rung run: a key pair that cannot sign', { timeout: 30_000 }, () => {
  test('error: a secret that is not the pair of the key is refused before anything is sent: exit 2 naming both variables', async () => {
    const t = await startTestSim()
    current = t
    const other = generateKeyPair()
    const result = await run(
      { publicKey: t.keys.publicKey, secretKey: other.secretKey },
      t.sim.url,
      t.sim.wsUrl,
    )
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(
      /^rung: BACKPACK_API_KEY is not the public key of BACKPACK_API_SECRET[\s\S]*Fix: /,
    )
    expect(result.stderr).not.toContain('unexpected failure')
    expect(result.stdout + result.stderr).not.toContain(other.secretKey)
    expect(t.sim.accounts()).toEqual([])
  })

  test('error: a secret that is not a key at all names the variable and the expected form', async () => {
    const t = await startTestSim()
    current = t
    const result = await run(
      { publicKey: t.keys.publicKey, secretKey: 'not-a-key' },
      t.sim.url,
      t.sim.wsUrl,
    )
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(
      /^rung: BACKPACK_API_SECRET is not a Backpack secret key[\s\S]*Fix: /,
    )
    expect(result.stdout + result.stderr).not.toContain('not-a-key')
  })
})

describe('rung run: the exchange refuses the private stream', {
  timeout: 30_000,
}, () => {
  test('error: a private subscription refused as expired stops the bot: its orders are canceled, exit 2 names the clock', async () => {
    // The exchange's clock is 30 s ahead: REST calls resync to it (the SDK
    // reads /api/v1/time on an "expired" answer), the WS signature cannot.
    const t = await startTestSim({ now: () => Date.now() + 30_000 })
    current = t
    const result = await run(t.keys, t.sim.url, t.sim.wsUrl)
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(
      /^rung: The exchange refused the private stream account\.orderUpdate\.BTC_USDC as expired[\s\S]*Fix: set this machine's clock right/,
    )
    // The ladder went up over REST, and came down on the stop.
    expect(result.stdout).toContain('canceling orders clientIds=1024,')
    expect(await openClientIds(t.client)).toEqual([])
    expect(existsSync(join(result.dataDir, PID_FILE))).toBe(false)
  })
})

describe('rung cancel-all: the exchange rejects the key', () => {
  test('error: exit 2 with the cause and the fix, not "unexpected failure"', async () => {
    const t = await startTestSim({ keys: [generateKeyPair().publicKey] })
    current = t
    const dir = tempDir('rung-resilience-')
    const { io, stderr } = captureIo(
      {
        BACKPACK_API_KEY: t.keys.publicKey,
        BACKPACK_API_SECRET: t.keys.secretKey,
      },
      dir,
    )
    const code = await main(
      ['cancel-all', '--config', writeConfig(dir), '--base-url', t.sim.url],
      io,
    )
    expect(code).toBe(2)
    expect(stderr()).toMatch(
      /^rung: The exchange rejected the API key \(INVALID_SIGNATURE on DELETE \/api\/v1\/orders\)[\s\S]*Fix: /,
    )
    expect(stderr()).not.toContain('unexpected failure')
  })
})

describe('rung run: the exchange rejects the key on resume', {
  timeout: 30_000,
}, () => {
  test('error: a resumed cycle whose reconcile is refused stops at once with exit 2', async () => {
    // First run: a ladder on the book, left there on stop (onStop: leave).
    const first = await startTestSim()
    const dir = tempDir('rung-resilience-')
    const dataDir = join(dir, 'data')
    const firstRun = await startRun(
      { bot: { onStop: 'leave' } },
      {},
      { t: first, dir },
    )
    await waitFor(
      async () => (await openClientIds(first.client)).length === 8,
      'the ladder',
    )
    firstRun.bot.stop()
    expect(await firstRun.exit).toBe(0)
    await stopRuns()

    // Second run, same journal, an exchange that does not know the key.
    const second = await startTestSim({ keys: [generateKeyPair().publicKey] })
    current = second
    const result = await run(first.keys, second.sim.url, second.sim.wsUrl, dir)
    expect(result.stdout).toContain('resuming from the journal')
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(
      /^rung: The exchange rejected the API key \(INVALID_SIGNATURE on GET /,
    )
    expect(count(result.stdout, 'reconcile failed')).toBe(0)
    expect(existsSync(join(dataDir, PID_FILE))).toBe(false)
  })
})

describe('rung run: nothing listens at the base URL', {
  timeout: 30_000,
}, () => {
  test('error: one message naming the URL and the fix, exit 2, no "unexpected failure"', async () => {
    // A port that was free a moment ago: nothing listens there now.
    const server = createServer()
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const { port } = server.address() as { port: number }
    await new Promise((r) => server.close(r))
    const url = `http://127.0.0.1:${port}`
    const result = await run(generateKeyPair(), url, `ws://127.0.0.1:${port}`)
    expect(result.code).toBe(2)
    expect(result.stderr).toBe(
      `rung: Cannot reach the exchange at ${url} (ECONNREFUSED).\nFix: check --base-url / BACKPACK_BASE_URL and this machine's network; for a local simulator, start it first (\`npm run sim\`) and pass the URL it prints.\n`,
    )
    // Printed once: not repeated as a log line on the console.
    expect(result.stdout).not.toContain('Cannot reach')
    expect(result.stdout).not.toContain('the bot failed')
    expect(existsSync(join(result.dataDir, PID_FILE))).toBe(false)
  })
})
