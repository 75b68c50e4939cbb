/**
 * The bot stops cleanly whatever its surroundings do, end to end with the
 * real `rung` binary run from the sources: its console's reader goes away
 * (`rung run | head -1`), or Ctrl-C reaches it through `npm run`.
 * The simulator (or the bot's own log) is the judge: no order left open, no
 * stale pid file.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import {
  type Child,
  openClientIds,
  REPO_ROOT,
  runChild,
  startTestSim,
  type TestSim,
  tempDir,
  waitFor,
  writeConfig,
} from '../../test/e2e.js'
import { PID_FILE } from './lock.js'

let sim: TestSim | undefined
const children: Child[] = []
const groups: ChildProcess[] = []
afterEach(async () => {
  for (const c of children) if (c.proc.exitCode === null) c.proc.kill('SIGKILL')
  children.length = 0
  for (const g of groups)
    if (g.pid !== undefined && groupAlive(g.pid))
      process.kill(-g.pid, 'SIGKILL')
  groups.length = 0
  await sim?.sim.close()
  sim = undefined
})

/** True while any process of the process group `pgid` is alive. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0)
    return true
  } catch {
    return false
  }
}

/** Every line of the bot's daily log files. */
function logLines(dataDir: string): string[] {
  const dir = join(dataDir, 'logs')
  if (!existsSync(dir)) return []
  return readdirSync(dir).flatMap((f) =>
    readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean),
  )
}
const logged = (dataDir: string, msg: string) =>
  logLines(dataDir).some((l) => (JSON.parse(l) as { msg: string }).msg === msg)

/** `rung run` against a fresh simulator, from the sources, as a child process. */
async function startRun() {
  sim = await startTestSim()
  const dir = tempDir('rung-pipe-')
  const dataDir = join(dir, 'data')
  const child = runChild(
    [
      'run',
      '--config',
      writeConfig(dir),
      '--data-dir',
      dataDir,
      '--base-url',
      sim.sim.url,
      '--ws-url',
      sim.sim.wsUrl,
    ],
    {
      BACKPACK_API_KEY: sim.keys.publicKey,
      BACKPACK_API_SECRET: sim.keys.secretKey,
    },
  )
  children.push(child)
  return { t: sim, dataDir, child }
}

/** Closes the read end of a child's pipe after its first chunk, like `head -1`. */
function closeAfterFirstChunk(stream: NodeJS.ReadableStream | null) {
  return new Promise<void>((resolve) => {
    stream?.once('data', () => {
      ;(stream as NodeJS.ReadableStream & { destroy(): void }).destroy()
      resolve()
    })
  })
}

describe('rung run: its console goes away', { timeout: 60_000 }, () => {
  test('behavior: stdout closed by its reader once the ladder is up; SIGINT still cancels every order and removes the pid file', async () => {
    const { t, dataDir, child } = await startRun()
    await waitFor(
      async () => (await openClientIds(t.client)).length === 8,
      'the ladder',
      20_000,
    )
    child.proc.stdout?.destroy()
    // The first write into the closed pipe is the stop's own log line.
    child.proc.kill('SIGINT')
    expect(await child.exited).toBe(0)
    expect(await openClientIds(t.client)).toEqual([])
    expect(existsSync(join(dataDir, PID_FILE))).toBe(false)
    expect(logged(dataDir, 'stopped; open orders canceled')).toBe(true)
    expect(child.output()).not.toContain('EPIPE')
  })

  test('behavior: stdout closed after its first line (| head -1) and stderr closed; the ladder is placed and SIGTERM cancels every order', async () => {
    const { t, dataDir, child } = await startRun()
    child.proc.stderr?.destroy()
    await closeAfterFirstChunk(child.proc.stdout)
    // The bot keeps logging into the closed pipe while it places the ladder.
    await waitFor(
      async () => (await openClientIds(t.client)).length === 8,
      'the ladder',
      20_000,
    )
    child.proc.kill('SIGTERM')
    expect(await child.exited).toBe(0)
    expect(await openClientIds(t.client)).toEqual([])
    expect(existsSync(join(dataDir, PID_FILE))).toBe(false)
    expect(logged(dataDir, 'stopped; open orders canceled')).toBe(true)
  })
})

/**
 * One paper run the way a user starts it (`npm run rung -- paper`: npm, sh,
 * then node with tsx's loader), in its own process group, stopped by a SIGINT to the
 * whole group once the ladder is being placed, as a terminal's Ctrl-C does.
 */
async function ctrlCThroughNpm(config: string, dataDir: string) {
  const proc = spawn(
    'npm',
    ['run', 'rung', '--', 'paper', '--config', config, '--data-dir', dataDir],
    { cwd: REPO_ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  groups.push(proc)
  let output = ''
  proc.stdout?.on('data', (c: Buffer) => {
    output += c.toString()
  })
  proc.stderr?.on('data', (c: Buffer) => {
    output += c.toString()
  })
  const exited = new Promise<number | string>((resolve) =>
    proc.on('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  )
  await waitFor(() => output.includes('placing ladder'), 'the ladder', 30_000)
  const pgid = proc.pid as number
  process.kill(-pgid, 'SIGINT')
  const exit = await exited
  // npm may return before the bot (its script's process) has finished its stop.
  await waitFor(() => !groupAlive(pgid), 'every process of the run to exit')
  const lines = logLines(dataDir)
  return {
    // npm reports a script stopped by Ctrl-C as 130 (or dies of the SIGINT).
    exit: exit === 0 || exit === 130 || exit === 'SIGINT' ? 'clean' : exit,
    stopped: logged(dataDir, 'stopped; open orders canceled'),
    forced: lines.some((l) => l.includes('forced exit')),
    pidFile: existsSync(join(dataDir, PID_FILE)),
  }
}

describe('npm run rung -- paper: Ctrl-C', { timeout: 300_000 }, () => {
  test('behavior: 20 Ctrl-Cs in a row through npm run each stop cleanly: orders canceled, no forced exit, no pid file', async () => {
    const dir = tempDir('rung-ctrlc-')
    const config = writeConfig(dir)
    const runs = []
    for (let i = 0; i < 20; i++)
      runs.push(await ctrlCThroughNpm(config, join(dir, `run-${i}`)))
    const clean = {
      exit: 'clean',
      stopped: true,
      forced: false,
      pidFile: false,
    }
    expect(runs).toEqual(runs.map(() => clean))
  })
})
