/**
 * Helpers for the end-to-end tests: a simulator on 127.0.0.1 with a manual
 * price feed, a paper account, a config file, captured CLI I/O, and a way to
 * run the real `rung` binary from sources as a child process (for kill -9).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import {
  addDecimals,
  createBackpackClient,
  generateKeyPair,
  multiplyDecimals,
} from '@rung/backpack-sdk'
import { type Sim, type SimOptions, startSim } from '@rung/backpack-sim'
import type { LadderState } from '@rung/ladder-strategy'
import type { StartedHandle } from '../src/commands/trade.js'
import type { CliIo } from '../src/io.js'
import { mainWithHooks } from '../src/main.js'

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

let current: TestSim | undefined
let running: { bot: StartedHandle; exit: Promise<number> } | undefined

/** Closes what {@link startRun} (or {@link trackSim}) left: call it in `afterEach`. */
export async function stopRuns(): Promise<void> {
  // A failed test must not leave a bot running.
  if (running) {
    running.bot.stop()
    await Promise.race([running.exit, new Promise((r) => setTimeout(r, 5000))])
  }
  running = undefined
  await current?.sim.close()
  current = undefined
}

/** Lets {@link stopRuns} close this simulator. */
export function trackSim(t: TestSim): TestSim {
  current = t
  return t
}

/** The client ids of a cycle's rungs. */
export const rungIds = (cycle: number, n = 8): number[] =>
  Array.from({ length: n }, (_, i) => cycle * 1024 + i)

/** Starts `rung run` in-process against a fresh simulator (or the one given, on its directory). */
export async function startRun(
  configOverrides: Parameters<typeof writeConfig>[1] = {},
  simOptions: SimOptions = {},
  reuse?: { t: TestSim; dir: string },
  extraArgs: string[] = [],
  extraEnv: Record<string, string> = {},
) {
  const t = trackSim(reuse?.t ?? (await startTestSim(simOptions)))
  const dir = reuse?.dir ?? tempDir()
  const config = writeConfig(dir, configOverrides)
  const dataDir = join(dir, 'data')
  const { io, stdout, stderr } = captureIo(
    {
      BACKPACK_API_KEY: t.keys.publicKey,
      BACKPACK_API_SECRET: t.keys.secretKey,
      ...extraEnv,
    },
    dir,
  )
  let handle: StartedHandle | undefined
  const exit = mainWithHooks(
    [
      'run',
      '--config',
      config,
      '--data-dir',
      dataDir,
      '--base-url',
      t.sim.url,
      '--ws-url',
      t.sim.wsUrl,
      ...extraArgs,
    ],
    io,
    {
      onStarted: (h) => {
        handle = h
      },
      clientOptions: { windowMs: 1000 },
      notifyTiming: { baseDelayMs: 20, checkEveryMs: 100 },
    },
  )
  // A run that fails at its start ends before it has a handle: say why.
  let ended: number | undefined
  void exit.then((code) => {
    ended = code
  })
  const bot = await waitFor(() => {
    if (handle === undefined && ended !== undefined)
      throw new Error(
        `rung run exited ${ended} before it started:\n${stderr()}`,
      )
    return handle
  }, 'the bot to start')
  running = { bot, exit }
  return { ...t, t, dir, dataDir, bot, exit, stdout, stderr, io }
}

/** Sum of the account's BTC trade legs (or fees) in the simulator's ledger. */
export function ledgerBtc(
  sim: Sim,
  account: string,
  kind: 'trade' | 'fee',
): string {
  return sim
    .ledger(account)
    .entries.filter((e) => e.asset === 'BTC' && e.kind === kind)
    .reduce((acc, e) => addDecimals(acc, e.change), '0')
}

/** This cycle's bought - sold quantity of a BTC_USDC state (step 0.00001). */
export const heldQty = (state: LadderState): string =>
  multiplyDecimals(
    String(state.position.boughtLots - state.position.soldLots),
    '0.00001',
  )
