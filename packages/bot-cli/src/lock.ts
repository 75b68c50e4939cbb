/**
 * One bot per data directory: `<dataDir>/rung.pid` is created exclusively
 * (`wx`) and holds the pid. A pid file whose process is gone (kill -9) is
 * stale and taken over; `rung stop` reads it to signal the running bot.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { EXIT, ExitError } from './errors.js'

/** The pid file's name inside the data directory. */
export const PID_FILE = 'rung.pid'

/** A held lock. */
export interface PidLock {
  /** Path of the pid file. */
  readonly path: string
  /** Removes the pid file if it is still ours. */
  release(): void
}

/** True when a process with this pid exists (signal 0 probes without killing). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Reads the pid in `<dataDir>/rung.pid`, or `undefined` when absent or stale. */
export function readRunningPid(dataDir: string): number | undefined {
  let text: string
  try {
    text = readFileSync(join(dataDir, PID_FILE), 'utf8')
  } catch {
    return undefined
  }
  const pid = Number.parseInt(text.trim(), 10)
  return Number.isSafeInteger(pid) && pid > 0 && isAlive(pid) ? pid : undefined
}

/**
 * Takes the data directory's lock.
 * @throws {ExitError} when another live bot holds it.
 */
export function acquireLock(dataDir: string, pid = process.pid): PidLock {
  mkdirSync(dataDir, { recursive: true })
  const path = join(dataDir, PID_FILE)
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      writeFileSync(path, `${pid}\n`, { flag: 'wx', mode: 0o644 })
      return {
        path,
        release() {
          try {
            if (readFileSync(path, 'utf8').trim() === String(pid)) rmSync(path)
          } catch {
            // Already gone.
          }
        },
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const running = readRunningPid(dataDir)
      if (running !== undefined && running !== pid) {
        throw new ExitError(
          EXIT.locked,
          `Another rung bot (pid ${running}) is already running on the data directory ${dataDir}.\nFix: stop it with \`rung stop --data-dir ${dataDir}\`, or give this bot its own --data-dir.`,
        )
      }
      // Stale (the process died without cleaning up): take it over.
      rmSync(path, { force: true })
    }
  }
  throw new ExitError(
    EXIT.locked,
    `Could not take the lock ${path}.\nFix: remove the file if no rung bot is running.`,
  )
}
