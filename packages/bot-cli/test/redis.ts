/**
 * A real `redis-server` for the queue tests, on a free loopback port, with
 * no persistence, in a temp dir. Without redis-server the tests skip (say
 * so), except under CI=true, where its absence fails them with the fix.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** True when `redis-server` can be run. */
export const hasRedis =
  spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0

/**
 * Whether to skip the Redis tests: only when redis-server is missing outside CI.
 * @throws under CI=true without redis-server, with the install command.
 */
export function skipWithoutRedis(): boolean {
  if (hasRedis) return false
  if (process.env.CI === 'true')
    throw new Error(
      'redis-server is not installed; the queue tests need it.\nFix: apt-get install -y redis-server (.ci/run installs it when missing).',
    )
  console.warn(
    'SKIPPED: the queue tests need redis-server (apt-get install -y redis-server)',
  )
  return true
}

/** A free TCP port on 127.0.0.1 (free when asked: Redis binds it right after). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

/** A running redis-server. */
export interface TestRedis {
  /** `redis://127.0.0.1:<port>`. */
  url: string
  /** Stops it and removes its directory. */
  stop(): Promise<void>
}

/** Starts redis-server and resolves once it accepts connections. */
export async function startRedis(): Promise<TestRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'rung-redis-'))
  const port = await freePort()
  const proc: ChildProcess = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let log = ''
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`redis-server did not start:\n${log}`)),
      10_000,
    )
    proc.stdout?.on('data', (chunk: Buffer) => {
      log += chunk.toString()
      if (log.includes('Ready to accept connections')) {
        clearTimeout(timer)
        resolve()
      }
    })
    proc.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`redis-server exited with ${code}:\n${log}`))
    })
  })
  proc.removeAllListeners('exit')
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      const exited = new Promise((r) => proc.once('exit', r))
      proc.kill('SIGTERM')
      await exited
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
