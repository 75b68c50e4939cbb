/**
 * Every example runs, as a newcomer would run it (`npx tsx examples/<name>`),
 * against a simulator started here on 127.0.0.1. One-shot examples must exit
 * 0; long-running ones must print what they promise, then stop cleanly on
 * Ctrl-C (SIGINT).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { type Sim, startSim } from '@rung/backpack-sim'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'

const root = fileURLToPath(new URL('..', import.meta.url))

let sim: Sim
beforeAll(async () => {
  sim = await startSim({ seed: 11 })
})
afterAll(async () => {
  await sim?.close()
})

interface Run {
  child: ChildProcess
  output: () => string
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

function run(name: string, args: string[] = []): Run {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', `examples/${name}/index.ts`, ...args],
    {
      cwd: root,
      env: {
        ...process.env,
        BACKPACK_BASE_URL: sim.url,
        BACKPACK_WS_URL: sim.wsUrl,
        BACKPACK_API_KEY: '',
        BACKPACK_API_SECRET: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let out = ''
  child.stdout?.on('data', (b: Buffer) => {
    out += b.toString()
  })
  child.stderr?.on('data', (b: Buffer) => {
    out += b.toString()
  })
  const exit = new Promise<{
    code: number | null
    signal: NodeJS.Signals | null
  }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })))
  return { child, output: () => out, exit }
}

/** Resolves once the output matches, or rejects with what was printed. */
async function waitFor(r: Run, pattern: RegExp, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs
  while (!pattern.test(r.output())) {
    if (r.child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`expected ${pattern} in output:\n${r.output()}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

async function interrupt(r: Run) {
  r.child.kill('SIGINT')
  const timer = setTimeout(() => r.child.kill('SIGKILL'), 10_000)
  const result = await r.exit
  clearTimeout(timer)
  return result
}

describe('examples', { timeout: 60_000 }, () => {
  test('behavior: public-api-tour prints every public endpoint and exits 0', async () => {
    const r = run('public-api-tour', ['SOL_USDC'])
    const { code } = await r.exit
    expect(r.output()).toContain('status')
    expect(r.output()).toContain('SOL_USDC')
    expect(code, r.output()).toBe(0)
  })

  test('behavior: order-test places, reads back and cancels one order', async () => {
    const r = run('order-test', ['SOL_USDC'])
    const { code } = await r.exit
    expect(r.output()).toContain('ok: placed, read back and cancelled')
    expect(code, r.output()).toBe(0)
  })

  test('behavior: price-reader prints prices from the stream, stops on Ctrl-C', async () => {
    const r = run('price-reader', ['SOL_USDC'])
    await waitFor(r, /\[ws\s*\].*SOL_USDC last \d+(\.\d+)? +bid \d/)
    const { code, signal } = await interrupt(r)
    expect(r.output()).toContain('price-reader: stopped')
    expect({ code, signal }).toEqual({ code: 0, signal: null })
  })

  test('behavior: ws-tester reports the streams it was given, stops on Ctrl-C', async () => {
    const r = run('ws-tester', ['bookTicker.SOL_USDC', 'trade.SOL_USDC'])
    await waitFor(r, /bookTicker\.SOL_USDC +\d+ msg\/s/)
    await waitFor(r, /frames [1-9]\d*, malformed 0/)
    const { code, signal } = await interrupt(r)
    expect({ code, signal }).toEqual({ code: 0, signal: null })
  })

  test('behavior: custom-strategy places its ladder, stops on Ctrl-C', async () => {
    const r = run('custom-strategy')
    await waitFor(r, /-> laddering/)
    const { code, signal } = await interrupt(r)
    expect(r.output()).toMatch(/stopped after \d+ cycle/)
    // The machine asked for every cancel, so none looks unexpected.
    expect(r.output()).toMatch(/-> stopped/)
    expect(r.output()).not.toMatch(/canceled by the exchange/)
    expect({ code, signal }).toEqual({ code: 0, signal: null })
  })
})
