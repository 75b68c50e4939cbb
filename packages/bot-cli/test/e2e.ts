/**
 * Helpers for the end-to-end tests: a simulator on 127.0.0.1 with a manual
 * price feed, a paper account, a config file, captured CLI I/O, and a way to
 * run the real `rung` binary from sources as a child process (for kill -9).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createBackpackClient, generateKeyPair } from '@rung/backpack-sdk'
import { type Sim, type SimOptions, startSim } from '@rung/backpack-sim'
import type { CliIo } from '../src/io.js'

/** Repository root (tsx resolves the workspace sources from its tsconfig). */
export const REPO_ROOT = resolve(import.meta.dirname, '../../..')

/** A simulator with a manual feed at 60000 and a fresh paper account. */
export async function startTestSim(options: SimOptions = {}) {
  const sim = await startSim({
    port: 0,
    feed: { mode: 'manual' },
    balances: { USDC: '10000' },
    ...options,
  })
  sim.setPrice('BTC_USDC', '60000')
  const keys = generateKeyPair()
  const client = createBackpackClient({
    baseUrl: sim.url,
    apiKey: keys.publicKey,
    secretKey: keys.secretKey,
    retry: false,
  })
  return { sim, keys, client }
}

/** A temporary directory. */
export const tempDir = (prefix = 'rung-e2e-') =>
  mkdtempSync(join(tmpdir(), prefix))

/** Writes `n` 1-minute candles oscillating around 60000 and returns the path. */
export function writeCandleFile(dir: string, n = 600): string {
  const rows = ['open_time,open,high,low,close,volume']
  let t = Date.UTC(2024, 0, 1)
  for (let i = 0; i < n; i++) {
    // Prices in whole dollars: a slow wave of ±3 % (integers, so no float text).
    const mid = 60000 + Math.round(1800 * Math.sin(i / 40))
    rows.push(`${t},${mid},${mid + 60},${mid - 60},${mid + 10},1.5`)
    t += 60_000
  }
  const path = join(dir, 'candles.csv')
  writeFileSync(path, `${rows.join('\n')}\n`)
  return path
}

/** Writes a classic config (with fast polling) and returns its path. */
export function writeConfig(
  dir: string,
  overrides: {
    trading?: Record<string, unknown>
    actions?: Record<string, unknown>
    advanced?: Record<string, unknown>
    bot?: Record<string, unknown>
    extra?: Record<string, unknown>
  } = {},
): string {
  const path = join(dir, 'backpack_trading_config.json')
  const config = {
    trading: {
      tradingCoin: 'BTC',
      maxDropPercentage: 7,
      totalAmount: 2000,
      orderCount: 8,
      incrementPercentage: 50,
      takeProfitPercentage: 0.25,
      ...overrides.trading,
    },
    actions: {
      sellNonUsdcAssets: false,
      cancelAllOrders: true,
      restartAfterTakeProfit: true,
      autoRestartNoFill: false,
      ...overrides.actions,
    },
    advanced: {
      minOrderAmount: 10,
      checkOrdersIntervalMinutes: 10,
      monitorIntervalSeconds: 0.2,
      sellNonUsdcMinValue: 10,
      noFillRestartMinutes: 1,
      ...overrides.advanced,
    },
    websocket: {
      url: 'wss://ws.backpack.exchange',
      options: {
        reconnect: true,
        reconnectInterval: 100,
        maxReconnectAttempts: 0,
      },
    },
    ...(overrides.bot ? { bot: overrides.bot } : {}),
    ...overrides.extra,
  }
  writeFileSync(path, JSON.stringify(config, null, 2), { mode: 0o600 })
  return path
}

/** Captured, non-TTY CLI I/O. */
export function captureIo(
  env: Record<string, string | undefined>,
  cwd: string,
) {
  const out: string[] = []
  const err: string[] = []
  const io: CliIo = {
    stdout: { write: (t: string) => out.push(t), isTTY: false },
    stderr: { write: (t: string) => err.push(t), isTTY: false },
    env,
    cwd,
    onSignal: () => () => {},
  }
  return { io, stdout: () => out.join(''), stderr: () => err.join('') }
}

/** Polls `check` every 20 ms until it returns truthy, or fails after `timeoutMs`. */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  what: string,
  timeoutMs = 10_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value) return value as NonNullable<T>
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

/** Open orders of the test account, as client ids (sorted). */
export async function openClientIds(
  client: ReturnType<typeof createBackpackClient>,
) {
  const orders = await client.getOpenOrders({ symbol: 'BTC_USDC' })
  return orders.map((o) => o.clientId ?? -1).sort((a, b) => a - b)
}

/** A `rung` child process run from the sources, with its output collected. */
export interface Child {
  /** The process. */
  proc: ChildProcess
  /** Everything written to stdout and stderr so far. */
  output(): string
  /** Resolves with the exit code (or the signal name). */
  exited: Promise<number | string>
}

/** Runs `node --import tsx packages/bot-cli/src/bin.ts ...args`. */
export function runChild(args: string[], env: Record<string, string>): Child {
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', 'packages/bot-cli/src/bin.ts', ...args],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let text = ''
  proc.stdout?.on('data', (c: Buffer) => {
    text += c.toString()
  })
  proc.stderr?.on('data', (c: Buffer) => {
    text += c.toString()
  })
  const exited = new Promise<number | string>((resolve) =>
    proc.on('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  )
  return { proc, output: () => text, exited }
}

/** The sim, its keys and client, as returned by {@link startTestSim}. */
export type TestSim = Awaited<ReturnType<typeof startTestSim>>
export type { Sim }
