import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { ExitError } from './errors.js'
import { acquireLock, PID_FILE, readRunningPid } from './lock.js'

describe('acquireLock', () => {
  test('default: writes the pid and releases it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rung-lock-'))
    const lock = acquireLock(dir)
    expect(readFileSync(join(dir, PID_FILE), 'utf8').trim()).toBe(
      String(process.pid),
    )
    expect(readRunningPid(dir)).toBe(process.pid)
    lock.release()
    expect(readRunningPid(dir)).toBeUndefined()
  })

  test('behavior: a stale pid file (dead process) is taken over', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rung-lock-'))
    writeFileSync(join(dir, PID_FILE), '2147483646\n')
    acquireLock(dir).release()
  })

  test('error: a live owner refuses a second bot', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rung-lock-'))
    const lock = acquireLock(dir)
    // The test runner's parent is alive and is not us.
    expect(() => acquireLock(dir, process.ppid)).toThrow(ExitError)
    expect(() => acquireLock(dir, process.ppid)).toThrow(/rung stop --data-dir/)
    lock.release()
  })
})
